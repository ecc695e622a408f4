#!/usr/bin/env bash
# Token exchange against client_credentials, side by side on one server in one run:
#
#   bench/exchange.sh                   about 2 minutes on 2 cores
#   DURATION=10 bench/exchange.sh       longer load phases (default 8 s each, after a 4 s warm-up)
#
# Builds the production jar, starts it on the local PostgreSQL (database "tokenbench_exchange"), registers CLIENTS
# "gateway" clients and CLIENTS "orders" clients (client_secret_post, registered for token exchange of tokens sent to
# https://orders.bench), gets each gateway client a token, and measures warm tokens/s and latency (wrk, 2 threads,
# 32 connections) of: the orders clients' client_credentials requests (verified-secret cache, one HMAC, one RS256
# signature), then their token exchanges of the gateway tokens (the same authentication, plus the subject token's
# signature verification and its checks, then one RS256 signature). Results:
# bench/results/<time>-exchange/results.md, with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-exchange"
mkdir -p "$OUT"
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-4}
CLIENTS=${CLIENTS:-32}
PORT=${PORT:-18082}
URL="http://127.0.0.1:$PORT"
DB=tokenbench_exchange
ADMIN_ID=bench-admin
EXCHANGE=urn:ietf:params:oauth:grant-type:token-exchange
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq python3
fresh_database "$DB"

log "building the production jar"
./mvnw -B -q package -DskipTests
env TOKEN_SERVICE_REISSUE_ENABLED=false DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT TOKEN_SERVICE_ISSUER="$URL" \
  TOKEN_SERVICE_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" \
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
  TOKEN_SERVICE_QUOTA_TOKENS_PER_MINUTE=0 \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$URL/.well-known/jwks.json"; do sleep 0.2; done
until ADMIN=$(curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token); do sleep 0.2; done

admin_post() { curl -sf -X POST "$URL$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$2"; }
log "registering $CLIENTS gateway and $CLIENTS orders clients, and a token for each gateway client"
: >"$OUT/client_credentials.bodies"
: >"$OUT/exchange.bodies"
for i in $(seq 1 "$CLIENTS"); do
  gateway=$(admin_post /admin/clients '{"scope":"orders:read","audience":["https://orders.bench"]}')
  subject=$(curl -sf -u "$(jq -r .client_id <<<"$gateway"):$(jq -r .client_secret <<<"$gateway")" \
    -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token)
  orders=$(admin_post /admin/clients "{\"scope\":\"orders:read\",\"audience\":[\"https://payments.bench\"],
    \"token_endpoint_auth_method\":\"client_secret_post\",\"grant_types\":[\"client_credentials\",\"$EXCHANGE\"],
    \"token_exchange_subject_audiences\":[\"https://orders.bench\"]}")
  credentials="client_id=$(jq -r .client_id <<<"$orders")&client_secret=$(jq -rj .client_secret <<<"$orders" | jq -sRr @uri)"
  echo "grant_type=client_credentials&$credentials" >>"$OUT/client_credentials.bodies"
  echo "grant_type=$(printf %s "$EXCHANGE" | jq -sRr @uri)&$credentials&subject_token=$subject&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token" >>"$OUT/exchange.bodies"
done
# Each orders client's first token (one Argon2id each): the warm-up then warms the JIT, not the secret cache.
while read -r body; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -d "$body" "$URL/oauth2/token")" = 200 ] || { echo "a first token failed" >&2; exit 1; }
done <"$OUT/client_credentials.bodies"
[ "$(curl -s -o /dev/null -w '%{http_code}' -d "$(head -1 "$OUT/exchange.bodies")" "$URL/oauth2/token")" = 200 ] \
  || { echo "an exchange failed: $(curl -s -d "$(head -1 "$OUT/exchange.bodies")" "$URL/oauth2/token")" >&2; exit 1; }

measure() {
  local name=$1
  TOKEN_BODIES="$OUT/$name.bodies" TOKEN_THREADS=2 wrk -t2 -c32 -d"${WARMUP}s" -s bench/bodies.lua "$URL" >"$OUT/$name.warm.wrk"
  TOKEN_BODIES="$OUT/$name.bodies" TOKEN_THREADS=2 wrk -t2 -c32 -d"${DURATION}s" --latency -s bench/bodies.lua "$URL" >"$OUT/$name.wrk"
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
log "client_credentials (client_secret_post, warm)"
measure client_credentials
log "token exchange of the gateway's tokens (same clients, same authentication)"
measure exchange
RSS=$(rss_mb "$SERVER")

{
  echo "# Token exchange beside client_credentials, warm, side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1); server and wrk share the machine. wrk -t2 -c32, ${DURATION} s after ${WARMUP} s of warm-up;"
  echo "$CLIENTS clients of each kind; tokens signed RS256. Server RSS after the run: ${RSS} MB."
  echo
  echo "| grant | tokens/s (200s) | vs client_credentials | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|"
  base=$(awk 'NR == 1 {print $2}' "$OUT/rows")
  while read -r name rps p50 p99 errors; do
    echo "| $name | $rps | $(python3 -c "print(f'{$rps / $base:.2f}')") | $p50 | $p99 | $errors |"
  done <"$OUT/rows"
} >"$OUT/results.md"
cat "$OUT/results.md"
