#!/usr/bin/env bash
# Secretless clients against secrets, side by side on one server in one run:
#
#   bench/assertions.sh                 about 4 minutes on 2 cores
#   DURATION=10 bench/assertions.sh     longer load phases (default 8 s each, after a 4 s warm-up)
#
# Builds the production jar, starts it on the local PostgreSQL (database "tokenbench_assertions"), registers CLIENTS
# clients of each kind through the admin API, and measures warm tokens/s and latency (wrk, 2 threads, 32
# connections) for: client_secret_basic (verified-secret cache, one HMAC), private_key_jwt with RS256 and with ES256
# assertions (a fresh assertion per request, pre-signed by bench/AssertionForge.java: one signature verification
# plus one replay-store insert), and federated_jwt with a reusable Kubernetes-shaped token (one signature
# verification, no database). Each warm request also signs the access token (RS256). Results:
# bench/results/<time>-assertions/results.md, with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-assertions"
mkdir -p "$OUT"
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-4}
CLIENTS=${CLIENTS:-32}
BODIES=${BODIES:-36000}
WARM_BODIES=${WARM_BODIES:-16000}
PORT=${PORT:-18081}
URL="http://127.0.0.1:$PORT"
DB=tokenbench_assertions
ADMIN_ID=bench-admin
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq python3
fresh_database "$DB"

log "building the production jar"
./mvnw -B -q package -DskipTests
FORGE="$OUT/forge"
java bench/AssertionForge.java keys "$FORGE"
AUD="$URL/oauth2/token"
ISS="https://cluster.bench.example"
rs_ids=() ec_ids=()
for i in $(seq 1 "$CLIENTS"); do rs_ids+=("bench-rs-$i"); ec_ids+=("bench-ec-$i"); done
log "signing RS256 and ES256 assertions, $WARM_BODIES for the warm-up and $BODIES measured of each (before the server starts)"
for alg in RS256 ES256; do
  ids=("${rs_ids[@]}"); [ "$alg" = ES256 ] && ids=("${ec_ids[@]}")
  java bench/AssertionForge.java bodies "$FORGE" "$alg" "$AUD" "$((WARM_BODIES + BODIES))" "${ids[@]}" >"$OUT/all.bodies"
  head -n "$WARM_BODIES" "$OUT/all.bodies" >"$OUT/${alg,,}.warm.bodies"
  tail -n "$BODIES" "$OUT/all.bodies" >"$OUT/${alg,,}.bodies"
done
rm "$OUT/all.bodies"

env TOKEN_SERVICE_REISSUE_ENABLED=false DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT TOKEN_SERVICE_ISSUER="$URL" \
  TOKEN_SERVICE_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" \
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
  TOKEN_SERVICE_QUOTA_TOKENS_PER_MINUTE=0 \
  TOKEN_SERVICE_THROTTLE_FAILURES_PER_SOURCE_PER_MINUTE=1000000000 \
  TOKEN_SERVICE_THROTTLE_FAILURES_PER_CLIENT_PER_MINUTE=1000000000 \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$URL/.well-known/jwks.json"; do sleep 0.2; done
# The bootstrap admin is created asynchronously after startup.
until ADMIN=$(curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token); do sleep 0.2; done

admin_post() { curl -sf -X POST "$URL$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
log "registering $CLIENTS clients of each kind"
register_clients "$URL" "$ADMIN_ID" "$CLIENTS" bench-secret "$OUT/basic.headers"
for id in "${rs_ids[@]}"; do
  admin_post /admin/clients "{\"client_id\":\"$id\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":$(cat "$FORGE/rsa.jwks")}"
done
for id in "${ec_ids[@]}"; do
  admin_post /admin/clients "{\"client_id\":\"$id\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":$(cat "$FORGE/ec.jwks")}"
