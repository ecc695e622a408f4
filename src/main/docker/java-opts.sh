#!/usr/bin/env bash
# Prints the JVM options the image starts with (Dockerfile.jvm's JAVA_OPTS, continuation lines joined), for the
# scripts that start the jar as the image does: src/main/docker/check-aot-cache.sh and check-heap-sizing.sh,
# bench/jit.sh, bench/aot-train.sh and bench/cold-start.sh.
set -euo pipefail
sed -n '/^ENV JAVA_OPTS="/,/"$/p' "$(dirname "$0")/Dockerfile.jvm" | tr -d '\\\n' \
  | sed -e 's/^ENV JAVA_OPTS="//' -e 's/"$//'
