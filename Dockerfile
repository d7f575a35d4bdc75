# The ledger service. better-sqlite3 is built from source (.npmrc: build-from-source=true), so the build stage
# carries the C++ toolchain and the runtime stage does not.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# dev dependencies stay: `npm start` runs the TypeScript sources through @swc-node/register
RUN npm ci --no-audit --no-fund --build-from-source
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    LEDGER_DB=/app/data/ledger.db \
    EVENTSTORE_URL=esdb://eventstore:2113?tls=false
WORKDIR /app
COPY --from=build --chown=node:node /app ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
CMD ["npm", "start"]
