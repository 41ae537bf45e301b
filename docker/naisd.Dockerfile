# syntax=docker/dockerfile:1.7
# naisd, the per-environment agent (apps/naisd), with the helm 4 binary. Build from the repository root:
#   docker build -f docker/naisd.Dockerfile -t fasit/naisd .
# Not built in this repository's CI (no Docker engine there); see apps/naisd/README.md.
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
 && node /out/scripts/compile-deployed.mjs /out \
 && rm -rf /out/scripts

# 3. runtime: Node 24, helm, the compiled app; runs as an unprivileged user.
FROM node:${NODE_VERSION}-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=helm /usr/local/bin/helm /usr/local/bin/helm
COPY --from=build --chown=root:root /out /app
WORKDIR /app
ENV NODE_ENV=production \
    HOME=/home/naisd \
    HELM_CONFIG_HOME=/home/naisd/.config/helm \
    HELM_DATA_HOME=/home/naisd/.local/share/helm \
    FASIT_HELM_BIN=/usr/local/bin/helm \
    FASIT_HTTP_HOST=0.0.0.0 \
    FASIT_HTTP_PORT=8080
RUN groupadd --system --gid 10001 naisd \
 && useradd --system --uid 10001 --gid naisd --home-dir /home/naisd --create-home naisd
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "src/main.js"]
