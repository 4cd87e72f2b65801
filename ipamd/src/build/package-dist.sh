#!/usr/bin/env bash
# Lays out the daemon as it ships:
#   dist/aws-k8s-agent   launcher (prefers dist/jre)
#   dist/lib/*.jar       the daemon and its runtime classpath (copied by maven-dependency-plugin)
#   dist/jre/            a runtime jlinked to the modules the daemon uses, with its base CDS archive
set -euo pipefail
java_home=$1 jar=$2 dist=$3

cp "$jar" "$dist/lib/ipamd.jar"
chmod 755 "$dist/aws-k8s-agent"

# The modules the runtime classpath uses, as found by
#   jdeps --ignore-missing-deps --multi-release 25 --print-module-deps --class-path 'dist/lib/*' dist/lib/*.jar
# less java.desktop (23 MB): jdeps names it only for java.beans annotations (@Transient on EC2 model builders,
# Jackson's optional java.beans support, which it probes and skips when absent) and Micrometer's Log4j2
# binder, which the daemon does not use. jdk.management and jdk.jfr serve Micrometer's JVM metrics and
# Netty; java.sql, java.sql.Timestamp in Jackson, Gson and Fabric8's model. TLS, EC keys and the HTTP
# clients are in java.base and java.net.http. Re-run jdeps after a dependency change: the E2Es run the
# daemon on this runtime and show what is missing.
modules=java.base,java.naming,java.net.http,java.sql,jdk.jfr,jdk.management,jdk.unsupported
# jlink and the dump take ~5 s: done again only when the JDK or the module list changed.
stamp=$(printf '%s\n' "$modules"; cat "$java_home/release")
if [ "$(cat "$dist/jre/.jlinked" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$dist/jre"
  "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --output "$dist/jre"
  # The base class-data archive the launcher's dynamic one (AutoCreateSharedArchive) extends, dumped with the
  # launcher's own module options: with jlink's --generate-cds-archive, --enable-native-access at run time
  # mismatches the dump and the JVM drops the archived module graph (with an [error][cds] line at every start).
  "$dist/jre/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:dump -Xlog:disable -Xlog:all=error:stderr
  printf '%s\n' "$stamp" > "$dist/jre/.jlinked"
fi
echo "package-dist: $dist/aws-k8s-agent on a jlinked runtime ($(du -sh "$dist/jre" | cut -f1))"
