package io.inferscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deploy/ examples and the workflows, checked without a cluster or a container engine: every
 * Kubernetes manifest read into the Kubernetes API's own model (fabric8) with no field that the
 * model does not know, its required parts present; every inferscope command line in them parsed by
 * inferscope itself; the compose example's and the workflows' required keys. yamllint and
 * shellcheck (scripts/check-deploy) check the files' form; scripts/container-test runs the image.
 */
class DeployFilesTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The image's user (Dockerfile: USER 10001). */
  static final long IMAGE_UID = 10001;

  static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
      if (doc != null) {
        assertThat(doc).as(file + ": a document that is not a mapping").isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) doc;
        docs.add(map);
      }
    }
    return docs;
  }

  static String read(Path file) throws IOException {
    return Files.readString(file);
  }

  /** The manifest as the API's model: a typed resource of a kind the model knows. */
  static HasMetadata resource(Path file, Map<String, Object> doc) {
    JsonMapper json = JsonMapper.builder().build();
    KubernetesResource r = json.readValue(json.writeValueAsString(doc), KubernetesResource.class);
    assertThat(r)
        .as(file + ": " + doc.get("apiVersion") + " " + doc.get("kind") + " is no kind of the API")
        .isInstanceOf(HasMetadata.class)
        .isNotInstanceOf(GenericKubernetesResource.class);
    HasMetadata m = (HasMetadata) r;
    assertThat(m.getMetadata()).as(file + ": metadata").isNotNull();
    assertThat(m.getMetadata().getName()).as(file + ": metadata.name").isNotBlank();
    List<String> unknown = new ArrayList<>();
    unknownFields(r, m.getKind(), unknown);
    assertThat(unknown).as(file + ": fields the API does not have").isEmpty();
    return m;
  }

  /**
   * Fields the model kept aside because it has none of that name (a typo, a wrong level): the
   * model's classes collect them in additionalProperties instead of failing.
   */
  static void unknownFields(Object o, String path, List<String> unknown) {
    if (o instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
      } else {
        String name = m.getName().substring(3);
        unknownFields(value, path + "." + name, unknown);
      }
    }
  }

  static PodTemplateSpec template(HasMetadata r) {
    return switch (r) {
      case Job j -> j.getSpec().getTemplate();
      case Deployment d -> d.getSpec().getTemplate();
      default -> null;
    };
  }

  static boolean isInferscope(Container c) {
    String image = c.getImage();
    String name = image.substring(image.lastIndexOf('/') + 1);
    return name.equals("inferscope") || name.startsWith("inferscope:");
  }

  /** Parsed by inferscope's own command line: an unknown option or a bad value fails here. */
  static void parsesAsInferscope(String where, List<String> args) {
    assertThat(args).as(where + ": inferscope's arguments").isNotEmpty();
    try {
      Main.newCommandLine().parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError(where + ": inferscope refuses " + args + ": " + e.getMessage());
    }
  }

  /**
   * The container's arguments as the kubelet passes them: {@code $(NAME)} replaced by the value of
   * the container's variable NAME, or by 0 where the value is only known in the cluster (a field
   * reference such as a Job's completion index).
   */
  static List<String> expanded(Container c) {
    Map<String, String> values = new java.util.HashMap<>();
    if (c.getEnv() != null) {
      c.getEnv().forEach(e -> values.put(e.getName(), e.getValue() == null ? "0" : e.getValue()));
    }
    values.putIfAbsent("JOB_COMPLETION_INDEX", "0");
    return c.getArgs().stream()
        .map(
            a ->
                java.util.regex.Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)")
                    .matcher(a)
                    .replaceAll(
                        m ->
                            java.util.regex.Matcher.quoteReplacement(
                                values.getOrDefault(m.group(1), m.group(0)))))
        .toList();
  }

  /** The values of --json and --html in args. */
  static List<String> outputFiles(List<String> args) {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      for (String opt : List.of("--json", "--html")) {
        if (a.startsWith(opt + "=")) {
          files.add(a.substring(opt.length() + 1));
        } else if (a.equals(opt) && i + 1 < args.size()) {
          files.add(args.get(i + 1));
        }
      }
    }
    return files;
  }

  @Test
  void everyKubernetesManifestIsOfTheApiWithTheRequiredParts() throws IOException {
    List<Path> files = yamlFiles(ROOT.resolve("deploy/kubernetes"));
    assertThat(files).isNotEmpty();
    int inferscopeContainers = 0;
    for (Path file : files) {
      List<Map<String, Object>> docs = documents(file);
      assertThat(docs).as(file + ": no manifest").isNotEmpty();
      List<HasMetadata> resources = new ArrayList<>();
      for (Map<String, Object> doc : docs) {
        resources.add(resource(file, doc));
      }
      for (HasMetadata r : resources) {
        String where = file.getFileName() + " " + r.getKind() + "/" + r.getMetadata().getName();
        if (r instanceof Job j) {
          assertThat(j.getSpec().getTemplate().getSpec().getRestartPolicy())
              .as(where + ": a Job's pods restart Never or OnFailure")
              .isIn("Never", "OnFailure");
        }
        if (r instanceof Deployment d) {
          assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
              .as(where + ": the selector selects the pods")
              .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        }
        if (r instanceof Service s && s.getSpec().getSelector() != null) {
          // A Service in a file with workloads selects one of them.
          List<Map<String, String>> podLabels =
              resources.stream()
                  .map(DeployFilesTest::template)
                  .filter(t -> t != null)
                  .map(t -> t.getMetadata().getLabels())
                  .toList();
          if (!podLabels.isEmpty()) {
            assertThat(podLabels)
                .as(where + ": the Service selects no pod of this file")
                .anyMatch(l -> l.entrySet().containsAll(s.getSpec().getSelector().entrySet()));
          }
        }
        PodTemplateSpec t = template(r);
        if (t == null) {
          continue;
        }
        var pod = t.getSpec();
        assertThat(pod.getContainers()).as(where + ": containers").isNotEmpty();
        Set<String> volumes =
            pod.getVolumes() == null
                ? Set.of()
                : pod.getVolumes().stream()
                    .map(v -> v.getName())
                    .collect(java.util.stream.Collectors.toSet());
        for (Container c : pod.getContainers()) {
          assertThat(c.getName()).as(where + ": a container's name").isNotBlank();
          assertThat(c.getImage())
              .as(where + ": container " + c.getName() + "'s image")
              .isNotBlank();
          if (c.getVolumeMounts() != null) {
            c.getVolumeMounts()
                .forEach(
                    m ->
                        assertThat(volumes)
                            .as(where + ": " + c.getName() + " mounts a volume the pod lacks")
                            .contains(m.getName()));
          }
          if (!isInferscope(c)) {
            continue;
          }
          inferscopeContainers++;
          String cw = where + " container " + c.getName();
          assertThat(c.getCommand()).as(cw + ": keeps the image's entry point").isNullOrEmpty();
          parsesAsInferscope(cw, expanded(c));
          var sc = c.getSecurityContext();
          assertThat(sc).as(cw + ": securityContext").isNotNull();
          Long uid =
              sc.getRunAsUser() != null
                  ? sc.getRunAsUser()
                  : pod.getSecurityContext() == null
                      ? null
                      : pod.getSecurityContext().getRunAsUser();
          Boolean nonRoot =
              sc.getRunAsNonRoot() != null
                  ? sc.getRunAsNonRoot()
                  : pod.getSecurityContext() == null
                      ? null
                      : pod.getSecurityContext().getRunAsNonRoot();
          assertThat(nonRoot).as(cw + ": runAsNonRoot").isTrue();
          assertThat(uid).as(cw + ": the image's user").isEqualTo(IMAGE_UID);
          if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            // A read-only root: the JVM's /tmp and every output file need a volume.
            List<String> mounts =
                c.getVolumeMounts() == null
                    ? List.of()
                    : c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList();
            assertThat(mounts).as(cw + ": /tmp on a read-only root").contains("/tmp");
            for (String out : outputFiles(expanded(c))) {
              assertThat(mounts)
                  .as(cw + ": " + out + " lies on no volume (the root file system is read-only)")
                  .anyMatch(m -> out.startsWith(m + "/"));
            }
          }
          if (c.getArgs().contains("--sample-only") && pod.getContainers().size() > 1) {
            // A sidecar samples another container's processes: one PID namespace per pod.
            assertThat(pod.getShareProcessNamespace()).as(cw + ": shareProcessNamespace").isTrue();
          }
        }
      }
    }
    assertThat(inferscopeContainers).as("inferscope containers in deploy/kubernetes").isPositive();
  }

  @Test
  void argumentsAreExpandedAsTheKubeletExpandsThem() {
    Container c =
        new io.fabric8.kubernetes.api.model.ContainerBuilder()
            .withName("x")
            .withImage("inferscope:1")
            .addNewEnv()
            .withName("OUT")
            .withValue("/results")
            .endEnv()
            .withArgs("--json=$(OUT)/run-$(JOB_COMPLETION_INDEX).json", "$(NOT_SET)")
            .build();
    assertThat(expanded(c)).containsExactly("--json=/results/run-0.json", "$(NOT_SET)");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    assertThat(o).as(what).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object o, String what) {
    assertThat(o).as(what).isInstanceOf(List.class);
    return (List<String>) o;
  }

  @Test
  void theComposeExampleRunsInferscopeInTheEnginesNamespaces() throws IOException {
    Path file = ROOT.resolve("deploy/compose/compose.yaml");
    Map<String, Object> compose = documents(file).getFirst();
    Map<String, Object> services = map(compose.get("services"), "services");
    assertThat(services).containsOnlyKeys("engine", "inferscope", "sampler");
    Map<String, Object> volumes = map(compose.get("volumes"), "volumes");
    for (String name : List.of("inferscope", "sampler")) {
      Map<String, Object> s = map(services.get(name), name);
      assertThat(s.get("pid"))
          .as(name + ": the engine's PID namespace")
          .isEqualTo("service:engine");
      assertThat(s.get("network_mode")).as(name).isEqualTo("service:engine");
      List<String> command = strings(s.get("command"), name + ": command");
      parsesAsInferscope("compose service " + name, command);
      assertThat(map(map(s.get("depends_on"), name).get("engine"), name).get("condition"))
          .isEqualTo("service_healthy");
      for (String v : strings(s.get("volumes"), name + ": volumes")) {
        String source = v.substring(0, v.indexOf(':'));
        assertThat(volumes).as(name + ": volume " + source).containsKey(source);
      }
    }
    assertThat(strings(map(services.get("sampler"), "sampler").get("command"), "sampler"))
        .contains("--sample-only");
    assertThat(map(services.get("engine"), "engine")).containsKeys("image", "healthcheck");

    // The GPU overlay adds to the same services, and gives the sampler the engine's GPUs.
    Map<String, Object> gpu =
        map(
            documents(ROOT.resolve("deploy/compose/compose.gpu.yaml")).getFirst().get("services"),
            "gpu");
    assertThat(services.keySet()).containsAll(gpu.keySet());
    assertThat(gpu).containsKeys("engine", "sampler");
  }

  /** A workflow's `on`, which YAML 1.1 (SnakeYAML, unlike GitHub's reader) reads as true. */
  static Object triggers(Map<String, Object> workflow) {
    Map<?, ?> any = workflow;
    return any.containsKey("on") ? any.get("on") : any.get(Boolean.TRUE);
  }

  @Test
  void theWorkflowsHaveTheirRequiredKeys() throws IOException {
    List<Path> files = yamlFiles(ROOT.resolve(".github/workflows"));
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("ci.yml", "release.yml");
    for (Path file : files) {
      Map<String, Object> wf = documents(file).getFirst();
      String f = file.getFileName().toString();
      assertThat(wf).as(f).containsKeys("name", "jobs");
      assertThat(triggers(wf)).as(f + ": on").isNotNull();
      Map<String, Object> jobs = map(wf.get("jobs"), f + ": jobs");
      assertThat(jobs).as(f + ": jobs").isNotEmpty();
      for (var job : jobs.entrySet()) {
        String where = f + " job " + job.getKey();
        Map<String, Object> j = map(job.getValue(), where);
        assertThat(j).as(where).containsKeys("runs-on", "steps", "timeout-minutes");
        List<?> steps = (List<?>) j.get("steps");
        assertThat(steps).as(where + ": steps").isNotEmpty();
        for (Object o : steps) {
          Map<String, Object> step = map(o, where + ": a step");
          assertThat(step.containsKey("uses") ^ step.containsKey("run"))
              .as(where + ": a step has either uses or run: " + step)
              .isTrue();
          if (step.get("uses") instanceof String uses) {
            assertThat(uses)
                .as(where + ": an action pinned to a version")
                .matches("[\\w./-]+@v\\d+");
          }
        }
        // Every job that builds tests first, with the README's test command; the benchmark gate
        // tests nothing of the project (GithubActionsExampleIT runs it step by step).
        if (f.equals("benchmark-gate.yml")) {
          continue;
        }
        assertThat(steps)
            .as(where + ": runs .ci/run")
            .anyMatch(s -> "bash .ci/run".equals(((Map<?, ?>) s).get("run")));
      }
    }

    String release = read(ROOT.resolve(".github/workflows/release.yml"));
    Map<String, Object> wf = documents(ROOT.resolve(".github/workflows/release.yml")).getFirst();
    Map<String, Object> push = map(map(triggers(wf), "on").get("push"), "on.push");
    assertThat(strings(push.get("tags"), "on.push.tags")).containsExactly("v*");
    assertThat(push).doesNotContainKey("branches");
    assertThat(release)
        .contains("docker/metadata-action@", "type=semver,pattern={{version}}")
        .contains("sbom: true", "anchore/sbom-action@")
        .contains("registry: ${{ env.REGISTRY }}", "REGISTRY: ${{ vars.REGISTRY }}")
        .contains("JAR=inferscope-cli/target/inferscope.jar");
    // The tests run before anything is pushed.
    assertThat(release.indexOf("bash .ci/run")).isLessThan(release.indexOf("push: true"));
  }
}
