# inferscope in a container: build with Maven on JDK 25, run on a JRE 25.
#   docker build -t inferscope .
#   docker run --rm --network host inferscope run --url http://127.0.0.1:8080 -c 8 -n 64
# For /proc sampling of an engine on the host, add --pid host; for GPUs, --gpus all.
# deploy/README.md has the compose and Kubernetes examples.
#
# Build arguments (all optional):
#   BASE        the runtime image: a JRE 25 with `java` on PATH, a shell and useradd
#   BUILD_BASE  the build image: JDK 25 with Maven 3.9
#   JAR         a jar already built and tested (a path in the build context, e.g.
#               inferscope-cli/target/inferscope.jar): the image ships it instead of building
#               one. The release workflow ships the jar that ./scripts/test tested this way;
#               scripts/container-test builds from local bases with it.
#   GIT_COMMIT  the commit --version names when the jar is built here (the context has no .git)
ARG BASE=eclipse-temurin:25-jre
ARG BUILD_BASE=maven:3.9-eclipse-temurin-25

FROM ${BUILD_BASE} AS build
ARG JAR=
ARG GIT_COMMIT=
WORKDIR /src
COPY . .
# The product jar only: the benchmarks (inferscope-bench) are not shipped.
RUN mkdir -p /out \
    && if [ -n "$JAR" ]; then cp "$JAR" /out/inferscope.jar; \
    else mvn -B -ntp -q -DskipTests ${GIT_COMMIT:+-Dinferscope.git.commit=$GIT_COMMIT} \
        -pl inferscope-cli -am package \
      && cp inferscope-cli/target/inferscope.jar /out/inferscope.jar; fi

FROM ${BASE}
RUN useradd --system --uid 10001 --gid 0 --no-create-home --home-dir /work inferscope \
    && mkdir -p /work && chown 10001:0 /work && chmod 0775 /work
COPY --from=build /out/inferscope.jar /opt/inferscope/inferscope.jar
# Netty's native library copied out of the jar once, here, for the entry point to name in
# java.library.path (NativeLibraryFolder, ADR 0023; without it Netty copies it out at every start).
RUN java -cp /opt/inferscope/inferscope.jar io.inferscope.cli.NativeLibraryFolder \
    /opt/inferscope/inferscope.native || rm -rf /opt/inferscope/inferscope.native
# JDK AOT cache, as ./inferscope makes it: one short training run against the built-in simulated
# engine on loopback, with this image's JVM. Without it (or if the JVM rejects it) inferscope
# starts as before, only slower: -Xlog:aot=off keeps that silent.
COPY --from=build /src/scripts/aot-cache /tmp/aot-cache
RUN /tmp/aot-cache java /opt/inferscope/inferscope.jar /opt/inferscope/inferscope.aot \
    || echo "inferscope: no AOT cache made; the image starts without it" >&2; rm -f /tmp/aot-cache
COPY --from=build /src/scripts/jvm-options /src/scripts/container-entrypoint /opt/inferscope/
USER 10001
WORKDIR /work
# The launcher's JVM options (scripts/jvm-options): ZGC for 256 streams or more, else G1 with a
# young-generation floor and the AOT cache. INFERSCOPE_JAVA_OPTS adds options of your own.
ENTRYPOINT ["/opt/inferscope/container-entrypoint"]
CMD ["--help"]
