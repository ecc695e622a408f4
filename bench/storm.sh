#!/usr/bin/env bash
# Token storms: clients that ask again, side by side with fresh signatures and the raw signing ceiling, in one run.
#
#   bench/storm.sh                      about 6 minutes on 2 cores (plus the build)
#   DURATION=20 bench/storm.sh          longer load phases (default 15 s each, after a 20 s warm-up)
#
# Builds the production jar and the JMH benchmark, measures the raw RS256 signing ceiling (JMH of AccessTokenMinter,
# 2 threads), starts the jar on the local PostgreSQL (database "tokenbench_storm", reissue window on, as by
# default), registers through the admin API CLIENTS clients that opted out ("reissue": false: every request signs)
# and CLIENTS that did not, gets each its first token (one Argon2id each), then at CONNECTIONS connections (wrk, 2
# threads, client_secret_basic cycling through the clients):
#   fresh   the opted-out clients: every token signed (one HMAC for the cached secret, one RS256 signature);
#   repeat  the others, asking again within the window: the token they hold, handed out again (one HMAC, no
#           signature);
#   mixed   a fleet: STORMERS of the window's clients that ask on every call, each listed REPEAT times, beside the
#           opted-out clients standing for those that cache (each of whose requests needs a signature: a caching
#           client comes back when its token is spent); the signatures saved are read from the service's counters;
# then the ceiling again (the higher reading counts), and the server's RSS. Results:
# bench/results/<time>-storm/results.md, with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-storm"
mkdir -p "$OUT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
CLIENTS=${CLIENTS:-128}
STORMERS=${STORMERS:-26}
REPEAT=${REPEAT:-10}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18083}
MANAGEMENT=${MANAGEMENT:-19083}
URL="http://127.0.0.1:$PORT"
DB=tokenbench_storm
ADMIN_ID=bench-admin
JAVA_OPTS=${JAVA_OPTS:-}
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq python3
fresh_database "$DB"

log "building the production jar and the JMH benchmark"
./mvnw -B -q install -DskipTests
(cd bench/jmh && ../../mvnw -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)

ceiling() {
  java -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" org.openjdk.jmh.Main MintBenchmark \
    -p algorithm=RS256 -f 1 -wi 2 -w 3s -i 3 -r 3s -t 2 -rf csv -rff "$OUT/ceiling-$1.csv" >"$OUT/ceiling-$1.txt" 2>&1
  awk -F, 'NR == 2 {printf "%.0f", $5}' "$OUT/ceiling-$1.csv"
}
log "raw RS256 signing ceiling, before the load"
CEILING_BEFORE=$(ceiling before)

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
env DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT TOKEN_SERVICE_ISSUER="$URL" \
  TOKEN_SERVICE_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" \
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
  java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$URL/.well-known/jwks.json"; do sleep 0.2; done
until curl -sf -o /dev/null -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token"; do sleep 0.2; done

log "registering $CLIENTS clients that opted out of the window and $CLIENTS that did not"
register_clients "$URL" "$ADMIN_ID" "$CLIENTS" fresh "$OUT/fresh.headers" \
  '{"scope":"read write","audience":["https://api.bench"],"reissue":false}'
register_clients "$URL" "$ADMIN_ID" "$CLIENTS" repeat "$OUT/repeat.headers" '{"scope":"read write","audience":["https://api.bench"]}'
# The mixed fleet: STORMERS clients of the window listed REPEAT times each, among the opted-out ones once each.
{ head -n "$STORMERS" "$OUT/repeat.headers" | while read -r line; do for _ in $(seq 1 "$REPEAT"); do echo "$line"; done; done
  cat "$OUT/fresh.headers"; } | shuf --random-source=<(yes) >"$OUT/mixed.headers"
# Every client's first token (one Argon2id each): the warm-up then warms the JIT, not the secret cache.
cat "$OUT/fresh.headers" "$OUT/repeat.headers" | while read -r header; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $header" -d grant_type=client_credentials \
    "$URL/oauth2/token")" = 200 ] || { echo "a first token failed" >&2; exit 1; }
done

counter() {
  curl -sf "http://127.0.0.1:$MANAGEMENT/q/metrics" | awk -v name="$1" '$1 == name || index($1, name "{") == 1 {s += $2} END {printf "%.0f", s}'
}
: >"$OUT/rows"
measure() {
  local name=$1 signed_before reissued_before
  TOKEN_HEADERS="$OUT/$name.headers" wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/token.lua "$URL" >"$OUT/$name.warm.wrk"
  signed_before=$(counter token_service_tokens_issued_total)
  reissued_before=$(counter token_service_tokens_reissued_total)
  TOKEN_HEADERS="$OUT/$name.headers" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/token.lua "$URL" >"$OUT/$name.wrk"
  local signed=$(($(counter token_service_tokens_issued_total) - signed_before))
  local reissued=$(($(counter token_service_tokens_reissued_total) - reissued_before))
  local requests seconds errors
  requests=$(awk '/requests in/ {print $1}' "$OUT/$name.wrk")
  seconds=$(awk '/requests in/ {gsub(/s,/, "", $4); print $4}' "$OUT/$name.wrk")
  errors=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.wrk"); errors=${errors:-0}
  echo "$name $(python3 -c "print(round(($requests - $errors) / $seconds))") $(awk '$1 == "50%" {print $2}' "$OUT/$name.wrk") \
$(awk '$1 == "99%" {print $2}' "$OUT/$name.wrk") $errors $signed $reissued" >>"$OUT/rows"
}
log "fresh: every request signed"
measure fresh
log "repeat: every request within the window"
measure repeat
log "mixed fleet: $STORMERS storming clients (x$REPEAT) among $CLIENTS that cache"
measure mixed
RSS=$(rss_mb "$SERVER")
kill $SERVER; wait $SERVER 2>/dev/null || true

log "raw RS256 signing ceiling, after the load"
CEILING_AFTER=$(ceiling after)
CEILING=$((CEILING_BEFORE > CEILING_AFTER ? CEILING_BEFORE : CEILING_AFTER))

ms() { python3 -c "
import re, sys
v = sys.argv[1]; m = re.match(r'([0-9.]+)(us|ms|s)', v)
print(round(float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[m.group(2)], 2))" "$1"; }
{
  echo "# Token storms: repeat requests beside fresh signatures ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1)${JAVA_OPTS:+, $JAVA_OPTS}; server and wrk share the machine. wrk -t2 -c$CONNECTIONS, ${DURATION} s after"
  echo "${WARMUP} s of warm-up; RS256. Raw signing ceiling (JMH, 2 threads): $CEILING_BEFORE/s before the load, $CEILING_AFTER/s after."
  echo "Server RSS after the load: ${RSS} MB."
  echo
  echo "| scenario | tokens/s (200s) | ÷ raw ceiling ($CEILING/s) | p50 ms | p99 ms | p99/p50 | non-2xx | signed | reissued | signatures saved |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  while read -r name rps p50 p99 errors signed reissued; do
    p50ms=$(ms "$p50"); p99ms=$(ms "$p99")
    echo "| $name | $rps | $(python3 -c "print(f'{$rps / $CEILING:.2f}')") | $p50ms | $p99ms | $(python3 -c "print(f'{$p99ms / $p50ms:.1f}')") | $errors | $signed | $reissued | $(python3 -c "t = $signed + $reissued; print(f'{100 * $reissued / t:.0f} %' if t else '-')") |"
  done <"$OUT/rows"
} >"$OUT/results.md"
cat "$OUT/results.md"
