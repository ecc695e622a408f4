#!/usr/bin/env bash
# The container image beside the bare jar, in one run: steady token throughput (wrk) and the process's RSS after
# the steady phase, for the jar on the host JVM and for localhost/token-service:latest in containers of each memory
# limit in MEMORIES (podman, runc, --read-only, non-root), all against the local PostgreSQL. A container the kernel
# kills for its memory limit is reported as such. Each in two loads (LOADS): "reissue", clients repeating their
# requests, most answered from the reissue window; "signed", every token signed (the window off).
#
#   bench/container.sh             (about 8 minutes; builds the jar and the image unless SKIP_BUILD=1)
#   MEMORIES="128m 192m" LOADS=signed bench/container.sh
#
# Results: bench/results/<time>-container/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-container"
mkdir -p "$OUT"
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
IMAGE=${IMAGE:-localhost/token-service:latest}
MEMORIES=${MEMORIES:-192m 384m}
LOADS=${LOADS:-reissue signed}
# IMAGE_ENV: environment for the containers only, K=V pairs separated by ';', e.g.
# IMAGE_ENV="JAVA_OPTS_APPEND=-XX:TrimNativeHeapInterval=5000 -XX:CompileCommand=MemLimit,*.*,32m;QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=4".
IFS=';' read -r -a IMAGE_ENV <<<"${IMAGE_ENV:-}"
CLIENTS=${CLIENTS:-128}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-20}
PORT=${PORT:-18180}
MGMT=${MGMT:-19180}
URL="http://127.0.0.1:$PORT"
DB=tokencontainer
ADMIN_ID=container-admin
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq podman runc python3
fresh_database "$DB"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the jar and the image"
  ./mvnw -B -q package -DskipTests
  src/main/docker/build-image.sh >"$OUT/build-image.log"
fi

ENV_ARGS=(DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT
  TOKEN_SERVICE_ISSUER=$URL TOKEN_SERVICE_KEY_ENCRYPTION_KEY=$KEY_ENCRYPTION_KEY
  TOKEN_SERVICE_THROTTLE_FAILURES_PER_SOURCE_PER_MINUTE=1000000000
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET
  QUARKUS_LOG_LEVEL=WARN)
PID=""
CONTAINER=""

start_jar() {
  env "${ENV_ARGS[@]}" "${LOAD_ENV[@]}" "$JDK/bin/java" -jar target/quarkus-app/quarkus-run.jar >>"$OUT/jar.log" 2>&1 &
  PID=$!
  await_ready "$MGMT" "$PID"
}
start_container() {
  CONTAINER=$(run_image "$1" "$IMAGE" "${ENV_ARGS[@]}" "${LOAD_ENV[@]}" "${IMAGE_ENV[@]}")
  PID=$(podman inspect --format '{{.State.Pid}}' "$CONTAINER")
  # A JVM that exits at once (it cannot open its AOT cache in the heap it got, say) leaves no process: 0.
  [ -n "$PID" ] && [ "$PID" != 0 ] || return 1
  await_ready "$MGMT" "$PID"
}
# podman does not always flag a kill by the memory cgroup (runc, cgroup v1); the kernel's log names the container.
oom_killed() {
  [ -n "$CONTAINER" ] && { [ "$(podman inspect --format '{{.State.OOMKilled}}' "$CONTAINER")" = true ] \
    || dmesg 2>/dev/null | grep -q "oom-kill:.*libpod-$CONTAINER"; }
}
stop() {
  if [ -n "$CONTAINER" ]; then
    podman logs "$CONTAINER" >>"$OUT/container.log" 2>&1 || true
    podman stop -t 30 "$CONTAINER" >/dev/null 2>&1 || true
    podman rm -f "$CONTAINER" >/dev/null 2>&1 || true
    CONTAINER=""
  elif [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  fi
  PID=""
}
trap stop EXIT

log "registering $CLIENTS clients (bare jar)"
LOAD_ENV=()
start_jar || { echo "the jar did not start, see $OUT/jar.log" >&2; exit 1; }
register_clients "$URL" "$ADMIN_ID" "$CLIENTS" container "$OUT/valid.headers"
stop

printf '| load | run | memory limit | tokens/s | p99 ms | non-2xx | RSS after steady, MB (anonymous) | peak cgroup memory (MiB) | OOM kills |\n' >"$OUT/table.md"
printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n' >>"$OUT/table.md"
for load in $LOADS; do
LOAD_ENV=()
[ "$load" = signed ] && LOAD_ENV=(TOKEN_SERVICE_REISSUE_ENABLED=false)
for run in jar $MEMORIES; do
  log "$load, $run: start, warm-up ${WARMUP}s, steady ${DURATION}s (wrk -t2 -c64)"
  if [ "$run" = jar ]; then
    start_jar || { echo "the jar did not start, see $OUT/jar.log" >&2; exit 1; }
    name="bare jar"; limit="none"
  else
    name="container"; limit=$run
    if ! start_container "$run"; then
      printf '| %s | %s | %s | did not start | | | | | %s |\n' "$load" "$name" "$limit" "$(oom_killed && echo "killed (OOM)" || echo "-")" >>"$OUT/table.md"
      stop; continue
    fi
  fi
  TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${WARMUP}s" -s bench/token.lua "$URL" >/dev/null
  TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/token.lua "$URL" >"$OUT/$load-$run-steady.txt" || true
  if ! kill -0 "$PID" 2>/dev/null; then
    printf '| %s | %s | %s | died under load | | | | | %s |\n' "$load" "$name" "$limit" "$(oom_killed && echo "killed (OOM)" || echo "-")" >>"$OUT/table.md"
    stop; continue
  fi
  rss=$(rss_mb "$PID")
  peak="-"; ooms="-"
  if [ "$run" != jar ]; then
    cg=$(awk -F: '$2 ~ /memory/ {print $3}' "/proc/$PID/cgroup" | head -1)
    peak=$(awk '{printf "%.0f", $1 / 1048576}' "/sys/fs/cgroup/memory$cg/memory.max_usage_in_bytes" 2>/dev/null || echo "-")
    ooms=$(awk '/oom_kill / {print $2}' "/sys/fs/cgroup/memory$cg/memory.oom_control" 2>/dev/null || echo "-")
  fi
  read -r rps p99 non2xx < <(python3 - "$OUT/$load-$run-steady.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
non = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{float(rps):.0f} {float(p99.group(1)) * scale:.1f} {non.group(1) if non else 0}")
PY
)
  anon=$(awk '/RssAnon/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status")
  printf '| %s | %s | %s | %s | %s | %s | %s (anon %s) | %s | %s |\n' "$load" "$name" "$limit" "$rps" "$p99" "$non2xx" "$rss" "$anon" "$peak" "$ooms" >>"$OUT/table.md"
  stop
done
done
{
  echo "## Container image beside the bare jar ($(date -u +%F), $(nproc) cores, $(basename "$JDK"), image $IMAGE)"
  echo
  cat "$OUT/table.md"
} | tee "$OUT/results.md"
