#!/bin/sh
# aws-node container entrypoint: install the plugin on the host, start aws-k8s-agent, and write the
# conflist only once the daemon serves, so kubelet reports the node network-ready only when pods can be wired.
set -eu
bin_dir=${HOST_CNI_BIN_PATH:-/host/opt/cni/bin}
conf_dir=${HOST_CNI_CONFDIR_PATH:-/host/etc/cni/net.d}
socket=${IPAMD_SOCKET_PATH:-/var/run/aws-node/ipamd.sock}

# Replace the plugin atomically: a runtime may exec it at any moment.
mkdir -p "$bin_dir"
rm -rf "$bin_dir/aws-cni.d.new"
cp -a /app/cni/aws-cni.d "$bin_dir/aws-cni.d.new"
rm -rf "$bin_dir/aws-cni.d.old"
[ -d "$bin_dir/aws-cni.d" ] && mv "$bin_dir/aws-cni.d" "$bin_dir/aws-cni.d.old"
mv "$bin_dir/aws-cni.d.new" "$bin_dir/aws-cni.d"
cp /app/cni/aws-cni "$bin_dir/aws-cni.new" && mv "$bin_dir/aws-cni.new" "$bin_dir/aws-cni"
rm -rf "$bin_dir/aws-cni.d.old"

/app/aws-k8s-agent &
agent=$!
trap 'kill -TERM "$agent" 2>/dev/null; wait "$agent"' TERM INT

waited=0
until [ -S "$socket" ]; do
  kill -0 "$agent" 2>/dev/null || { echo "entrypoint: aws-k8s-agent exited before serving" >&2; wait "$agent"; exit 1; }
  [ "$waited" -ge 600 ] && { echo "entrypoint: aws-k8s-agent did not serve on $socket within 60 s" >&2; exit 1; }
  sleep 0.1
  waited=$((waited + 1))
done
mkdir -p "$conf_dir"
sed "s|/var/run/aws-node/ipamd.sock|$socket|" /app/10-aws.conflist > "$conf_dir/10-aws.conflist.new"
mv "$conf_dir/10-aws.conflist.new" "$conf_dir/10-aws.conflist"
echo "entrypoint: aws-k8s-agent serving on $socket; wrote $conf_dir/10-aws.conflist"
wait "$agent"
