# syntax=docker/dockerfile:1.7
# The catalog API (apps/catalog-api): REST on 8080, gRPC management API on 4444. Build from the repository root:
#   docker build -f docker/catalog-api.Dockerfile -t fasit/catalog-api .
# Not built in this repository's CI (no Docker engine there). Runs with FASIT_AUTH_MODE=oidc: set
# FASIT_SECRET_KEYS, FASIT_OIDC_ISSUERS (and FASIT_GITHUB_OWNERS for CI), DATABASE_URL and the bus settings.
ARG NODE_VERSION=24
ARG PNPM_VERSION=10.34.9

# 1. the app: `pnpm deploy` of @fasit/catalog-api (production dependencies only), then compiled to JavaScript:
#    workspace packages ship TypeScript, which Node does not load from node_modules.
FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@fasit/catalog-api..." \
 && pnpm --filter @fasit/catalog-api deploy --prod --legacy /out \
 && node apps/catalog-api/scripts/compile-deployed.mjs /out \
 && rm -rf /out/scripts /out/test

# 2. runtime: Node 24, the compiled app and the proto file the gRPC server loads; an unprivileged user.
FROM node:${NODE_VERSION}-bookworm-slim
COPY --from=build --chown=root:root /out /app
COPY --chown=root:root proto /proto
WORKDIR /app
ENV NODE_ENV=production \
    FASIT_AUTH_MODE=oidc \
    FASIT_HTTP_HOST=0.0.0.0 \
    FASIT_HTTP_PORT=8080 \
    FASIT_GRPC_HOST=0.0.0.0 \
    FASIT_GRPC_PORT=4444
RUN groupadd --system --gid 10001 fasit \
 && useradd --system --uid 10001 --gid fasit --home-dir /home/fasit --create-home fasit
USER 10001:10001
EXPOSE 8080 4444
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "src/main.js"]
