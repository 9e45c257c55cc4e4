# Build stage: install, build the Nitro server bundle (wasm and traineddata are traced into .output)
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

# Run stage: only the self-contained .output (the web server, and the analysis worker `.output/server/worker.mjs`,
# run by the compose file's `worker` service)
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/.output ./.output
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", ".output/server/index.mjs"]
