#!/usr/bin/env bash
# The EC2-throttling burst experiment: N in-process nodes (pool executor, ENI lifecycle, real SDK client) on one
# simulated account with throttling on, P pods arriving on every node at once. Prints time to serve every pod,
# EC2 requests and throttled requests per action, the token buckets' lower bound, and a leak/duplicate audit.
#   test/bench/burst-bench.sh [--nodes 500] [--pods-per-node 46] [--instance-type m5.xlarge] [--warm-eni-target 1]
#                             [--arrival-threads 4] [--interval-ms 2500] [--timeout-s 900] [--discovery-threads 8]
# Quick run: test/bench/burst-bench.sh --nodes 50. No root needed. Build first: ./mvnw -B -DskipTests install
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp="$root/test/target/test-classes:$(cat "$root/test/target/test-classpath.txt")"
exec "$java" -Xss512k -Xmx4g -cp "$cp" io.vpccni.test.bench.BurstBench "$@"
