#!/usr/bin/env bash
# Cold start, launch to first token, median of RUNS (default 5) for each way of starting the service, side by side
# in one run: the plain jar on JDK 17 and on Temurin 25, the jar with its JDK 25 AOT cache, and the container image
# (podman; AOT cache inside when the build left one). Each launch is timed to its port accepting a connection and
# to the first successful token of a client registered beforehand (one Argon2id verification: a cold replica has
# verified nobody; and, for the AOT cache, of a federated_jwt client: one signature verification), and its RSS is
# read after that token. All against a migrated database, replicas not migrating
# (TOKEN_SERVICE_DATABASE_MIGRATE_AT_START=false, as in the manifests); then the AOT-cached jar on a fresh
# database (migrations, the first signing key and the bootstrap admin included).
#
#   LEVERS=1 bench/cold-start.sh (the start levers of issue 22 side by side instead, about 10 minutes)
#   bench/cold-start.sh          (about 4 minutes; needs target/quarkus-app built on Temurin 25 for the AOT rows:
#                                 JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw verify -Dtest=NoSuchTest
#                                 -Dsurefire.failIfNoSpecifiedTests=false; and the image from build-image.sh)
#
# Results: bench/results/<time>-cold-start/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-cold-start"
mkdir -p "$OUT"
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
IMAGE=${IMAGE:-localhost/token-service:latest}
RUNS=${RUNS:-5}
PORT=${PORT:-18280}
MGMT=${MGMT:-19280}
URL="http://127.0.0.1:$PORT"
DB=tokencold
ADMIN_ID=cold-admin
APP="$ROOT/target/quarkus-app"
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools curl jq python3
fresh_database "$DB"

COMMON_ENV=(DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT
  TOKEN_SERVICE_ISSUER=$URL TOKEN_SERVICE_KEY_ENCRYPTION_KEY=$KEY_ENCRYPTION_KEY
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET
  QUARKUS_SHUTDOWN_DELAY=0s QUARKUS_LOG_LEVEL=WARN)
PID=""
CONTAINER=""
CLIENT_HEADER=""

