#!/usr/bin/env bash
# The GitHub workflow's `kind` job (.github/workflows/ci.yml): the images built from docker/, a kind cluster, the
# control-plane chart and a naisd installed into it, and one feature deployed for real, waited for until DEPLOYED
# and then looked up in the cluster.
#
# RUNS ONLY WHERE A DOCKER ENGINE, kind AND kubectl ARE (GitHub's ubuntu runners). The machines this repository is
# developed and tested on have none of them: there, `bash -n` and infra/test/kind-job.int-spec.ts check this
# script, its manifests and the charts rendered with its values, and nothing here is run.
#
# usage: bash scripts/kind-smoke.sh            (needs: docker, kind, kubectl, jq, openssl, curl; a kind cluster
#                                               named $KIND_CLUSTER, default "fasit", already created)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLUSTER="${KIND_CLUSTER:-fasit}"
TAG=0.1.0-ci
APPS=(catalog-api matcher reconciler dispatcher naisd)
REGISTRY_IN_CLUSTER=registry.fasit-deps.svc.cluster.local:5000
TENANT=kind ENV=dev FEATURE=demo-feature
WORK="$(mktemp -d)"
PIDS=()
log() { echo "[kind-smoke] $*" >&2; }
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
diagnose() {
  log "FAILED: the cluster as it is"
  kubectl get pods -A -o wide || true
  for ns in fasit nais-system; do
    for p in $(kubectl -n "$ns" get pods -o name 2>/dev/null); do echo "--- $ns $p"; kubectl -n "$ns" logs "$p" --all-containers --tail=80 || true; done
  done
}
trap 'diagnose' ERR
# port_forward <namespace> <service> <local port> <remote port>: in the background, until this script ends.
port_forward() {
  kubectl -n "$1" port-forward "svc/$2" "$3:$4" >"$WORK/pf-$2.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null && return 0; sleep 0.2; done
  log "port-forward to $1/$2 did not open"; cat "$WORK/pf-$2.log" >&2; return 1
}

# shellcheck disable=SC1091
source scripts/toolchain.sh
command -v helm >/dev/null || { bash scripts/services.sh start helm; source "$(bash scripts/services.sh dir)/env"; }

log "1. images from docker/, loaded into kind cluster $CLUSTER"
for app in "${APPS[@]}"; do
  docker build -q -f "docker/$app.Dockerfile" -t "kind.local/fasit/$app:$TAG" .
  kind load docker-image --name "$CLUSTER" "kind.local/fasit/$app:$TAG"
done

log "2. PostgreSQL, the Pub/Sub emulator and a registry in the cluster (infra/kind/deps.yaml)"
kubectl apply -f infra/kind/deps.yaml
kubectl -n fasit-deps rollout status deploy/postgres deploy/pubsub deploy/registry --timeout=300s

log "3. keys, generated for this run"
AGENT_KEY_SECRET="$(openssl rand -hex 32)"
pnpm --silent fasit keys instruction-signing --kid kind >"$WORK/keys"
SIGNING_KEY="$(sed -n 1p "$WORK/keys")"
PUBLIC_KEYS="$(sed -n 2p "$WORK/keys" | jq -c .keys)"
AGENT_KEY="$(printf 'fasit-agent:%s/%s' "$TENANT" "$ENV" | openssl dgst -sha256 -hmac "$AGENT_KEY_SECRET" | awk '{print $NF}')"

log "4. the control plane (infra/helm/fasit)"
kubectl create namespace fasit --dry-run=client -o yaml | kubectl apply -f -
kubectl -n fasit create secret generic fasit \
  --from-literal=DATABASE_URL=postgres://postgres@postgres.fasit-deps.svc.cluster.local:5432/fasit \
  --from-literal=FASIT_SECRET_KEYS="kind:$(openssl rand -base64 32)" \
  --from-literal=FASIT_AGENT_KEY_SECRET="$AGENT_KEY_SECRET" \
  --from-literal=FASIT_INSTRUCTION_SIGNING_KEY="$SIGNING_KEY"
helm install fasit infra/helm/fasit --namespace fasit -f infra/kind/fasit.values.yaml --wait --timeout 10m

log "5. naisd for $TENANT/$ENV, in-cluster (infra/helm/naisd)"
kubectl create namespace nais-system --dry-run=client -o yaml | kubectl apply -f -
kubectl -n nais-system create secret generic naisd-agent-key --from-literal=FASIT_AGENT_KEY="$AGENT_KEY"
helm install naisd infra/helm/naisd --namespace nais-system -f infra/kind/naisd.values.yaml \
  --set-json "instructionPublicKeys=$PUBLIC_KEYS" --wait --timeout 5m

log "6. an admin token from the catalog's database (decision 0008), the API and the registry forwarded here"
port_forward fasit-deps postgres 15432 5432
port_forward fasit-deps registry 15000 5000
port_forward fasit fasit-catalog-api 18080 80
FASIT_TOKEN="$(cd infra && node --import @swc-node/register/esm-register kind/admin-token.ts postgres://postgres@127.0.0.1:15432/fasit)"
API=http://127.0.0.1:18080/api/v1
call() { # call <method> <path> [json]: the body on stdout; fails on a status of 300 or more other than 409
  local code
  code="$(curl -sS -o "$WORK/body" -w '%{http_code}' -X "$1" "$API$2" -H "authorization: Bearer $FASIT_TOKEN" -H 'content-type: application/json' ${3:+-d "$3"})"
  if [ "$code" -ge 300 ] && [ "$code" != 409 ]; then log "$1 $2 → $code $(cat "$WORK/body")"; return 1; fi
  cat "$WORK/body"; }

log "7. one feature, deployed for real"
call POST /tenants "{\"name\":\"$TENANT\"}" >/dev/null
call POST "/tenants/$TENANT/environments" "{\"name\":\"$ENV\",\"kind\":\"tenant\",\"labels\":{}}" >/dev/null
helm package packages/testing/fixtures/charts/demo-feature --version 0.1.0 -d "$WORK" >/dev/null
helm push "$WORK/demo-feature-0.1.0.tgz" oci://127.0.0.1:15000/demo --plain-http
CHART="oci://$REGISTRY_IN_CLUSTER/demo/$FEATURE"
call POST /features "{\"chart\":\"$CHART\",\"version\":\"0.1.0\"}" >/dev/null
call PUT "/tenants/$TENANT/environments/$ENV/features/$FEATURE/config/auth.token" '{"value":"kind-token"}' >/dev/null
ID="$(call POST /assignments "{\"chart\":\"$CHART\",\"version\":\"0.1.0\",\"target\":{\"tenant\":\"$TENANT\"}}" | jq -r .id)"
log "assignment $ID: waiting for DEPLOYED"
for _ in $(seq 1 150); do
  STATE="$(call GET "/assignments/$ID/status" | jq -r .state)"
  [ "$STATE" = DEPLOYED ] && break
  [ "$STATE" = FAILED ] && { call GET "/tenants/$TENANT/environments/$ENV/features/$FEATURE" >&2; false; }
  sleep 2
done
[ "$STATE" = DEPLOYED ] || { log "not DEPLOYED after 5 minutes (state $STATE)"; call GET "/tenants/$TENANT/environments/$ENV/features/$FEATURE/explain" >&2; false; }

log "8. what the cluster holds: the release, and the ConfigMap its chart renders with the configured values"
helm -n nais-system status "$FEATURE" >&2
kubectl -n nais-system get configmap "$FEATURE-demo" -o jsonpath='{.data}' >&2; echo >&2
log "OK: $FEATURE deployed by naisd into kind cluster $CLUSTER"
