#!/usr/bin/env bash
# Graceful shutdown behind a real load balancer: HAProxy (Debian) in front of two replicas of the packaged jar,
# health-checking each one's readiness (management port) every 500 ms; wrk sends token requests through it while
# both replicas are restarted one after the other (SIGTERM, wait for the exit, start again, wait until HAProxy has
# it back). Prints the requests served, non-2xx answers and socket errors: the claim is zero failed requests.
#
#   bench/rolling-restart.sh                 (about 1 minute; builds the jar unless SKIP_BUILD=1)
#
# Uses the local PostgreSQL (database "tokenrolling", created if missing). Results: bench/results/<time>-rolling/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-rolling"
mkdir -p "$OUT"
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
CLIENTS=${CLIENTS:-64}
LB_PORT=${LB_PORT:-18090}
DB=tokenrolling
ADMIN_ID=rolling-admin
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk curl jq haproxy socat
fresh_database "$DB"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the production jar"
  ./mvnw -B -q package -DskipTests
fi
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

declare -A PID PORT MGMT
PORT[a]=18081; MGMT[a]=19081
PORT[b]=18082; MGMT[b]=19082

start_replica() {
  local name=$1
  env TOKEN_SERVICE_REISSUE_ENABLED=false DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=${PORT[$name]} QUARKUS_MANAGEMENT_PORT=${MGMT[$name]} \
    TOKEN_SERVICE_ISSUER=http://127.0.0.1:$LB_PORT TOKEN_SERVICE_KEY_ENCRYPTION_KEY=$KEY_ENCRYPTION_KEY \
    QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true \
    QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1 \
    TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET \
    QUARKUS_SHUTDOWN_DELAY=${SHUTDOWN_DELAY:-5s} QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_LOG_LEVEL=WARN \
    "$JDK/bin/java" -jar "$JAR" >>"$OUT/replica-$name.log" 2>&1 &
  PID[$name]=$!
  until curl -sf -o /dev/null "http://127.0.0.1:${MGMT[$name]}/q/health/ready"; do
    kill -0 "${PID[$name]}" 2>/dev/null || { echo "replica $name died, see $OUT/replica-$name.log" >&2; exit 1; }
    sleep 0.1
  done
}

# HAProxy's view of a server: UP or DOWN, from its stats socket.
lb_state() {
  echo "show stat" | socat - "UNIX-CONNECT:$OUT/haproxy.sock" 2>/dev/null \
    | awk -F, -v s="$1" '$1 == "token-service" && $2 == s {print $18}'
}

cleanup() {
  for name in a b; do [ -n "${PID[$name]:-}" ] && kill "${PID[$name]}" 2>/dev/null || true; done
  [ -n "${LB_PID:-}" ] && kill "$LB_PID" 2>/dev/null || true
}
trap cleanup EXIT

log "starting replicas a and b, and HAProxy on :$LB_PORT"
start_replica a
start_replica b
cat >"$OUT/haproxy.cfg" <<CFG
global
  maxconn 4096
  stats socket $OUT/haproxy.sock mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend token-endpoint
  bind 127.0.0.1:$LB_PORT
  option forwardfor
  default_backend token-service
backend token-service
  balance roundrobin
  option httpchk GET /q/health/ready
  http-check expect status 200
  default-server inter 500ms fall 1 rise 2
  server a 127.0.0.1:${PORT[a]} check port ${MGMT[a]}
  server b 127.0.0.1:${PORT[b]} check port ${MGMT[b]}
CFG
haproxy -f "$OUT/haproxy.cfg" >"$OUT/haproxy.log" 2>&1 &
LB_PID=$!
URL="http://127.0.0.1:$LB_PORT"
until [ "$(lb_state a)" = UP ] && [ "$(lb_state b)" = UP ]; do sleep 0.2; done

log "registering $CLIENTS clients"
register_clients "$URL" "$ADMIN_ID" "$CLIENTS" rolling "$OUT/valid.headers"

DURATION=${DURATION:-45}
# Each client is a workload with an address of its own, forwarded by HAProxy (the replicas trust X-Forwarded-For):
# a restarted replica sees many sources' first verifications, not one source's burst (which it would slow down).
# A request counts as failed on a non-2xx answer or a socket error; wrk's timeout is 10 s, so that a slow answer
# from a replica verifying every client's secret for the first time on a saturated machine is not counted as lost.
log "wrk -t2 -c32 for ${DURATION}s through HAProxy; rolling restart of a, then b"
TOKEN_SOURCES=1 TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c32 -d"${DURATION}s" --timeout 10s --latency \
  -s bench/token.lua "$URL" >"$OUT/wrk.txt" &
WRK_PID=$!
sleep 5
: >"$OUT/timeline.txt"
t0=$(date +%s%N)
stamp() { echo "$(( ($(date +%s%N) - t0) / 1000000 )) ms: $*" | tee -a "$OUT/timeline.txt" >&2; }
for name in a b; do
  stamp "SIGTERM to $name"
  kill -TERM "${PID[$name]}"
  until [ "$(lb_state "$name")" != UP ]; do sleep 0.05; done
  stamp "HAProxy marked $name DOWN"
  wait "${PID[$name]}" || true
  stamp "$name exited"
  start_replica "$name"
  stamp "$name ready"
  until [ "$(lb_state "$name")" = UP ]; do sleep 0.05; done
  stamp "HAProxy marked $name UP"
  sleep 3
done
wait "$WRK_PID"
cat "$OUT/wrk.txt"
requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$OUT/wrk.txt"); non2xx=${non2xx:-0}
socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$OUT/wrk.txt"); socket=${socket:-0}
{
  echo "## Rolling restart behind HAProxy ($(date -u +%F), $(nproc) cores, $(basename "$JDK"))"
  echo
  echo "| requests | tokens/s | p50 | p99 | non-2xx | socket errors | restarts |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $requests | $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$OUT/wrk.txt") | $(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt") | $(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt") | $non2xx | $socket | 2 |"
  echo
  sed 's/^/    /' "$OUT/timeline.txt"
} | tee "$OUT/results.md"
[ "$non2xx" = 0 ] && [ "$socket" = 0 ]
