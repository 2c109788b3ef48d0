# syntax=docker/dockerfile:1

# Build: the Maven wrapper packages target/wsrpc.jar (compiled with --release 17), then
# Boot's jarmode extracts it, in layers, as a thin wsrpc.jar beside lib/ (the form class data
# sharing needs), so a code change rebuilds only the last layer.
# The tests run in CI (./mvnw verify), not here.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package
RUN java -Djarmode=tools -jar target/wsrpc.jar extract --layers --destination target/extracted

# Run: a JRE, a user without privileges, and the layers from the least to the most often changed.
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 wsrpc \
	&& useradd --system --uid 10001 --gid wsrpc --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin wsrpc
WORKDIR /app
COPY --from=build /workspace/target/extracted/dependencies/ ./
COPY --from=build /workspace/target/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/target/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/target/extracted/application/ ./
# Class data sharing (Spring Boot's CDS support): a training run starts the application up to
# a refreshed context, exits, and leaves the classes it loaded in an archive that every later
# start maps instead of loading and verifying them again. It needs no Redis: the training run
# uses the memory broker. The archive belongs to this image's JVM and jar; both are fixed here.
RUN java -XX:ArchiveClassesAtExit=wsrpc.jsa -Dspring.context.exit=onRefresh -jar wsrpc.jar \
	--logging.level.root=warn
USER 10001:10001
# /ws and /jsonrpc; the actuator too, unless MANAGEMENT_SERVER_PORT moves it
EXPOSE 8080
# java is PID 1, so it gets the SIGTERM of docker stop and drains calls in flight before exiting.
# MaxRAMPercentage sizes the heap from the container's memory limit (the JVM's default is 25%);
# add flags with JAVA_TOOL_OPTIONS, settings with env vars or a file at /app/config/application.yml.
# Without the archive (or with another JVM) the JVM warns and starts as it would without it.
# The last three flags give back heap the JVM no longer needs: 19,000 idle connections hold
# about 24 KB of RSS each with them, 53 KB without (bench/README.md).
ENTRYPOINT ["java", "-XX:SharedArchiveFile=wsrpc.jsa", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:G1PeriodicGCInterval=10000", "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=10", "-jar", "wsrpc.jar"]
