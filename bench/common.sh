# Sourced by bench/run.sh and bench/attack.sh: what both need before their first server starts.
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
