# syntax=docker/dockerfile:1.7
# The catalog API (apps/catalog-api) with the web console (apps/web) at /: REST on 8080 (/healthz, /readyz), gRPC
# management API on 4444. Build from
# the repository root:
#   docker build -f docker/catalog-api.Dockerfile -t fasit/catalog-api .
# NOT BUILT in this repository (no Docker engine where it is developed or tested); see docker/README.md.
# Runs with FASIT_AUTH_MODE=oidc: set FASIT_SECRET_KEYS, FASIT_OIDC_ISSUERS, FASIT_OCI_REGISTRIES (and FASIT_GITHUB_* for CI),
# DATABASE_URL and the bus settings (apps/catalog-api/README.md). Runs as uid 65532 with a read-only root file
# system.
ARG NODE_VERSION=24
ARG PNPM_VERSION=10.34.9

# 1. the app: `pnpm deploy` of @fasit/catalog-api (production dependencies only), then compiled to JavaScript
#    with swc: workspace packages ship TypeScript, which Node does not load from node_modules.
FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@fasit/catalog-api..." --filter "@fasit/web..." \
 && pnpm --filter @fasit/web build \
 && pnpm --filter @fasit/catalog-api deploy --prod --legacy /out \
 && cp docker/compile-deployed.mjs apps/catalog-api/compile-deployed.mjs \
 && node apps/catalog-api/compile-deployed.mjs /out \
 && rm -rf /out/scripts /out/test

# 2. runtime: Node 24, the compiled app and the proto file the gRPC server loads, in the repository's layout
#    (src/grpc/grpc.server.js resolves ../../../../proto: /app/proto from /app/apps/catalog-api/src/grpc), owned by
#    root and run by an unprivileged user.
FROM node:${NODE_VERSION}-bookworm-slim
COPY --from=build --chown=root:root /out /app/apps/catalog-api
COPY --chown=root:root proto /app/proto
# the web console (apps/web), static files served at / (FASIT_WEB_ROOT)
COPY --from=build --chown=root:root /repo/apps/web/dist /app/web
WORKDIR /app/apps/catalog-api
ENV NODE_ENV=production \
    FASIT_AUTH_MODE=oidc \
    FASIT_HTTP_HOST=0.0.0.0 \
    FASIT_HTTP_PORT=8080 \
    FASIT_GRPC_HOST=0.0.0.0 \
    FASIT_GRPC_PORT=4444 \
    FASIT_WEB_ROOT=/app/web
RUN groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid nonroot --no-create-home --home-dir /tmp nonroot
USER 65532:65532
EXPOSE 8080 4444
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "src/main.js"]
