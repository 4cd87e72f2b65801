#!/usr/bin/env bash
# Lays out the plugin as it ships and trains its AOT cache, in one step so the cache always matches the jar:
#   dist/aws-cni                      launcher
#   dist/aws-cni.d/aws-cni.jar        the plugin (JDK classes only)
#   dist/aws-cni.d/jre/               a java.base-only runtime (nodes have no JDK)
#   dist/aws-cni.d/aws-cni-<hash>.aot AOT cache, named after the jar's SHA-256
set -euo pipefail
java_home=$1 jar=$2 dist=$3
src=$(cd "$(dirname "$0")/.." && pwd)

# Flags chosen by measurement (BENCHMARKS.md): C1 only and the serial GC start fastest for a process
# that lives ~100 ms; no perf-data file to mmap.
java_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"

rm -rf "$dist"
mkdir -p "$dist/aws-cni.d"
cp "$jar" "$dist/aws-cni.d/aws-cni.jar"
"$java_home/bin/jlink" --add-modules java.base --strip-debug --no-man-pages --no-header-files \
  --output "$dist/aws-cni.d/jre"
hash=$(sha256sum "$dist/aws-cni.d/aws-cni.jar" | cut -c1-16)
cache="aws-cni-$hash.aot"
(cd "$dist/aws-cni.d" && ./jre/bin/java $java_opts -XX:AOTCacheOutput="$cache" -Xlog:disable -Xlog:all=error:stderr \
  -cp aws-cni.jar io.vpccni.cni.aot.TrainingRun)
[ -s "$dist/aws-cni.d/$cache" ] || { echo "package-dist: AOT cache $cache was not created" >&2; exit 1; }
sed -e "s|@AOT_CACHE@|$cache|" -e "s|@JAVA_OPTS@|$java_opts|" "$src/main/dist/aws-cni" > "$dist/aws-cni"
chmod 755 "$dist/aws-cni"
echo "package-dist: $dist/aws-cni with $cache"
