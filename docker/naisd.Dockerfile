# syntax=docker/dockerfile:1.7
# naisd, the per-environment agent (apps/naisd), with the helm 4 binary. Build from the repository root:
#   docker build -f docker/naisd.Dockerfile -t fasit/naisd .
# NOT BUILT in this repository (no Docker engine where it is developed or tested); see docker/README.md and
# apps/naisd/README.md. Runs as uid 65532 with a read-only root file system: helm's cache and naisd's work
# directories live under /tmp (an emptyDir in infra/helm/naisd).
ARG NODE_VERSION=24
ARG HELM_VERSION=v4.1.4
ARG PNPM_VERSION=10.34.9

# 1. helm, verified against the checksum published next to the release archive.
FROM debian:bookworm-slim AS helm
ARG HELM_VERSION
ARG TARGETARCH=amd64
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /tmp/helm
RUN set -eu; archive="helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz"; \
    curl -fsSLO "https://get.helm.sh/${archive}"; \
    curl -fsSL "https://get.helm.sh/${archive}.sha256sum" -o "${archive}.sha256sum"; \
    sha256sum -c "${archive}.sha256sum"; \
    tar -xzf "${archive}"; \
    install -m 0755 "linux-${TARGETARCH}/helm" /usr/local/bin/helm; \
    /usr/local/bin/helm version --short

# 2. the app: `pnpm deploy` of @fasit/naisd (production dependencies only), then compiled to JavaScript:
#    workspace packages ship TypeScript, which Node does not load from node_modules.
FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@fasit/naisd..." \
 && pnpm --filter @fasit/naisd deploy --prod --legacy /out \
 && cp docker/compile-deployed.mjs apps/naisd/compile-deployed.mjs \
 && node apps/naisd/compile-deployed.mjs /out \
 && rm -rf /out/scripts /out/test

# 3. runtime: Node 24, helm, the compiled app, owned by root and run by an unprivileged user.
FROM node:${NODE_VERSION}-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=helm /usr/local/bin/helm /usr/local/bin/helm
COPY --from=build --chown=root:root /out /app
WORKDIR /app
ENV NODE_ENV=production \
    HOME=/tmp \
    HELM_CONFIG_HOME=/tmp/helm/config \
    HELM_DATA_HOME=/tmp/helm/data \
    HELM_CACHE_HOME=/tmp/helm/cache \
    FASIT_HELM_BIN=/usr/local/bin/helm \
    FASIT_AUTH_MODE=oidc \
    FASIT_HTTP_HOST=0.0.0.0 \
    FASIT_HTTP_PORT=8080
RUN groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid nonroot --no-create-home --home-dir /tmp nonroot
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "src/main.js"]
