# syntax=docker/dockerfile:1
# keywarden: the GitHub App (`serve`, the default) and the CLI, in a small production image.
#   docker build -t keywarden .
#   docker run -p 3000:3000 -v keywarden-data:/data --env-file .env keywarden          # the App
#   docker run --rm -v "$PWD:/src:ro" keywarden scan /src                             # the CLI
# Past one replica, set DATABASE_URL to a PostgreSQL server instead of the /data volume.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compiles to dist/ and copies the SQL migrations next to the compiled inventory code.
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KEYWARDEN_DATA_DIR=/data \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/keywarden.js"]
CMD ["serve"]
