#!/usr/bin/env bash
# Sender-constrained tokens against bearer tokens, side by side on one server in one run:
#
#   bench/binding.sh                    about 4 minutes on 2 cores
#   DURATION=15 bench/binding.sh        longer load phases (default 10 s each; WARMUP, default 15 s, of every
#                                       scenario warms the server first)
#
# Builds the production jar, makes a test CA, a server certificate and a client certificate with openssl, starts the
# service on the local PostgreSQL (database "tokenbench_binding") with an HTTPS listener beside HTTP, and measures
# warm tokens/s and latency with bench/BindingLoad.java (the JDK's HTTP client, CONCURRENCY requests in flight over
# keep-alive connections) for: a bearer token (client_secret_basic, plain HTTP); the same over TLS; a DPoP-bound token
# (the same client, a fresh ES256 proof per request: one signature verification plus one replay-store insert); and
# an mTLS token (tls_client_auth by the certificate's SPIFFE URI, certificate-bound: PKIX path validation per
# request); ROUNDS (3) rounds of the four, interleaved, each row the median round. The reissue window is off, so
# every request signs (RS256). Results:
# bench/results/<time>-binding/results.md, with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-binding"
mkdir -p "$OUT"
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-18082}
TLS_PORT=${TLS_PORT:-18443}
URL="http://127.0.0.1:$PORT"
TLS_URL="https://127.0.0.1:$TLS_PORT"
DB=tokenbench_binding
ADMIN_ID=bench-admin
SPIFFE_ID=spiffe://bench.example/ns/shop/sa/orders
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools curl jq openssl
fresh_database "$DB"

log "building the production jar"
./mvnw -B -q package -DskipTests

log "a CA, a server certificate and a client certificate ($SPIFFE_ID)"
PKI="$OUT/pki"
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" \
  -days 1 -subj "/CN=bench-ca" 2>/dev/null
issue() { # NAME SUBJECT EXTENSIONS
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$1.key" 2>/dev/null
  openssl req -new -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial -days 1 \
    -extfile <(printf '%s\n' "$3") -out "$PKI/$1.pem" 2>/dev/null
}
issue server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
issue orders "/CN=orders" "subjectAltName=URI:$SPIFFE_ID
extendedKeyUsage=clientAuth"

env TOKEN_SERVICE_REISSUE_ENABLED=false DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT \
  QUARKUS_HTTP_SSL_PORT=$TLS_PORT QUARKUS_HTTP_SSL_CERTIFICATE_FILES="$PKI/server.pem" \
  QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES="$PKI/server.key" TOKEN_SERVICE_MTLS_CA_FILES="$PKI/ca.pem" \
  TOKEN_SERVICE_ISSUER="$URL" TOKEN_SERVICE_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" \
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
  TOKEN_SERVICE_QUOTA_TOKENS_PER_MINUTE=0 TOKEN_SERVICE_DPOP_PROOFS_PER_CLIENT_PER_MINUTE=10000000 \
  TOKEN_SERVICE_DPOP_PROOF_MAX_AGE=10m \
  java -jar target/quarkus-app/quarkus-run.jar >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf -o /dev/null "$URL/.well-known/jwks.json"; do sleep 0.2; done
until ADMIN=$(curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token); do sleep 0.2; done

log "registering a secret client and a tls_client_auth client"
register_clients "$URL" "$ADMIN_ID" 1 bench-secret "$OUT/basic.headers"
BASIC=$(cat "$OUT/basic.headers")
curl -sf -X POST "$URL/admin/clients" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"client_id\":\"bench-orders\",\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_san_uri\":\"$SPIFFE_ID\",\"tls_client_certificate_bound_access_tokens\":true}" >/dev/null
# The secret client's first token: one Argon2id, then the verified-secret cache.
curl -sf -o /dev/null -H "Authorization: $BASIC" -d grant_type=client_credentials "$URL/oauth2/token"

# load SCENARIO BASE WARM SECONDS CREDENTIAL [CERT KEY]: WARM seconds (the load generator's own JIT), then SECONDS
# measured, in one load generator; prints its results line.
load() {
  local scenario=$1 base=$2 warm=$3 seconds=$4; shift 4
  PROOFS=$(((warm + seconds) * 3000)) java bench/BindingLoad.java "$scenario" "$base" "$warm" "$seconds" \
    "$CONCURRENCY" "$@"
}
# measure NAME SCENARIO BASE CREDENTIAL [CERT KEY]: one results row of this round.
measure() {
  local name=$1 scenario=$2 base=$3; shift 3
  load "$scenario" "$base" 3 "$DURATION" "$@" >"$OUT/$name.$round.out"
  read -r _ rps p50 p99 errors <"$OUT/$name.$round.out"
  echo "$name $round $rps $p50 $p99 $errors" >>"$OUT/rows"
}
# Every path of the server warmed before anything is measured (the JIT compiles what each scenario runs).
log "warming the server: every scenario for $WARMUP s"
load bearer "$URL" 0 "$WARMUP" "$BASIC" >/dev/null
load bearer "$TLS_URL" 0 "$WARMUP" "$BASIC" >/dev/null
DPOP_HTU="$URL/oauth2/token" load dpop "$URL" 0 "$WARMUP" "$BASIC" >/dev/null
load mtls "$TLS_URL" 0 "$WARMUP" bench-orders "$PKI/orders.pem" "$PKI/orders.key" >/dev/null
: >"$OUT/rows"
# ROUNDS rounds, the scenarios interleaved in each, so that drift (a warmer JIT, a fuller heap, the replay store
# growing) falls on every scenario alike; each row of the results is the median round.
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS: bearer, bearer over TLS, DPoP-bound, mTLS certificate-bound"
  measure bearer bearer "$URL" "$BASIC"
  measure bearer_tls bearer "$TLS_URL" "$BASIC"
  DPOP_HTU="$URL/oauth2/token" measure dpop dpop "$URL" "$BASIC"
  measure mtls mtls "$TLS_URL" bench-orders "$PKI/orders.pem" "$PKI/orders.key"
done
RSS=$(rss_mb "$SERVER")

{
  echo "# Sender-constrained tokens beside bearer tokens, warm, side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1); server and load generator share the machine. bench/BindingLoad.java, $CONCURRENCY"
  echo "requests in flight, ${DURATION} s each after ${WARMUP} s of every scenario warmed the server; reissue window off:"
  echo "every token signed RS256."
  echo "Server RSS after the run: ${RSS} MB."
  echo
  echo "| scenario | tokens/s (200s), median of $ROUNDS | rounds | vs bearer | p50 | p99 | non-200 |"
  echo "|---|---|---|---|---|---|---|"
  python3 - "$OUT/rows" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
names = list(dict.fromkeys(r[0] for r in rows))
median = {}
for name in names:
    mine = sorted((r for r in rows if r[0] == name), key=lambda r: int(r[2]))
    median[name] = mine[len(mine) // 2]
    median[name].append("/".join(r[2] for r in rows if r[0] == name))
base = int(median["bearer"][2])
for name in names:
    _, _, rps, p50, p99, errors, rounds = median[name]
    print(f"| {name} | {rps} | {rounds} | {int(rps) / base:.2f} | {p50} | {p99} | {errors} |")
PY
} >"$OUT/results.md"
cat "$OUT/results.md"
