#!/usr/bin/env bash
# Lays out the plugin as it ships and trains its AOT cache, in one step so the cache always matches the jar:
#   dist/aws-cni                      launcher
#   dist/aws-cni.d/aws-cni.jar        the plugin (JDK classes only)
#   dist/aws-cni.d/jre/               a java.base-only runtime (nodes have no JDK)
#   dist/aws-cni.d/aws-cni-<hash>.aot AOT cache, named after the jar's SHA-256
set -euo pipefail
java_home=$1 jar=$2 dist=$3
src=$(cd "$(dirname "$0")/.." && pwd)

# Flags chosen by measurement (BENCHMARKS.md). A call lives ~40 ms and runs most code once, so the
# interpreter alone beats C1 on wall time and CPU (no compiler threads); a small serial heap starts
# fastest; no perf-data file to mmap; the JDK's selector provider named directly, so opening the socket
# does not scan the jar for a ServiceLoader entry; native reflection, so the SecureRandom the JDK's Unix
# socket code creates is instantiated without spinning method-handle classes.
java_opts="-Xint -XX:+UseSerialGC -Xms8m -Xmx128m -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true"
java_opts="$java_opts -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider"

rm -rf "$dist"
mkdir -p "$dist/aws-cni.d"
cp "$jar" "$dist/aws-cni.d/aws-cni.jar"
"$java_home/bin/jlink" --add-modules java.base --strip-debug --no-man-pages --no-header-files \
  --output "$dist/aws-cni.d/jre"
# Opening a Unix socket seeds a SecureRandom, which parses conf/security/java.security (72 KB, nearly all
# comments) and conf/net.properties. Same settings without the comments: measurably faster to load.
for conf in "$dist/aws-cni.d/jre/conf/security/java.security" "$dist/aws-cni.d/jre/conf/net.properties"; do
  awk '{ if (cont) { print; cont = /\\$/; next }
         if ($0 ~ /^[ \t]*[#!]/ || $0 ~ /^[ \t]*$/) next
         print; cont = /\\$/ }' "$conf" > "$conf.tmp"
  mv "$conf.tmp" "$conf"
done
hash=$(sha256sum "$dist/aws-cni.d/aws-cni.jar" | cut -c1-16)
cache="aws-cni-$hash.aot"
(cd "$dist/aws-cni.d" && ./jre/bin/java $java_opts -XX:AOTCacheOutput="$cache" -Xlog:disable -Xlog:all=error:stderr \
  -cp aws-cni.jar io.vpccni.cni.aot.TrainingRun)
[ -s "$dist/aws-cni.d/$cache" ] || { echo "package-dist: AOT cache $cache was not created" >&2; exit 1; }
sed -e "s|@AOT_CACHE@|$cache|" -e "s|@JAVA_OPTS@|$java_opts|" "$src/main/dist/aws-cni" > "$dist/aws-cni"
chmod 755 "$dist/aws-cni"
echo "package-dist: $dist/aws-cni with $cache"
