FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-slim AS runtime
ENV NODE_ENV=production PORT=8000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
# Owned by root on purpose: the service never writes to its own code.
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8000
# Slim images have no curl; node 24 has fetch. /health/ready also pings the database.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The tracing preload does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
CMD ["node", "--require", "./dist/tracing.js", "dist/main.js"]