stop() {
  if [ -n "$CONTAINER" ]; then
    podman rm -f "$CONTAINER" >/dev/null 2>&1 || true
    CONTAINER=""
  elif [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  fi
  PID=""
}
trap stop EXIT

# launch KIND [args...]: starts the service (KIND jar: JDK and java options follow; KIND image), sets PID.
launch() {
  local kind=$1; shift
  if [ "$kind" = jar ]; then
    local jdk=$1; shift
    env "${COMMON_ENV[@]}" "${EXTRA_ENV[@]}" "$jdk/bin/java" "$@" -jar "${RUN_APP:-$APP}/quarkus-run.jar" >>"$OUT/server.log" 2>&1 &
    PID=$!
  else
    CONTAINER=$(run_image 512m "$IMAGE" "${COMMON_ENV[@]}" "${EXTRA_ENV[@]}")
    PID=$(podman inspect --format '{{.State.Pid}}' "$CONTAINER")
  fi
}

# first_token: one token request of the client being timed: Basic with its secret, or, with FEDERATED_BODY set, a
# federated_jwt client's Kubernetes-shaped token (one signature verification instead of one Argon2id).
first_token() {
  if [ -n "$FEDERATED_BODY" ]; then
    curl -s -o /dev/null -X POST -d "$FEDERATED_BODY" -w '%{http_code}' "$URL/oauth2/token"
  else
    curl -s -o /dev/null -X POST -H "Authorization: $CLIENT_HEADER" -d grant_type=client_credentials \
      -w '%{http_code}' "$URL/oauth2/token"
  fi
}

# measure LABEL KIND [args...]: one cold start; prints "port_ms token_ms rss_mb ready_ms" (ready: the first 200 of
# the readiness probe, polled before the token in each round until the token came; "-" when it had not answered).
measure() {
  local start port_ms="" ready_ms="" now
  start=$(date +%s%N)
  launch "$@"
  while true; do
    # Readiness first in each round: a probe that answers in the round the token comes counts as no later.
    if [ -z "$ready_ms" ] && curl -sf -o /dev/null "http://127.0.0.1:$MGMT/q/health/ready"; then
      ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    fi
    first_token | grep -q 200 && break
    if [ -z "$port_ms" ] && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      port_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    fi
    kill -0 "$PID" 2>/dev/null || { echo "the service died, see $OUT/server.log" >&2; exit 1; }
    sleep 0.005
  done
  now=$(date +%s%N)
  [ -z "$port_ms" ] && port_ms=$(( (now - start) / 1000000 ))
  echo "$port_ms $(( (now - start) / 1000000 )) $(rss_mb "$PID") ${ready_ms:--}"
  stop
}

log "migrating $DB and registering the client whose first token is timed"
EXTRA_ENV=()
env "${COMMON_ENV[@]}" "$JDK17/bin/java" -jar "$APP/quarkus-run.jar" migrate >>"$OUT/server.log" 2>&1
launch jar "$JDK17"
await_ready "$MGMT" "$PID"
ADMIN_TOKEN=$(curl -s -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token)
PAIR=$(curl -s -X POST "$URL/admin/clients" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"client_id":"cold-client"}' | jq -r '.client_id + ":" + .client_secret')
CLIENT_HEADER="Basic $(printf '%s' "$PAIR" | base64 -w0)"
# A federated_jwt client too, of a trusted issuer with its keys inline, and the reusable token its pod would mount.
FEDERATED=$(federated_workload "$URL" "$ADMIN_TOKEN" "$OUT/forge" cold cold-workload)
FEDERATED_BODY=""
stop

EXTRA_ENV=(TOKEN_SERVICE_DATABASE_MIGRATE_AT_START=false)
: >"$OUT/runs.tsv"
# LEVERS=1: instead of the series below, one start lever at a time beside today's default, in interleaved rounds (each
# round starts every variant once, so a slower minute of the machine falls on all of them), with the AOT cache.
# A variant is "label|environment (K=V ...)|java options|AOT cache (default: the build's)|build (default: $APP)|
# runtime (default: $JDK25)".
# Two caches are trained first (bench/aot-train.sh): one by a run that starts as production does, one with compact
# object headers, which a JVM uses only with a cache trained with them. OTHER_BUILDS adds other builds of the service,
# each started from a cache a production-like run trained for it: "label=target/quarkus-app of the build;...", e.g. an
# earlier commit, or a build with OpenTelemetry left out (-Dquarkus.otel.enabled=false). JLINK=1 adds a runtime made by
# jlink from $JDK25 with the modules the service uses (JLINK_MODULES), with a cache trained on it, and reports its size.
if [ "${LEVERS:-0}" = 1 ] && [ -f "$APP/app.aot" ]; then
  log "training the levers' AOT caches"
  bench/aot-train.sh "$OUT/production.aot" >>"$OUT/train.log" 2>&1
  bench/aot-train.sh "$OUT/compact-headers.aot" -XX:+UseCompactObjectHeaders >>"$OUT/train.log" 2>&1
  VARIANTS=(
    "AOT cache (the build's, trained by the integration tests)|||"
    "+ Hibernate's database version check off|QUARKUS_DATASOURCE_DB_VERSION=15 QUARKUS_HIBERNATE_ORM_DATABASE_VERSION_CHECK_ENABLED=false||"
    "+ OpenAPI endpoint off|QUARKUS_SMALLRYE_OPENAPI_ENABLE=false||"
    "+ C2 only for crypto and BigInteger||-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$ROOT/bench/c2-crypto-only.json|"
    "+ no AOT replay training||-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining|"
    "+ serial GC||-XX:+UseSerialGC|"
    "a cache trained by a production-like run (bench/aot-train.sh)|||$OUT/production.aot"
    "+ compact object headers (a cache trained with them)||-XX:+UseCompactObjectHeaders|$OUT/compact-headers.aot"
    "the image's options (heap a quarter of 384 MiB, serial GC, ...)||$(src/main/docker/java-opts.sh) -XX:MaxRAM=384m|"
    "C1 only (reference, not a default)||-XX:TieredStopAtLevel=1|"
  )
  if [ "${JLINK:-0}" = 1 ]; then
    "$JDK25/bin/jlink" --add-modules "${JLINK_MODULES:-java.se,jdk.unsupported,jdk.management,jdk.naming.dns,jdk.crypto.cryptoki,jdk.zipfs,jdk.jfr}" \
      --strip-debug --no-man-pages --no-header-files --output "$OUT/runtime"
    echo "runtime sizes: jlinked $(du -sm "$OUT/runtime" | cut -f1) MiB, $JDK25 $(du -sm "$JDK25" | cut -f1) MiB" >"$OUT/runtime-size.txt"
    JDK="$OUT/runtime" bench/aot-train.sh "$OUT/runtime.aot" >>"$OUT/train.log" 2>&1
    VARIANTS+=("a jlinked runtime, production-like cache|||$OUT/runtime.aot||$OUT/runtime")
  fi
  IFS=';' read -r -a builds <<<"${OTHER_BUILDS:-}"
  for i in "${!builds[@]}"; do
    # The build's directory follows the last "=" (a label may hold one).
    APP="${builds[$i]##*=}" bench/aot-train.sh "$OUT/build-$i.aot" >>"$OUT/train.log" 2>&1
    VARIANTS+=("${builds[$i]%=*}, production-like cache|||$OUT/build-$i.aot|${builds[$i]##*=}")
  done
  for client in secret federated; do
    FEDERATED_BODY=""
    [ "$client" = federated ] && FEDERATED_BODY=$FEDERATED
    for round in $(seq 1 "$RUNS"); do
      for variant in "${VARIANTS[@]}"; do
        IFS='|' read -r label environment options cache RUN_APP runtime <<<"$variant"
        # shellcheck disable=SC2206
        EXTRA_ENV=(TOKEN_SERVICE_DATABASE_MIGRATE_AT_START=false $environment)
        # shellcheck disable=SC2086
        printf '%s\t%s\n' "$label, $client client" \
          "$(measure jar "${runtime:-$JDK25}" -XX:AOTCache="${cache:-$APP/app.aot}" $options | tr ' ' '\t')" >>"$OUT/runs.tsv"
      done
    done
  done
  FEDERATED_BODY=""
  RUN_APP=""
  RUNS=0
fi
run_series() {
  local label=$1; shift
  for i in $(seq 1 "$RUNS"); do
    printf '%s\t%s\n' "$label" "$(measure "$@" | tr ' ' '\t')" >>"$OUT/runs.tsv"
  done
}
run_series "jar, JDK 17" jar "$JDK17"
run_series "jar, JDK 25" jar "$JDK25"
if [ -f "$APP/app.aot" ]; then
  run_series "jar, JDK 25 + AOT cache" jar "$JDK25" -XX:AOTCache="$APP/app.aot"
  run_series "jar, JDK 25 + AOT cache, serial GC, C1 only" jar "$JDK25" -XX:AOTCache="$APP/app.aot" \
    -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  FEDERATED_BODY=$FEDERATED
  run_series "jar, JDK 25 + AOT cache, a federated_jwt client's first token" jar "$JDK25" -XX:AOTCache="$APP/app.aot"
  run_series "jar, JDK 25 + AOT cache, serial GC, C1 only, a federated_jwt client's first token" jar "$JDK25" \
    -XX:AOTCache="$APP/app.aot" -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  FEDERATED_BODY=""
fi
if podman image exists "$IMAGE" 2>/dev/null; then
  run_series "container image (podman)" image
fi
# A fresh database: migrations, the first signing key and the bootstrap admin on the way to the first token.
if [ -f "$APP/app.aot" ]; then
  EXTRA_ENV=()
  for i in $(seq 1 "$RUNS"); do
    fresh_database "$DB" >/dev/null 2>&1
    # The client must exist for the first token: created by the bootstrap (its own secret) on this fresh start.
    CLIENT_HEADER="Basic $(printf '%s' "$ADMIN_ID:$ADMIN_SECRET" | base64 -w0)"
    printf '%s\t%s\n' "fresh database, JDK 25 + AOT cache (bootstrap admin's token)" \
      "$(measure jar "$JDK25" -XX:AOTCache="$APP/app.aot" | tr ' ' '\t')" >>"$OUT/runs.tsv"
  done
fi

python3 - "$OUT/runs.tsv" "$(nproc)" >"$OUT/results.md" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, port, token, rss, ready = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((int(port), int(token), int(rss), ready))
print(f"## Cold start, launch to first token (median of {len(next(iter(rows.values())))}, {sys.argv[2]} cores)\n")
# The port column: when the polling loop first saw the port accept; it opens at the end of startup, so this is
# usually the same poll as the first token.
# The ready column: runs in which the readiness probe answered 200 before the first token, out of all.
print("| start | port open ms | first token ms | (min–max) | RSS after first token MB | ready before the token |")
print("|---|---:|---:|---|---:|---:|")
for label, runs in rows.items():
    tokens = [r[1] for r in runs]
    ready = sum(1 for r in runs if r[3] != "-")
    print(f"| {label} | {statistics.median(r[0] for r in runs):.0f} | {statistics.median(tokens):.0f} | "
          f"{min(tokens)}–{max(tokens)} | {statistics.median(r[2] for r in runs):.0f} | {ready}/{len(runs)} |")
PY
if [ "${LEVERS:-0}" = 1 ]; then
  {
    echo
    for cache in "$APP/app.aot" "$OUT"/*.aot; do
      [ -f "$cache" ] && echo "- AOT cache $(basename "$cache"): $(( $(stat -c %s "$cache") / 1048576 )) MiB"
    done
    [ -f "$OUT/runtime-size.txt" ] && echo "- $(cat "$OUT/runtime-size.txt")"
  } >>"$OUT/results.md"
fi
cat "$OUT/results.md"
