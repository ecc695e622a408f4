#!/usr/bin/env bash
# Builds localhost/token-service:latest from target/quarkus-app (run `./mvnw verify` or `./mvnw package` first)
# with src/main/docker/Dockerfile.jvm and podman. Where the public base image cannot be pulled, it makes a local
# one first, without any registry: a minimal Debian root filesystem (debootstrap, from Debian's packages) with the
# JDK at $RUNTIME_JDK (default: Temurin 25, the runtime `./mvnw verify` trains the AOT cache on when it is found).
# The image starts with target/quarkus-app/app.aot when the build left one (docs/performance.md: cold starts).
#
#   src/main/docker/build-image.sh                 # local base, then the image
#   BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-21-runtime:1.23 src/main/docker/build-image.sh
#
# Environment: IMAGE (default localhost/token-service:latest), BASE_IMAGE (default: the local base, built when
# missing), RUNTIME_JDK, DEBIAN_MIRROR, PODMAN_RUNTIME (default /usr/sbin/runc: crun fails on these hosts).
set -euo pipefail
cd "$(dirname "$0")/../../.."

IMAGE="${IMAGE:-localhost/token-service:latest}"
RUNTIME_JDK="${RUNTIME_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
LOCAL_BASE="localhost/token-service-base:jdk$("$RUNTIME_JDK/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p')"
BASE_IMAGE="${BASE_IMAGE:-$LOCAL_BASE}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PODMAN_RUNTIME="${PODMAN_RUNTIME:-/usr/sbin/runc}"

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  echo "target/quarkus-app is missing: run ./mvnw package (or verify) first" >&2
  exit 1
fi

if [ "$BASE_IMAGE" = "$LOCAL_BASE" ] && ! podman image exists "$LOCAL_BASE"; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "Making $LOCAL_BASE: debootstrap (minbase) + the Java runtime of $RUNTIME_JDK"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" "$DEBIAN_MIRROR" >"$work/debootstrap.log"
  # The JDK itself, not a jlinked subset: a JDK 25 AOT cache (target/quarkus-app/app.aot) opens only on the very
  # runtime that trained it (its lib/modules, size and time), so the image carries that runtime unchanged, less
  # what never runs (sources, headers, manual pages). cp -a keeps the files' times.
  mkdir -p "$work/rootfs/opt"
  cp -a "$RUNTIME_JDK" "$work/rootfs/opt/java"
  rm -rf "$work/rootfs/opt/java/lib/src.zip" "$work/rootfs/opt/java/include" "$work/rootfs/opt/java/man" \
    "$work/rootfs/opt/java/jmods" "$work/rootfs/opt/java/demo"
  # Nothing the service needs: documentation, locales, the package caches.
  rm -rf "$work/rootfs/usr/share/doc" "$work/rootfs/usr/share/man" "$work/rootfs/usr/share/locale" \
    "$work/rootfs/var/cache/apt" "$work/rootfs/var/lib/apt/lists"
  tar -C "$work/rootfs" -c . | podman import \
    --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$LOCAL_BASE" >/dev/null
fi

# The AOT cache checks the application's jars by size and modification time in whole seconds; podman's COPY
# rounds a time up to the next second. Whole-second times on the host (the second the cache recorded) survive.
find target/quarkus-app -type f ! -name '*.aot' -print0 | while IFS= read -r -d '' file; do
  touch -m -d "@$(stat -c %Y "$file")" "$file"
done

# --no-cache: a cached COPY layer would carry the times of an earlier build.
podman build --no-cache --runtime "$PODMAN_RUNTIME" --build-arg "BASE_IMAGE=$BASE_IMAGE" -f src/main/docker/Dockerfile.jvm \
  -t "$IMAGE" .
echo "Built $IMAGE on $BASE_IMAGE"
