# The aws-node image: aws-k8s-agent (ipamd) and the aws-cni plugin it installs on the host.
# Build the executables first (./mvnw -B -DskipTests install); this file only assembles them.
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 iptables nftables \
    && rm -rf /var/lib/apt/lists/*
# The daemon's runtime: the plugin's jlinked java.base runtime is not enough for Netty and the AWS SDK.
COPY --from=eclipse-temurin:25-jre /opt/java/openjdk /app/jre
COPY ipamd/target/dist/ /app/
COPY cni-plugin/target/dist/ /app/cni/
COPY config/10-aws.conflist config/entrypoint.sh /app/
ENV JAVA_HOME=/app/jre
ENTRYPOINT ["/app/entrypoint.sh"]
