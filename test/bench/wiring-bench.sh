#!/usr/bin/env bash
# Daemon-side pod wiring, timed in-process (setup and teardown of N pods, medians and p99), inside a
# private network and mount namespace. Needs root and a build: ./mvnw -B -DskipTests install
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pods=${1:-200}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp="$root/test/target/test-classes:$(cat "$root/test/target/test-classpath.txt")"
echo "| step | pods | median ms | p99 ms | max ms |"
echo "|---|---|---|---|---|"
exec unshare --net --mount --propagation private -- sh -c '
  mount -t sysfs sysfs /sys; mkdir -p /run/netns; mount -t tmpfs tmpfs /run/netns; ip link set lo up
  exec "$0" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$1" io.vpccni.test.bench.PodWiringBench "$2"
' "$java" "$cp" "$pods" 2>&1 | grep -v '^{'
