# The aws-node image: aws-k8s-agent (ipamd), the aws-cni plugin its init container installs on the host, and
# Debian's loopback/portmap/bandwidth plugins the conflist chains.
#
# amd64 only: the jlinked runtimes and the native parts (Netty's epoll, jffi) are x86_64 builds.
# Build the executables first, then the image; it needs only Debian's packages (apt-get below):
#   ./mvnw -B package -DskipTests
#   podman build -t aws-node .          (or docker build; BASE_IMAGE names another Debian 12 base)
# Without any registry: test/bin/image builds a Debian 12 base with mmdebstrap and uses it as BASE_IMAGE.
ARG BASE_IMAGE=debian:12-slim
FROM ${BASE_IMAGE}

# iptables (both backends) and nft: the daemon's SNAT/CONNMARK rules; iproute2: for a person debugging a node
# from inside the container (the daemon itself speaks netlink); /usr/lib/cni: the plugins the installer copies.
RUN apt-get update \
    && apt-get install -y --no-install-recommends iproute2 iptables nftables containernetworking-plugins \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*

# target/dist: the launcher, lib/*.jar and the jlinked jre/ (no JRE image to pull).
COPY ipamd/target/dist/ /app/
COPY cni-plugin/target/dist/ /app/cni/

ENV HOST_CNI_BIN_PATH=/host/opt/cni/bin \
    HOST_CNI_CONFDIR_PATH=/host/etc/cni/net.d \
    AWS_CNI_SOURCE_DIR=/app/cni \
    CNI_PLUGINS_SOURCE_DIR=/usr/lib/cni \
    AWS_K8S_AGENT_CDS_ARCHIVE=/app/aws-k8s-agent.jsa

# The daemon's class-data archive, made here by a training run so that a node's first start is as fast as
# its later ones (the script says how it runs without a cloud).
RUN --mount=type=bind,source=ipamd/src/build/train-archive.sh,target=/tmp/train-archive.sh sh /tmp/train-archive.sh

# The JVM is PID 1: on SIGTERM its shutdown hook stops serving, lets calls in flight finish and exits.
# The init container runs the same launcher as `/app/aws-k8s-agent install`.
ENTRYPOINT ["/app/aws-k8s-agent"]
