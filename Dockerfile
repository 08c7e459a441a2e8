# callroute engine image. Multi-stage: build (TypeScript, dashboard, native modules) then a slim runtime as non-root.
# The SQLite database lives on the /data volume.
#   docker build -t callroute .
#   docker run -v callroute-data:/data -p 8080:8080 -p 5060:5060/udp callroute            (embedded driver)
#   docker compose up                                                                     (freeswitch driver)

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
# `npm run build` also copies the SQL migrations src/store/migrate.ts reads beside the compiled code
RUN npm run build && npm run build:web
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CALLROUTE_DB=/data/callroute.sqlite \
    CALLROUTE_HTTP_HOST=0.0.0.0 \
    CALLROUTE_CONFIG=/app/config/example.yaml
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY bin ./bin
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 8080 HTTP (health, metrics, admin API, dashboard); 5060 SIP and 20000-30000 RTP (embedded driver);
# 8085 outbound event socket for FreeSWITCH (freeswitch driver)
EXPOSE 8080 8085 5060/udp 5060/tcp
# follows CALLROUTE_HTTP_PORT when a deployment moves the HTTP port
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.CALLROUTE_HTTP_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/callroute.js"]
CMD ["run"]
