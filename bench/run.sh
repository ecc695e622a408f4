#!/usr/bin/env bash
# token-service benchmark: one command, everything measured side by side in one run.
#
#   bench/run.sh            full run (about 17 minutes on 2 cores, 4 of them building the AOT-cached jar)
#   DURATION=5 WARMUP=5 bench/run.sh   shorter load phases
#
# Builds the production jar, runs it against the local PostgreSQL (database "tokenbench", created if missing),
# registers CLIENTS clients through the admin API, then for each JDK (17, Temurin 25) and algorithm (RS256,
# ES256) measures: time to first token, cold caches (first request of every client), steady state (wrk, peak),
# latency at half the peak rate (hey -q), a flood of wrong secrets beside valid clients, the server's RSS and CPU
# seconds, and the signing ceiling of the same JVM (JMH of AccessTokenMinter, 1 and 2 threads), printing the
# ratio endpoint / ceiling. Last, startup: the plain jar on both JDKs, and the jar Quarkus builds for release 25
# with a JDK 25 AOT cache trained by the integration tests. Results: bench/results/<time>/results.md.
# Every load generator here is one source (127.0.0.1), so the failure budgets are lifted: the flood phases measure
# the hashing bulkhead alone. bench/attack.sh measures the budgets, with the sources told apart.
# The reissue window is off in the benches that measure signing (this one, exchange, assertions, attack, rolling
# restart): their clients ask again and again. bench/storm.sh measures it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
CLIENTS=${CLIENTS:-256}
FLOOD_CPU=${FLOOD_CPU:-0.3}
PORT=${PORT:-18080}
URL="http://127.0.0.1:$PORT"
DB=tokenbench
ADMIN_ID=bench-admin
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools wrk hey curl jq python3
fresh_database "$DB"

log "building the production jar and the JMH benchmark"
./mvnw -B -q install -DskipTests
(cd bench/jmh && ../../mvnw -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

SERVER_PID=""
FIRST_MS=""
SERVER_ENV=""
KEYS_ALG=""
# start_server JDK ALGORITHM [java options...]: launches the jar; FIRST_MS = milliseconds to the first token.
# A change of algorithm drops the stored signing keys first: the service would otherwise keep signing with the
# old algorithm's key for publish-ahead (a rotation), and the run would measure the wrong algorithm.
start_server() {
  local jdk=$1 alg=$2; shift 2
  local start now
  if [ "$alg" != "$KEYS_ALG" ]; then
    psql -d "$DB" -qc "DELETE FROM token_service.signing_key" 2>/dev/null || true
    KEYS_ALG=$alg
  fi
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # SERVER_ENV is a list of VAR=value words
  env TOKEN_SERVICE_REISSUE_ENABLED=false DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT TOKEN_SERVICE_KEYS_ALGORITHM=$alg \
    TOKEN_SERVICE_ISSUER=http://127.0.0.1:$PORT \
    TOKEN_SERVICE_THROTTLE_FAILURES_PER_SOURCE_PER_MINUTE=1000000000 \
    TOKEN_SERVICE_THROTTLE_FAILURES_PER_CLIENT_PER_MINUTE=1000000000 \
    TOKEN_SERVICE_KEY_ENCRYPTION_KEY=$KEY_ENCRYPTION_KEY \
    TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET \
    QUARKUS_LOG_LEVEL=WARN $SERVER_ENV "$jdk/bin/java" "$@" -jar "$JAR" >>"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  until curl -sf -o /dev/null -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died, see $OUT/server.log" >&2; exit 1; }
    sleep 0.01
  done
  now=$(date +%s%N)
  FIRST_MS=$(( (now - start) / 1000000 ))
}

stop_server() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / tck}' "/proc/$1/stat"; }

