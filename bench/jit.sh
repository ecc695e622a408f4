#!/usr/bin/env bash
# JIT and memory options beside the image's defaults, in one run: steady RS256 throughput of the jar on Temurin 25
# with its AOT cache and the image's JVM options (Dockerfile.jvm's JAVA_OPTS, the container's limit emulated with
# -XX:MaxRAM), every token signed (the reissue window off), wrk -t2 -c64, in interleaved rounds (each round runs every
# variant once), and each variant's RSS after its steady phase. Then, for the default, the JVM's native memory by
# category after load (-XX:NativeMemoryTracking=summary): where the memory outside the heap goes.
#
#   bench/jit.sh          (about 5 minutes; needs target/quarkus-app built on Temurin 25, as bench/cold-start.sh)
#   ROUNDS=3 DURATION=20 WARMUP=15 MAXRAM=384m bench/jit.sh
#
# Results: bench/results/<time>-jit/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-jit"
mkdir -p "$OUT"
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
MAXRAM=${MAXRAM:-384m}
CLIENTS=${CLIENTS:-64}
PORT=${PORT:-18380}
MGMT=${MGMT:-19380}
URL="http://127.0.0.1:$PORT"
DB=tokenjit
ADMIN_ID=jit-admin
APP="$ROOT/target/quarkus-app"
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq python3
[ -f "$APP/app.aot" ] || { echo "no AOT cache: build on Temurin 25 first (see bench/cold-start.sh)" >&2; exit 1; }
fresh_database "$DB"
IMAGE_OPTS=$(src/main/docker/java-opts.sh)
ENV_ARGS=(DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT
  TOKEN_SERVICE_ISSUER=$URL TOKEN_SERVICE_KEY_ENCRYPTION_KEY=$KEY_ENCRYPTION_KEY TOKEN_SERVICE_REISSUE_ENABLED=false
  TOKEN_SERVICE_THROTTLE_FAILURES_PER_SOURCE_PER_MINUTE=1000000000
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET
  QUARKUS_LOG_LEVEL=WARN QUARKUS_SHUTDOWN_DELAY=0s)
PID=""
stop() { [ -n "$PID" ] && { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }; PID=""; }
trap stop EXIT

# start OPTIONS...: the jar with the AOT cache, the image's options, the emulated limit and OPTIONS; waits until ready.
start() {
  # shellcheck disable=SC2086
  env "${ENV_ARGS[@]}" "$JDK/bin/java" -XX:AOTCache="$APP/app.aot" -XX:MaxRAM="$MAXRAM" $IMAGE_OPTS "$@" \
    -jar "$APP/quarkus-run.jar" >>"$OUT/server.log" 2>&1 &
  PID=$!
  await_ready "$MGMT" "$PID" || { echo "the service died, see $OUT/server.log" >&2; exit 1; }
}

log "registering $CLIENTS clients"
start
register_clients "$URL" "$ADMIN_ID" "$CLIENTS" jit "$OUT/valid.headers"
stop

VARIANTS=(
  "the image's options|"
  "+ C2 only for crypto and BigInteger|-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$ROOT/bench/c2-crypto-only.json"
  "the heap before e21b651 (a third of the limit; MinRAMPercentage's default, half, below about 250 MiB)|-XX:MaxRAMPercentage=33 -XX:MinRAMPercentage=50"
)
: >"$OUT/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
  # Each round starts with another variant: no option always runs first (after the registration, or a stop).
  rotated=("${VARIANTS[@]:$(( (round - 1) % ${#VARIANTS[@]} ))}" "${VARIANTS[@]:0:$(( (round - 1) % ${#VARIANTS[@]} ))}")
  for variant in "${rotated[@]}"; do
    IFS='|' read -r label options <<<"$variant"
    log "round $round: $label"
    # shellcheck disable=SC2086
    start $options
    TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${WARMUP}s" -s bench/token.lua "$URL" >/dev/null
    TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${DURATION}s" -s bench/token.lua "$URL" >"$OUT/steady.txt"
    rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/steady.txt")
    non=$(awk '/Non-2xx/ {print $5}' "$OUT/steady.txt")
    printf '%s\t%s\t%s\t%s\n' "$label" "$rps" "$(rss_mb "$PID")" "${non:-0}" >>"$OUT/runs.tsv"
    stop
  done
done

log "native memory of the default after load"
start -XX:NativeMemoryTracking=summary
TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${WARMUP}s" -s bench/token.lua "$URL" >/dev/null
"$JDK/bin/jcmd" "$PID" VM.native_memory summary scale=MB >"$OUT/native-memory.txt"
RSS_NMT=$(rss_mb "$PID")
stop

python3 - "$OUT/runs.tsv" "$OUT/native-memory.txt" "$RSS_NMT" "$MAXRAM" "$(nproc)" >"$OUT/results.md" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, rps, rss, non = line.rstrip("\n").split("\t")
    runs.setdefault(label, []).append((int(rps), int(rss), int(non)))
base = statistics.median(r[0] for r in next(iter(runs.values())))
print(f"## JIT and memory options, steady RS256 tokens/s (median of {len(next(iter(runs.values())))} interleaved rounds, "
      f"{sys.argv[5]} cores, the image's options at MaxRAM={sys.argv[4]})\n")
print("| options | tokens/s | rounds | vs the image's | RSS after steady MB | non-2xx |")
print("|---|---:|---|---:|---:|---:|")
for label, rows in runs.items():
    rps = statistics.median(r[0] for r in rows)
    print(f"| {label} | {rps:.0f} | {', '.join(str(r[0]) for r in rows)} | {rps / base:.2f} | "
          f"{statistics.median(r[1] for r in rows):.0f} | {sum(r[2] for r in rows)} |")
print(f"\n### Native memory after load (the image's options, RSS {sys.argv[3]} MB), committed MB by category\n")
print("| category | committed MB |")
print("|---|---:|")
for line in open(sys.argv[2]):
    total = re.match(r"^Total: reserved=\d+MB, committed=(\d+)MB", line)
    if total:
        print(f"| total | {total.group(1)} |")
    m = re.match(r"^[-\s]*(\w[\w ]*?)\s+\(reserved=\d+MB, committed=(\d+)MB[,)]", line)
    if m:
        print(f"| {m.group(1)} | {m.group(2)} |")
PY
cat "$OUT/results.md"
