# Sourced by the bench scripts: what they need before their first server starts, and the clients they register.
# shellcheck shell=bash
export PGHOST=127.0.0.1 PGUSER=postgres
ADMIN_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)

log() { printf '\n== %s\n' "$*" >&2; }

# require_tools TOOL...: installs from Debian the ones that are missing.
require_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; return; }
  done
}

# fresh_database DB: the local PostgreSQL running, DB existing, and no token_service schema left in it.
fresh_database() {
  pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 || createdb "$1"
  psql -d "$1" -qc "DROP SCHEMA IF EXISTS token_service CASCADE"
}

# register_clients URL ADMIN_ID COUNT PREFIX FILE [METADATA]: COUNT clients registered through the admin API of the
# service at URL (as the bootstrap admin ADMIN_ID, secret $ADMIN_SECRET), with the client metadata METADATA (a JSON
# object, default {}) and ids PREFIX-n-random, their Basic headers written to FILE, one a line.
register_clients() {
  local url=$1 admin=$2 count=$3 prefix=$4 file=$5 metadata=${6:-'{}'} token pair
  token=$(curl -s -u "$admin:$ADMIN_SECRET" -d grant_type=client_credentials "$url/oauth2/token" | jq -r .access_token)
  : >"$file"
  for i in $(seq 1 "$count"); do
    pair=$(curl -s -X POST "$url/admin/clients" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "$(jq -c --arg id "$prefix-$i-$RANDOM" '. + {client_id: $id}' <<<"$metadata")" | jq -r '.client_id + ":" + .client_secret')
    echo "Basic $(printf '%s' "$pair" | base64 -w0)" >>"$file"
  done
}

# await_ready MGMT PID: until the service whose management port is MGMT answers its readiness probe; 1 if process
# PID ends first.
await_ready() {
  until curl -sf -o /dev/null "http://127.0.0.1:$1/q/health/ready"; do
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
}

# federated_workload URL ADMIN_TOKEN DIR NAME CLIENT_ID: with the keys bench/AssertionForge.java writes to DIR, a
# trusted issuer https://NAME.example (keys inline, reusable tokens allowed) and a federated_jwt client CLIENT_ID for
# its subject system:serviceaccount:NAME:workload, registered at URL; prints the token body of that workload's
# reusable Kubernetes-shaped token, as its pod would send it.
federated_workload() {
  local url=$1 token=$2 dir=$3 name=$4 client=$5 iss="https://$4.example" subject="system:serviceaccount:$4:workload"
  java bench/AssertionForge.java keys "$dir" >/dev/null
  curl -sf -o /dev/null -X POST "$url/admin/trusted-issuers" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"$name\",\"issuer\":\"$iss\",\"jwks\":$(cat "$dir/rsa.jwks"),\"allow_reuse\":true}"
  curl -sf -o /dev/null -X POST "$url/admin/clients" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$client\",\"token_endpoint_auth_method\":\"federated_jwt\",\"federated_credentials\":[{\"issuer\":\"$iss\",\"subject\":\"$subject\"}]}"
  assertion_body "$(java bench/AssertionForge.java federated "$dir" "$iss" "$url/oauth2/token" "$subject")"
}

# assertion_body JWT: the client_credentials form of a client authenticating with the assertion JWT.
assertion_body() {
  echo "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=$1"
}

# rss_mb PID: the resident set of a process, in MB.
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# run_image LIMIT IMAGE VAR=value...: starts IMAGE detached as the manifests run it (read-only root filesystem, the
# memory limit without swap) on the host's network, and prints the container's id. podman's default runtime, crun,
# fails on these hosts; runc needs the limits it may raise given explicitly.
run_image() {
  local limit=$1 image=$2 envs=()
  shift 2
  for e in "$@"; do envs+=(-e "$e"); done
  podman run -d --runtime /usr/sbin/runc --read-only --network host -m "$limit" --memory-swap "$limit" \
    --ulimit nofile=10000:10000 --ulimit nproc=4096:4096 "${envs[@]}" "$image"
}
