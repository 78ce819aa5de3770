# One image for every driftwatch service; `SERVICE` picks which one runs.
#   docker build --build-arg SERVICE=inference -t driftwatch-inference .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# The CPU runtime ships in onnxruntime-node; skip its install script's CUDA download.
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund && npx tsc -b && npm prune --omit=dev

FROM node:20-bookworm-slim
ARG SERVICE
ENV SERVICE=${SERVICE} NODE_ENV=production HTTP_PORT=9464
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 9464
CMD ["sh", "-c", "exec node --enable-source-maps services/${SERVICE}/dist/main.js"]
