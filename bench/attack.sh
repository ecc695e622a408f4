#!/usr/bin/env bash
# token-service "attack" scenario (issue 11): one command, the same load with and without an attack, side by side.
#
#   bench/attack.sh                  two phases of 60 s each (about 4 minutes with the build)
#   SECONDS_PER_PHASE=30 bench/attack.sh
#
# Builds the production jar and runs it on JDK 17 against the local PostgreSQL (database "tokenattack"), behind
# "a proxy" it trusts (127.0.0.1: X-Forwarded-For names the source), with cache.secrets.max-age shortened to 20 s
# so the warm clients cross it during each phase. Registers WARM warm clients and 32 new ones through the admin
# API. Each phase starts a fresh server, warms the clients, then runs bench/attack.py for SECONDS_PER_PHASE:
# the warm clients at WARM_RATE tokens/s, the 32 new clients each asking once halfway through, and in the second
# phase 50 wrong-secret requests/s from 20 sources (half guessing secrets of the warm clients, half presenting
# unknown ids). Reports warm throughput with/without the attack, the new clients' worst latency, 5xx, and RSS.
# Results: bench/results/attack-<time>/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/attack-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
JDK=${JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
PHASE=${SECONDS_PER_PHASE:-60}
WARM=${WARM:-64}
WARM_RATE=${WARM_RATE:-300}
ATTACK_RATE=${ATTACK_RATE:-50}
PORT=${PORT:-18090}
# A capped heap: RSS then shows what the service retains, not how far the JVM lets an uncapped heap grow.
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
URL="http://127.0.0.1:$PORT"
DB=tokenattack
ADMIN_ID=attack-admin
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools curl jq python3
fresh_database "$DB"

log "building the production jar"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

SERVER_PID=""
start_server() {
  env TOKEN_SERVICE_REISSUE_ENABLED=false DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT TOKEN_SERVICE_ISSUER="$URL" \
    TOKEN_SERVICE_KEYS_ALGORITHM=ES256 TOKEN_SERVICE_KEY_ENCRYPTION_KEY="$KEY_ENCRYPTION_KEY" \
    TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
    TOKEN_SERVICE_CACHE_SECRETS_MAX_AGE=20s \
    QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true \
    QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1 \
    QUARKUS_LOG_LEVEL=WARN "$JDK/bin/java" $JAVA_OPTS -jar "$JAR" >>"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died, see $OUT/server.log" >&2; exit 1; }
    sleep 0.05
  done
}
stop_server() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

register() {  # register PREFIX COUNT FILE: clients through the admin API, "client_id secret" lines in FILE
  local token
  token=$(curl -s -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token)
  : >"$3"
  for i in $(seq 1 "$2"); do
    secret=$(curl -s -X POST "$URL/admin/clients" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"client_id\":\"$1-$i\",\"scope\":\"read\"}" | jq -r .client_secret)
    echo "$1-$i $secret" >>"$3"
  done
}

phase() {  # phase NAME ATTACK_RATE NEW_CLIENTS_FILE
  start_server
  while read -r id secret; do   # warm: every warm client verified once, as in steady operation
    curl -s -o /dev/null -u "$id:$secret" -d grant_type=client_credentials "$URL/oauth2/token"
  done <"$OUT/warm.txt"
  python3 bench/attack.py "$URL" "$OUT/warm.txt" "$3" "$SERVER_PID" "$PHASE" "$WARM_RATE" "$2" >"$OUT/$1.json"
  stop_server
  log "$1: $(cat "$OUT/$1.json")"
}

log "registering $WARM warm clients and 2 x 32 new ones"
start_server
register warm "$WARM" "$OUT/warm.txt"
register new-a 32 "$OUT/new-a.txt"
register new-b 32 "$OUT/new-b.txt"
stop_server

log "phase 1: no attack"
phase quiet 0 "$OUT/new-a.txt"
log "phase 2: attack of $ATTACK_RATE wrong secrets/s from 20 sources"
phase attack "$ATTACK_RATE" "$OUT/new-b.txt"

log "timing: unknown client ids against known ids with a wrong secret (20 each, one source per request)"
start_server
: >"$OUT/timing.txt"
for i in $(seq 1 20); do   # alternate, so that drift in the machine's load falls on both alike
  id=$(sed -n "$((i % WARM + 1))p" "$OUT/warm.txt" | cut -d' ' -f1)
  printf 'known %s\n' "$(curl -s -o /dev/null -w '%{time_total}' -H "X-Forwarded-For: 198.18.0.$i" \
    -u "$id:wrong-secret-$i" -d grant_type=client_credentials "$URL/oauth2/token")" >>"$OUT/timing.txt"
  printf 'unknown %s\n' "$(curl -s -o /dev/null -w '%{time_total}' -H "X-Forwarded-For: 198.18.1.$i" \
    -u "nobody-$i:wrong-secret-$i" -d grant_type=client_credentials "$URL/oauth2/token")" >>"$OUT/timing.txt"
done
stop_server

python3 - "$OUT" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$("$JDK/bin/java" -version 2>&1 | head -1)" \
  "$PHASE" "$WARM" "$WARM_RATE" "$ATTACK_RATE" <<'EOF' | tee "$OUT/results.md"
import json, sys
out, cores, cpu, jdk, phase, warm, rate, attack = sys.argv[1:9]
quiet = json.load(open(f"{out}/quiet.json"))
hit = json.load(open(f"{out}/attack.json"))
ratio = hit["warm_ok_per_s"] / quiet["warm_ok_per_s"] if quiet["warm_ok_per_s"] else 0
print(f"Attack scenario: {cores} cores ({cpu}), {jdk}, PostgreSQL on loopback; {warm} warm clients at {rate}/s, "
      f"cache.secrets.max-age 20 s, phases of {phase} s, attack {attack}/s from 20 sources.\n")
print("| measure | without attack | with attack | target |")
print("|---|---|---|---|")
print(f"| warm tokens/s | {quiet['warm_ok_per_s']} | {hit['warm_ok_per_s']} (ratio {ratio:.2f}) | ratio >= 0.90 |")
print(f"| warm p50 / p99 ms | {quiet['warm_p50_ms']:.1f} / {quiet['warm_p99_ms']:.1f} | "
      f"{hit['warm_p50_ms']:.1f} / {hit['warm_p99_ms']:.1f} | |")
print(f"| warm statuses | {quiet['warm_statuses']} | {hit['warm_statuses']} | all 200 |")
print(f"| attack requests/s, statuses | - | {hit['attack_per_s']}, {hit['attack_statuses']} | 403 then 429 |")
print(f"| new clients served, worst ms | {quiet['new_clients_ok']}/{quiet['new_clients']}, {quiet['new_client_max_ms']} | "
      f"{hit['new_clients_ok']}/{hit['new_clients']}, {hit['new_client_max_ms']} | 32/32, <= 2000 |")
print(f"| 5xx | {quiet['server_5xx']} | {hit['server_5xx']} | 0 |")
print(f"| RSS MB first / last / max | {quiet['rss_mb_first_last_max']} | {hit['rss_mb_first_last_max']} | flat |")
times = {"known": [], "unknown": []}
for line in open(f"{out}/timing.txt"):
    kind, seconds = line.split()
    times[kind].append(float(seconds) * 1000)
med = {kind: sorted(values)[len(values) // 2] for kind, values in times.items()}
print(f"\nWrong secret for a known id vs an unknown id, median of 20 each: {med['known']:.1f} ms vs "
      f"{med['unknown']:.1f} ms (unknown / known {med['unknown'] / med['known']:.2f}; target within 20 %).")
EOF
