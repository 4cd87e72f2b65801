#!/usr/bin/env bash
# Runs the JMH benchmarks in the test module: test/bench/jmh.sh [JMH options, e.g. a regex of benchmarks]
# Build first: ./mvnw -B -DskipTests install
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp="$root/test/target/test-classes:$(cat "$root/test/target/test-classpath.txt")"
exec "$java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$@"
