#!/usr/bin/env bash
# Puts the project's pinned Node 24 and pnpm on the PATH, installing them into .tools/ from the npm registry
# when missing. Source it: `source scripts/toolchain.sh`. Idempotent; ~10 s the first time, instant after.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_SPEC="node@$(cat "$ROOT/.node-version")"
PNPM_SPEC="pnpm@10.34.9"
export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export METADATA_SERVER_DETECTION=none
_tools="$ROOT/.tools"
_node_ok() { [ -x "$_tools/node_modules/.bin/node" ] && "$_tools/node_modules/.bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' 2>/dev/null; }
if ! _node_ok || [ ! -x "$_tools/node_modules/.bin/pnpm" ]; then
  echo "[toolchain] installing $NODE_SPEC and $PNPM_SPEC into .tools/ (from the npm registry)" >&2
  mkdir -p "$_tools"
  npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix "$_tools" "$NODE_SPEC" "$PNPM_SPEC" >/dev/null
fi
export PATH="$_tools/node_modules/.bin:$ROOT/node_modules/.bin:$PATH"
