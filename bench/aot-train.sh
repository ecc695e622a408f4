#!/usr/bin/env bash
# Trains a JDK 25 AOT cache for target/quarkus-app (or APP, another build of the service) with a run that starts exactly as production does, instead of the
# integration tests that train target/quarkus-app/app.aot in `./mvnw verify`: JSON logs, the management port, the
# image's JVM options (Dockerfile.jvm's JAVA_OPTS), a replica that does not migrate, against a migrated database;
# then the requests a replica serves (client_credentials with a secret and with a federated_jwt, introspection, the
# JWKS, discovery, probes and metrics), and SIGTERM, at which the JVM writes the cache. bench/cold-start.sh (LEVERS=1)
# starts from such caches beside the build's own.
#
#   bench/aot-train.sh OUTPUT.aot [JAVA OPTIONS...]     (about a minute; the options also go into the cache, e.g.
#                                                        -XX:+UseCompactObjectHeaders, which a cache must be trained with)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/aot-train.sh OUTPUT.aot [JAVA OPTIONS...]" >&2; exit 2; }
OUTPUT=$(readlink -f "$1"); shift
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
APP=${APP:-$ROOT/target/quarkus-app}
REQUESTS=${REQUESTS:-40}
PORT=${PORT:-18480}
MGMT=${MGMT:-19480}
URL="http://127.0.0.1:$PORT"
DB=tokentrain
ADMIN_ID=train-admin
WORK=$(mktemp -d)
# shellcheck source=bench/common.sh
. bench/common.sh
require_tools curl jq
fresh_database "$DB"
ENV_ARGS=(DB_HOST=127.0.0.1 DB_NAME=$DB QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT TOKEN_SERVICE_ISSUER=$URL
  TOKEN_SERVICE_KEY_ENCRYPTION_KEY=$KEY_ENCRYPTION_KEY TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID
  TOKEN_SERVICE_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET QUARKUS_SHUTDOWN_DELAY=0s)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
# A step that fails shows what the service said first.
trap 'echo "aot-train.sh failed at line $LINENO; the service logged:" >&2; tail -n 30 "$WORK"/*.log >&2' ERR
env "${ENV_ARGS[@]}" "$JDK/bin/java" -jar "$APP/quarkus-run.jar" migrate >"$WORK/migrate.log" 2>&1
# shellcheck disable=SC2046
env "${ENV_ARGS[@]}" TOKEN_SERVICE_DATABASE_MIGRATE_AT_START=false "$JDK/bin/java" -XX:AOTCacheOutput="$OUTPUT" \
  $(src/main/docker/java-opts.sh) "$@" -jar "$APP/quarkus-run.jar" >"$WORK/server.log" 2>&1 &
PID=$!
await_ready "$MGMT" "$PID" || { cat "$WORK/server.log" >&2; exit 1; }
ADMIN_TOKEN=$(curl -s -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token)
PAIR=$(curl -s -X POST "$URL/admin/clients" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"client_id":"train-client"}' | jq -r '.client_id + ":" + .client_secret')
FEDERATED=$(federated_workload "$URL" "$ADMIN_TOKEN" "$WORK/forge" train train-workload)
for i in $(seq 1 "$REQUESTS"); do
  token=$(curl -s -u "$PAIR" -d grant_type=client_credentials "$URL/oauth2/token" | jq -r .access_token)
  curl -s -o /dev/null -d "$FEDERATED" "$URL/oauth2/token"
  curl -s -o /dev/null -u "$PAIR" -d "token=$token" "$URL/oauth2/introspect"
  # A few failures (an unknown client), well inside the failure budget of the source, which all requests share.
  [ "$i" -le 5 ] && curl -s -o /dev/null -H 'Authorization: Basic bm9uZTpub25l' -d grant_type=client_credentials "$URL/oauth2/token"
  curl -s -o /dev/null "$URL/.well-known/jwks.json"
  curl -s -o /dev/null "$URL/.well-known/oauth-authorization-server"
  curl -s -o /dev/null "http://127.0.0.1:$MGMT/q/health/ready"
  curl -s -o /dev/null "http://127.0.0.1:$MGMT/q/health/live"
  curl -s -o /dev/null "http://127.0.0.1:$MGMT/q/metrics"
done
kill -TERM "$PID"
wait "$PID" || true
PID=""
[ -s "$OUTPUT" ] || { echo "no cache written; the server's log:" >&2; cat "$WORK/server.log" >&2; exit 1; }
echo "trained $OUTPUT ($(( $(stat -c %s "$OUTPUT") / 1048576 )) MiB)"
