#!/bin/sh
# Run at image build (Dockerfile): starts the daemon once, as a node starts it, until it serves, makes one
# STATUS call through the plugin, then stops it with SIGTERM, so the JVM writes the class-data archive
# ($AWS_K8S_AGENT_CDS_ARCHIVE) into the image. A node's very first start then loads its classes from the
# archive, as every later start does.
# Nothing is reachable at build time: IMDS points at a closed port, so node discovery keeps retrying while
# the daemon serves (ADD answers "try again later"); no EC2 call and no kernel change is made. Nothing
# listens on TCP either (metrics off, introspection on a Unix socket): a build on the host's network
# (podman build --network=host) must not take the node's ports.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
socket=$work/ipamd.sock
env -u HOST_CNI_CONFDIR_PATH \
  AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9 AWS_REGION=us-east-1 \
  IPAMD_SOCKET_PATH="$socket" AWS_VPC_K8S_CNI_BACKING_STORE="$work/ipam.json" \
  AWS_VPC_K8S_CNI_LOG_FILE="$work/agent.log" DISABLE_METRICS=true INTROSPECTION_BIND_ADDRESS="unix:$work/introspection.sock" \
  /app/aws-k8s-agent &
agent=$!

waited=0
until [ -S "$socket" ] && grep -q 'serving gRPC' "$work/agent.log" 2>/dev/null; do
  if ! kill -0 "$agent" 2>/dev/null || [ "$waited" -ge 600 ]; then
    echo "train-archive: aws-k8s-agent did not serve within 60 s:" >&2
    cat "$work/agent.log" >&2 || true
    kill -KILL "$agent" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
  waited=$((waited + 1))
done
# The daemon answers "not ready" (IMDS is closed); the call still runs the gRPC server's whole path.
printf '{"cniVersion":"1.0.0","name":"aws-cni","type":"aws-cni","ipamdSocket":"%s","pluginLogFile":"%s"}' "$socket" "$work/plugin.log" \
  | CNI_COMMAND=STATUS CNI_PATH=/app/cni /app/cni/aws-cni >/dev/null 2>&1 || true

kill -TERM "$agent"
status=0
wait "$agent" || status=$?
# 143: killed by SIGTERM, which the daemon's shutdown hook has completed.
if [ "$status" != 0 ] && [ "$status" != 143 ]; then
  echo "train-archive: aws-k8s-agent exited with $status:" >&2
  cat "$work/agent.log" >&2
  exit 1
fi
[ -s "$AWS_K8S_AGENT_CDS_ARCHIVE" ] || { echo "train-archive: no archive at $AWS_K8S_AGENT_CDS_ARCHIVE" >&2; exit 1; }
echo "train-archive: $AWS_K8S_AGENT_CDS_ARCHIVE ($(du -h "$AWS_K8S_AGENT_CDS_ARCHIVE" | cut -f1)) after $((waited / 10)) s to serve"
