# syntax=docker/dockerfile:1
# The Next.js frontend for hosts other than Vercel (Cloud Run, any container host). Needs
# `output: "standalone"` in frontend/next.config.ts. Build from the repo root:
#   docker build -f deploy/frontend.Dockerfile --build-arg API_ORIGIN=https://api.example.com .
# API_ORIGIN is baked into the /api rewrites at build time (see next.config.ts).

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
ARG API_ORIGIN=http://127.0.0.1:8080
ENV API_ORIGIN=$API_ORIGIN
RUN npm run build \
    && mkdir -p public

FROM node:22-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# The standalone server carries only the node_modules it imports; no npm cache, no sources.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
# uid 1000 is the image's unprivileged `node` user.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/`).then(r => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
