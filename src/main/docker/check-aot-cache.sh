#!/usr/bin/env bash
# Opens target/quarkus-app/app.aot as the image starts it, with the image's own JVM options (Dockerfile.jvm's
# JAVA_OPTS) and -XX:AOTMode=on, so that a cache the JVM would refuse fails here, loudly, rather than in a pod: a
# cache trained on another runtime or with other options, or (the case that kept pods of 384 MiB and less from
# starting) an initial heap too small to load the cache's archived heap objects. Each container size in SIZES is
# emulated with -XX:MaxRAM, which is how the JVM sizes its heap from a container's limit. .ci/run runs it on JDK 25.
#
#   src/main/docker/check-aot-cache.sh            (SIZES default: "192m 384m 1g"; JAVA default: $JAVA_HOME/bin/java)
set -euo pipefail
cd "$(dirname "$0")/../../.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
SIZES=${SIZES:-192m 384m 1g}
CACHE=target/quarkus-app/app.aot
[ -s "$CACHE" ] || { echo "no AOT cache at $CACHE" >&2; exit 1; }
# The image's JAVA_OPTS; the -D system properties play no part in opening the cache.
opts=$(src/main/docker/java-opts.sh)
status=0
for size in $SIZES; do
  # shellcheck disable=SC2086
  if output=$("$JAVA" -XX:MaxRAM="$size" $opts -XX:AOTCache="$CACHE" -XX:AOTMode=on \
      -cp target/quarkus-app/quarkus-run.jar -version 2>&1); then
    echo "AOT cache opens in a $size container with the image's options"
  else
    echo "AOT cache does NOT open in a $size container with the image's options:" >&2
    echo "$output" | grep -v '^openjdk\|^OpenJDK' >&2
    status=1
  fi
done
exit $status
