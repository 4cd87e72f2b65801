#!/usr/bin/env bash
# Rule healing: time from flushing every pod rule (as a systemd-networkd restart does) until all are back,
# in a private network namespace. usage: test/bench/heal-bench.sh [pods] [flushes]
# Needs root and a build: ./mvnw -B -DskipTests install
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp="$root/test/target/test-classes:$(cat "$root/test/target/test-classpath.txt")"
exec unshare --net --mount --propagation private -- sh -c '
  mount -t sysfs sysfs /sys; ip link set lo up
  exec "$0" --enable-native-access=ALL-UNNAMED -cp "$1" io.vpccni.test.bench.HealBench "$2" "$3"
' "$java" "$cp" "${1:-100}" "${2:-20}" 2>&1 | grep -v '^{'
