# syntax=docker/dockerfile:1
# keywarden: a small production image. Build: docker build -t keywarden .
# CLI: docker run --rm -v "$PWD:/src:ro" keywarden scan /src

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
USER node
ENTRYPOINT ["node", "/app/bin/keywarden.js"]
CMD ["--help"]
