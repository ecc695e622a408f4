#!/usr/bin/env bash
# Checks the heap the image's JVM options (Dockerfile.jvm's JAVA_OPTS) give in containers of the sizes the manifests
# and the docs name: never a larger share of the limit than the image's own MaxRAMPercentage says. The
# JVM sizes the heap of a small container (up to about 250 MiB) by -XX:MinRAMPercentage, not MaxRAMPercentage:
# left at its default of 50 %, a 192 MiB container got a 96 MiB heap and was killed by the kernel under load
# (BENCHMARKS.md, the second footprint push). Each size is emulated with -XX:MaxRAM, as the JVM reads a container's
# limit. .ci/run runs it.
#
#   src/main/docker/check-heap-sizing.sh        (SIZES default: "192m 256m 384m 1g"; JAVA default: $JAVA_HOME/bin/java)
set -euo pipefail
cd "$(dirname "$0")/../../.."
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
SIZES=${SIZES:-192m 256m 384m 1g}
opts=$(src/main/docker/java-opts.sh)
percent=$(sed -n 's/.*-XX:MaxRAMPercentage=\([0-9.]*\).*/\1/p' <<<"$opts")
[ -n "$percent" ] || { echo "the image's JAVA_OPTS set no -XX:MaxRAMPercentage" >&2; exit 1; }
status=0
for size in $SIZES; do
  # shellcheck disable=SC2086
  heap=$("$JAVA" -XX:MaxRAM="$size" $opts -XX:+PrintFlagsFinal -version 2>/dev/null \
    | awk '$2 == "MaxHeapSize" {print $4}')
  limit=$(numfmt --from=iec "${size^^}")
  share=$(awk -v h="$heap" -v l="$limit" 'BEGIN {printf "%.1f", 100 * h / l}')
  if awk -v s="$share" -v p="$percent" 'BEGIN {exit !(s <= p + 0.5)}'; then
    echo "a $size container gets a heap of $((heap / 1048576)) MiB ($share % of its limit)"
  else
    echo "a $size container gets a heap of $((heap / 1048576)) MiB: $share % of its limit, over the image's $percent %" >&2
    status=1
  fi
done
exit $status
