#!/usr/bin/env bash
# The node's footprint in one command: the real aws-k8s-agent on a simulated node (test/bench/node-bench.py says
# what each phase does), pods through the real aws-cni beside Debian's ptp + host-local, start times with and
# without the class-data archive, and Native Memory Tracking at 110 pods. Prints one table and writes an SVG chart
# (test/target/node-bench/node-bench.svg). Everything runs in private network and mount namespaces; the host's
# network state is never touched. A few minutes on 2 cores.
# usage: test/bench/node-bench.sh [--calls N] [--instance-type T] [--no-nmt] [--out DIR]   (as root)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "node-bench: needs root: it creates network namespaces" >&2; exit 1; }
source "$root/test/bin/requirements"  # iproute2, iptables, containernetworking-plugins (ptp, host-local)
if [ ! -x "$root/ipamd/target/dist/aws-k8s-agent" ] || [ ! -x "$root/cni-plugin/target/dist/aws-cni" ] \
    || [ ! -f "$root/test/target/test-classpath.txt" ]; then
  echo "node-bench: building (./mvnw -o -q -B package -DskipTests)" >&2
  (cd "$root" && ./mvnw -o -q -B package -DskipTests)
fi
exec unshare --net --mount --propagation private -- env NODE_BENCH_INSIDE=1 python3 "$root/test/bench/node-bench.py" "$@"
