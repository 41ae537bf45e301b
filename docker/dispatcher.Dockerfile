# syntax=docker/dockerfile:1.7
# The dispatcher (apps/dispatcher): sends deploy instructions and ingests agent reports; /healthz and /readyz on 8080. Build from the repository root:
#   docker build -f docker/dispatcher.Dockerfile -t fasit/dispatcher .
# NOT BUILT in this repository (no Docker engine where it is developed or tested); see docker/README.md.
# Settings: DATABASE_URL, PUBSUB_PROJECT_ID, FASIT_BUS_CREATE_TOPICS=false in production (infra/pubsub owns the
# topics); the full list is in apps/dispatcher/README.md. Runs as uid 65532 with a read-only root file system.
ARG NODE_VERSION=24
ARG PNPM_VERSION=10.34.9

# 1. the app: `pnpm deploy` of @fasit/dispatcher (production dependencies only), then compiled to JavaScript with swc:
#    workspace packages ship TypeScript, which Node does not load from node_modules.
FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /repo
COPY . .
RUN pnpm install --frozen-lockfile --filter "@fasit/dispatcher..." \
 && pnpm --filter @fasit/dispatcher deploy --prod --legacy /out \
 && cp docker/compile-deployed.mjs apps/dispatcher/compile-deployed.mjs \
 && node apps/dispatcher/compile-deployed.mjs /out \
 && rm -rf /out/test /out/scripts

# 2. runtime: Node 24 and the compiled app, owned by root and run by an unprivileged user (read-only is enough).
FROM node:${NODE_VERSION}-bookworm-slim
COPY --from=build --chown=root:root /out /app
WORKDIR /app
ENV NODE_ENV=production \
    FASIT_AUTH_MODE=oidc \
    FASIT_HTTP_HOST=0.0.0.0 \
    FASIT_HTTP_PORT=8080
RUN groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid nonroot --no-create-home --home-dir /tmp nonroot
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "src/main.js"]
