# inferscope in a container: build with Maven on JDK 25, run on a JRE 25.
#   docker build -t inferscope .
#   docker run --rm --network host inferscope run --url http://127.0.0.1:8080 -c 8 -n 64
# For /proc sampling of an engine on the host, add --pid host; for GPUs, --gpus all.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
# The product jar only: the benchmarks (inferscope-bench) are not shipped.
RUN mvn -B -ntp -q -DskipTests -pl inferscope-cli -am package

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 inferscope
COPY --from=build /src/inferscope-cli/target/inferscope.jar /opt/inferscope/inferscope.jar
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