# flood_phase NAME: valid clients and a stream of wrong secrets at once, for DURATION seconds.
flood_phase() {
  TOKEN_HEADERS="$OUT/wrong.headers" wrk -t1 -c16 -d"${DURATION}s" -s bench/token.lua "$URL" >"$OUT/$1-wrong.txt" &
  local flood_pid=$!
  TOKEN_HEADERS="$OUT/valid.headers" wrk -t1 -c48 -d"${DURATION}s" --latency -s bench/token.lua "$URL" >"$OUT/$1-valid.txt"
  wait "$flood_pid"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

log "registering $CLIENTS clients through the admin API"
start_server "$JDK17" RS256
ADMIN_TOKEN=$(curl -s -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token)
: >"$OUT/valid.headers"
: >"$OUT/wrong.headers"
: >"$OUT/cold-clients.txt"
: >"$OUT/valid-clients.txt"
for i in $(seq 1 "$CLIENTS"); do
  secret=$(curl -s -X POST "$URL/admin/clients" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"bench-$i\",\"scope\":\"read write\"}" | jq -r .client_secret)
  # Odd clients carry the load; even ones stay unseen until the cold-cache phase.
  if [ $((i % 2)) = 1 ]; then
    echo "bench-$i $secret" >>"$OUT/valid-clients.txt"
    echo "Basic $(printf '%s' "bench-$i:$secret" | base64 -w0)" >>"$OUT/valid.headers"
    echo "Basic $(printf '%s' "bench-$i:wrong-$secret" | base64 -w0)" >>"$OUT/wrong.headers"
  else
    echo "bench-$i $secret" >>"$OUT/cold-clients.txt"
  fi
done
stop_server

RESULTS="$OUT/results.tsv"
printf 'jdk\talg\tfirst_token_ms\tcold_rps\tcold_p50\tcold_p99\tsteady_rps\tsteady_p50\tsteady_p90\tsteady_p99\tsteady_non2xx\tfixed_rate\tfixed_p50\tfixed_p90\tfixed_p99\tfixed_non2xx\tflood_open_rps\tflood_open_ratio\tflood_valid_rps\tflood_ratio\tflood_valid_p99\tflood_valid_non2xx\trss_mb\tcpu_s\tceiling_1t\tceiling_2t\tratio\n' >"$RESULTS"

for jdk_name in ${JDKS:-17 25}; do
  jdk=$JDK17; [ "$jdk_name" = 25 ] && jdk=$JDK25
  for alg in ${ALGS:-RS256 ES256}; do
    tag="jdk$jdk_name-$alg"
    log "$tag: start (fresh caches)"
    start_server "$jdk" "$alg"
    first_ms=$FIRST_MS

    log "$tag: warm-up (JIT), wrk for ${WARMUP}s, not recorded"
    TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${WARMUP}s" -s bench/token.lua "$URL" >/dev/null

    log "$tag: steady state, wrk -t2 -c64 -d${DURATION}s over $CLIENTS clients"
    cpu_before=$(cpu_seconds "$SERVER_PID")
    TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/token.lua "$URL" >"$OUT/$tag-steady.txt"
    cpu=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN {printf "%.1f", b - a}')
    rss=$(rss_mb "$SERVER_PID")
    steady=$(python3 bench/stats.py wrk "$OUT/$tag-steady.txt")
    steady_rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$steady")

    # hey -q is per worker: 16 processes of distinct clients, 2 workers each, share half the peak rate.
    rate=$(awk -v r="$steady_rps" 'BEGIN {printf "%d", r / 2}')
    per_worker=$(awk -v r="$rate" 'BEGIN {q = r / 32; printf "%.0f", (q < 1 ? 1 : q)}')
    log "$tag: latency at half the peak, $rate req/s (hey, 16 clients x 2 workers x $per_worker/s)"
    # (the loop runs in a subshell: its wait covers the hey processes only, not the server)
    head -16 "$OUT/valid.headers" | nl -w1 -s' ' | {
      while read -r n header; do
        hey -z "${DURATION}s" -c 2 -q "$per_worker" -m POST -T application/x-www-form-urlencoded \
          -H "Authorization: $header" -d grant_type=client_credentials -o csv "$URL/oauth2/token" >"$OUT/$tag-fixed-$n.csv" &
      done
      wait
    }
    fixed=$(python3 bench/stats.py hey "$OUT"/"$tag"-fixed-*.csv)

    log "$tag: cold caches, the first request of each of $((CLIENTS / 2)) unseen clients (16 at a time), JIT warm"
    cold_start=$(date +%s%N)
    awk '{print $1" "$2}' "$OUT/cold-clients.txt" | xargs -P 16 -n 2 sh -c \
      'curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -u "$0:$1" -d grant_type=client_credentials '"$URL"'/oauth2/token' \
      >"$OUT/$tag-cold.txt"
    cold_ms=$(( ($(date +%s%N) - cold_start) / 1000000 ))
    cold=$(python3 bench/stats.py curl "$OUT/$tag-cold.txt")
    cold_rps=$(awk -v n="$((CLIENTS / 2))" -v ms="$cold_ms" 'BEGIN {printf "%.0f", n * 1000 / ms}')

    log "$tag: flood without a verification budget, valid clients (wrk -c48) beside wrong secrets (wrk -c16)"
    flood_phase "$tag-flood-open"
    flood_open=$(python3 bench/stats.py wrk "$OUT/$tag-flood-open-valid.txt")
    stop_server

    log "$tag: flood with token-service.hashing.max-cpu-cores=$FLOOD_CPU (fresh server, warmed)"
    SERVER_ENV="TOKEN_SERVICE_HASHING_MAX_CPU_CORES=$FLOOD_CPU" start_server "$jdk" "$alg"
    # Every valid client gets its first token (retrying the budget's 503s), then the JIT warms up.
    while read -r id secret; do
      until [ "$(curl -s -o /dev/null -w '%{http_code}' -u "$id:$secret" -d grant_type=client_credentials "$URL/oauth2/token")" = 200 ]; do
        sleep 0.1
      done
    done <"$OUT/valid-clients.txt"
    TOKEN_HEADERS="$OUT/valid.headers" wrk -t2 -c64 -d"${WARMUP}s" -s bench/token.lua "$URL" >/dev/null
    flood_phase "$tag-flood-limited"
    flood=$(python3 bench/stats.py wrk "$OUT/$tag-flood-limited-valid.txt")
    flood_rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$flood")
    flood_open_rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$flood_open")
    stop_server

    log "$tag: signing ceiling, JMH of AccessTokenMinter.mint on the same JVM"
    for threads in 1 2; do
      "$jdk/bin/java" -cp "bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)" org.openjdk.jmh.Main \
        MintBenchmark -p algorithm="$alg" -f 1 -wi 2 -w 3s -i 3 -r 3s -t "$threads" -rf csv \
        -rff "$OUT/$tag-jmh-$threads.csv" >"$OUT/$tag-jmh-$threads.txt" 2>&1
    done
    c1=$(awk -F, 'NR == 2 {printf "%.0f", $5}' "$OUT/$tag-jmh-1.csv")
    c2=$(awk -F, 'NR == 2 {printf "%.0f", $5}' "$OUT/$tag-jmh-2.csv")
    ratio=$(awk -v e="$steady_rps" -v c="$c2" 'BEGIN {printf "%.2f", e / c}')
    flood_ratio=$(awk -v f="$flood_rps" -v s="$steady_rps" 'BEGIN {printf "%.2f", f / s}')
    flood_open_ratio=$(awk -v f="$flood_open_rps" -v s="$steady_rps" 'BEGIN {printf "%.2f", f / s}')

    v() { sed -E "s/.*$1=([^ ]+).*/\\1/" <<<"$2"; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$jdk_name" "$alg" "$first_ms" "$cold_rps" "$(v p50 "$cold")" "$(v p99 "$cold")" \
      "$steady_rps" "$(v p50 "$steady")" "$(v p90 "$steady")" "$(v p99 "$steady")" "$(v non2xx "$steady")" \
      "$rate" "$(v p50 "$fixed")" "$(v p90 "$fixed")" "$(v p99 "$fixed")" "$(v non2xx "$fixed")" \
      "$flood_open_rps" "$flood_open_ratio" "$flood_rps" "$flood_ratio" "$(v p99 "$flood")" "$(v non2xx "$flood")" "$rss" "$cpu" "$c1" "$c2" "$ratio" >>"$RESULTS"
    tail -1 "$RESULTS" >&2
  done
done

log "startup: launch to first token, median of 5 (plain jar on JDK 17 and 25, JDK 25 with an AOT cache)"
: >"$OUT/startup.tsv"
for run in $(seq 1 "${STARTUP_RUNS:-5}"); do
  start_server "$JDK17" RS256; printf 'jdk17\t%s\n' "$FIRST_MS" >>"$OUT/startup.tsv"; stop_server
  start_server "$JDK25" RS256; printf 'jdk25\t%s\n' "$FIRST_MS" >>"$OUT/startup.tsv"; stop_server
done
# The JDK 25 AOT cache as Quarkus builds it (quarkus.package.jar.aot.enabled): a copy of the project compiled
# for release 25 and packaged with the cache trained by the @QuarkusIntegrationTest runs (TwoReplicasIT).
log "building the jar with the JDK 25 AOT cache, trained by the integration tests"
AOT_SRC="$OUT/aot-build"
mkdir -p "$AOT_SRC"
cp -r pom.xml mvnw .mvn src "$AOT_SRC/"
(cd "$AOT_SRC" && JAVA_HOME="$JDK25" ./mvnw -B -q verify -Dquarkus.package.jar.aot.enabled=true \
  -Dmaven.compiler.release=25 -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false >"$OUT/aot-build.log" 2>&1)
for run in $(seq 1 "${STARTUP_RUNS:-5}"); do
  JAR="$AOT_SRC/target/quarkus-app/quarkus-run.jar" start_server "$JDK25" RS256 \
    -XX:AOTCache="$AOT_SRC/target/quarkus-app/app.aot"
  printf 'jdk25-aot\t%s\n' "$FIRST_MS" >>"$OUT/startup.tsv"; stop_server
done
startup_17=$(awk '$1 == "jdk17" {print $2}' "$OUT/startup.tsv" | median)
startup_25=$(awk '$1 == "jdk25" {print $2}' "$OUT/startup.tsv" | median)
startup_aot=$(awk '$1 == "jdk25-aot" {print $2}' "$OUT/startup.tsv" | median)

{
  echo "# token-service benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem/ {print $2}') GiB;"
  echo "load generators on the same cores; PostgreSQL $(psql -d postgres -tAc 'SHOW server_version') on loopback; $CLIENTS clients; ${DURATION}s per load phase."
  echo "JDK 17: $("$JDK17/bin/java" -version 2>&1 | head -1). JDK 25: $("$JDK25/bin/java" -version 2>&1 | head -1)."
  echo
  echo "| JDK | alg | steady req/s | p50 / p90 / p99 ms | non-2xx | signing ceiling 1t / 2t | endpoint ÷ ceiling (2t) | half-peak rate | p50 / p90 / p99 ms | flood, no budget: valid req/s (÷ steady) | flood, budget $FLOOD_CPU cores: valid req/s (÷ steady) | its valid p99 ms | cold req/s | cold p50 / p99 ms | RSS MB | CPU s |"
  echo "|---|---|---:|---|---:|---|---:|---:|---|---|---|---:|---:|---|---:|---:|"
  tail -n +2 "$RESULTS" | while IFS=$'\t' read -r jdk alg first cold_rps cold50 cold99 rps p50 p90 p99 n2xx rate f50 f90 f99 fn2xx open oratio flood fratio fp99 fn rss cpu c1 c2 ratio; do
    echo "| $jdk | $alg | $rps | $p50 / $p90 / $p99 | $n2xx | $c1 / $c2 | $ratio | $rate | $f50 / $f90 / $f99 | $open ($oratio) | $flood ($fratio) | $fp99 | $cold_rps | $cold50 / $cold99 | $rss | $cpu |"
  done
  echo
  echo "Time from launch to the first successful token response (median of 5): JDK 17 ${startup_17} ms, JDK 25 ${startup_25} ms, JDK 25 with AOT cache ${startup_aot} ms."
} >"$OUT/results.md"
cat "$OUT/results.md"
echo "raw outputs: $OUT" >&2