done
admin_post /admin/trusted-issuers "{\"name\":\"bench-cluster\",\"issuer\":\"$ISS\",\"jwks\":$(cat "$FORGE/rsa.jwks"),\"allow_reuse\":true}"
: >"$OUT/federated.bodies"
for i in $(seq 1 "$CLIENTS"); do
  subject="system:serviceaccount:bench:workload-$i"
  admin_post /admin/clients "{\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\"$ISS\",\"subject\":\"$subject\"}]}"
  assertion_body "$(java bench/AssertionForge.java federated "$FORGE" "$ISS" "$AUD" "$subject")" >>"$OUT/federated.bodies"
done

# Each secret client's first token (one Argon2id each, one at a time, as workloads arriving): the warm-up that follows
# then warms the JIT, not the verified-secret cache.
while read -r header; do
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $header" -d grant_type=client_credentials \
      "$URL/oauth2/token")" = 200 ]; do sleep 0.1; done
done <"$OUT/basic.headers"

# measure NAME SCRIPT WARM_VAR MEASURED_VAR VAR=value...: a warm-up (with WARM_VAR in its environment), then
# DURATION seconds of wrk (with MEASURED_VAR); one results row. tokens/s counts 200s only: a body sent twice (the
# file ran out) is a replay, refused, and is reported, not counted.
measure() {
  local name=$1 script=$2 warm=$3 measured=$4; shift 4
  env "$@" "$warm" TOKEN_THREADS=2 wrk -t2 -c32 -d"${WARMUP}s" -s "$script" "$URL" >"$OUT/$name.warm.wrk"
  env "$@" "$measured" TOKEN_THREADS=2 wrk -t2 -c32 -d"${DURATION}s" --latency -s "$script" "$URL" >"$OUT/$name.wrk"
  local requests seconds errors rps p50 p99
  requests=$(awk '/requests in/ {print $1}' "$OUT/$name.wrk")
  seconds=$(awk '/requests in/ {gsub(/s,/, "", $4); print $4}' "$OUT/$name.wrk")
  errors=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.wrk"); errors=${errors:-0}
  rps=$(python3 -c "print(round(($requests - $errors) / $seconds))")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/$name.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$name.wrk")
  echo "$name $rps $p50 $p99 $errors" >>"$OUT/rows"
}
: >"$OUT/rows"
log "client_secret_basic (warm: verified-secret cache)"
measure client_secret_basic bench/token.lua TOKEN_HEADERS="$OUT/basic.headers" TOKEN_HEADERS="$OUT/basic.headers"
log "private_key_jwt RS256 (a fresh assertion per request)"
measure private_key_jwt_rs256 bench/bodies.lua TOKEN_BODIES="$OUT/rs256.warm.bodies" TOKEN_BODIES="$OUT/rs256.bodies"
log "private_key_jwt ES256 (a fresh assertion per request)"
measure private_key_jwt_es256 bench/bodies.lua TOKEN_BODIES="$OUT/es256.warm.bodies" TOKEN_BODIES="$OUT/es256.bodies"
log "federated_jwt (a reusable RS256 service-account token)"
measure federated_jwt bench/bodies.lua TOKEN_BODIES="$OUT/federated.bodies" TOKEN_BODIES="$OUT/federated.bodies"
RSS=$(rss_mb "$SERVER")

{
  echo "# Client authentication methods, warm, side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1); server and wrk share the machine. wrk -t2 -c32, ${DURATION} s after ${WARMUP} s of warm-up;"
  echo "$CLIENTS clients of each kind; access tokens signed RS256. Server RSS after the run: ${RSS} MB."
  echo
  echo "| method | tokens/s (200s) | vs client_secret_basic | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|"
  base=$(awk 'NR == 1 {print $2}' "$OUT/rows")
  while read -r name rps p50 p99 errors; do
    echo "| $name | $rps | $(python3 -c "print(f'{$rps / $base:.2f}')") | $p50 | $p99 | $errors |"
  done <"$OUT/rows"
} >"$OUT/results.md"
cat "$OUT/results.md"
