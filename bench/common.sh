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
