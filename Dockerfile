# syntax=docker/dockerfile:1
# One image for every process of the cluster. The service chooses the app by
# its command (the entrypoint runs TypeScript through tsx):
#   docker run clientsocket-cluster:0.1.0 apps/gateway/src/main.ts
#   docker run clientsocket-cluster:0.1.0 apps/api/src/main.ts
#   docker run clientsocket-cluster:0.1.0 apps/worker/src/main.ts
# Configuration is environment only (see the README's configuration table).
ARG NODE_VERSION=20

# Only the package manifests, so that the `npm ci` layer below is rebuilt when
# dependencies change and not on every source edit, with no list of workspaces
# to keep in step here.
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find apps packages -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

FROM node:${NODE_VERSION}-bookworm-slim
WORKDIR /app
COPY --from=manifests /manifests/ ./
# Dev dependencies stay: tsx, which runs the sources, is one of them.
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY . .
ENV NODE_ENV=production \
    HOST=0.0.0.0
# The image's unprivileged `node` user (uid 1000); tsx keeps its cache in /tmp.
USER node
# API_PORT, GATEWAY_PORT, METRICS_PORT (worker) defaults.
EXPOSE 3000 3100 9400
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["apps/api/src/main.ts"]
