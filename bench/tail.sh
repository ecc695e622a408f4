#!/usr/bin/env bash
# The tail of new tokens at 16 connections, side by side for where tokens are signed, in one run:
#
#   bench/tail.sh                       about 7 minutes on 2 cores (plus the build)
#
# Builds the production jar; for each configuration starts it on the local PostgreSQL (database "tokenbench_tail"),
# registers CLIENTS clients opted out of the reissue window (every request signs: one HMAC, one RS256 signature), gets
# each its first token, warms up for WARMUP s, then measures RUNS runs of DURATION s (wrk -t2 -c16, client_secret_basic
# cycling through the clients). Configurations: signing on the event loops (token-service.signing.threads=0, as
# before the signing lane), the signing lane (the default, one thread per core), and the lane with one event loop per
# core (quarkus.vertx.event-loops-pool-size; Quarkus' default is two per core). Results:
# bench/results/<time>-tail/results.md, with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-tail"
mkdir -p "$OUT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
RUNS=${RUNS:-3}
CLIENTS=${CLIENTS:-32}
PORT=${PORT:-18084}
URL="http://127.0.0.1:$PORT"
DB=tokenbench_tail
ADMIN_ID=bench-admin
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq python3

log "building the production jar"
./mvnw -B -q package -DskipTests

: >"$OUT/rows"
# measure NAME VAR=value...: one configuration, its own server and clients.
measure() {
  local name=$1 server i
  shift
  fresh_database "$DB"
  env "$@" DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT TOKEN_SERVICE_ISSUER="$URL" \
    TOKEN_SERVICE_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" \
    TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
    java -jar target/quarkus-app/quarkus-run.jar >"$OUT/$name.server.log" 2>&1 &
  server=$!
  until curl -sf -o /dev/null "$URL/.well-known/jwks.json"; do sleep 0.2; done
  until curl -sf -o /dev/null -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token"; do sleep 0.2; done
  register_clients "$URL" "$ADMIN_ID" "$CLIENTS" "$name" "$OUT/$name.headers" '{"scope":"read","reissue":false}'
  while read -r header; do
    curl -s -o /dev/null -H "Authorization: $header" -d grant_type=client_credentials "$URL/oauth2/token"
  done <"$OUT/$name.headers"
  TOKEN_HEADERS="$OUT/$name.headers" wrk -t2 -c16 -d"${WARMUP}s" -s bench/token.lua "$URL" >/dev/null
  for i in $(seq 1 "$RUNS"); do
    TOKEN_HEADERS="$OUT/$name.headers" wrk -t2 -c16 -d"${DURATION}s" --latency -s bench/token.lua "$URL" >"$OUT/$name-$i.wrk"
    echo "$name $i $(python3 bench/stats.py wrk "$OUT/$name-$i.wrk")" >>"$OUT/rows"
  done
  kill "$server"; wait "$server" 2>/dev/null || true
}
log "signing on the event loops"
measure event-loops TOKEN_SERVICE_SIGNING_THREADS=0
log "signing lane (default)"
measure lane
log "signing lane, one event loop per core"
measure lane-loops-per-core QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE="$(nproc)"

{
  echo "# New tokens at 16 connections: where they are signed ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1); server and wrk share the machine. wrk -t2 -c16, $RUNS runs of ${DURATION} s after"
  echo "${WARMUP} s of warm-up; $CLIENTS clients opted out of the reissue window; RS256."
  echo
  echo "| configuration | run | tokens/s | p50 ms | p90 ms | p99 ms | p99/p50 | non-2xx |"
  echo "|---|---|---|---|---|---|---|---|"
  while read -r name run stats; do
    v() { sed -E "s/.*$1=([^ ]+).*/\\1/" <<<"$stats"; }
    echo "| $name | $run | $(v rps) | $(v p50) | $(v p90) | $(v p99) | $(python3 -c "print(f'{$(v p99) / $(v p50):.2f}')") | $(v non2xx) |"
  done <"$OUT/rows"
} >"$OUT/results.md"
cat "$OUT/results.md"
