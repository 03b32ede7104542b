# syntax=docker/dockerfile:1
#
# One image for all six rentalnang processes; the command chooses which one runs:
#
#   docker build -t rentalnang:0.1.0 .
#   docker run --rm -p 8081:8081 rentalnang:0.1.0 bun run workers/rental/src/main.ts
#
# Kubernetes sets the command per Deployment (k8s/base) and fly.io per app ([processes] in
# fly.toml and fly/*.toml). Without a command the container prints this usage and exits.
# Step by step: docs/deploy.md.

# Keep in step with the `bun` devDependency in package.json, so the image runs the Bun the
# tests ran on. Pin the digest too (oven/bun:1.4.5-slim@sha256:...) once you have pulled it.
ARG BUN_IMAGE=oven/bun:1.4.5-slim

# ---- dependencies: production only, exactly as package-lock.json pins them -------------------
FROM ${BUN_IMAGE} AS deps
WORKDIR /app
# Only the manifests, so this layer is rebuilt when dependencies change, not on every edit.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY workers/rental/package.json workers/rental/
COPY workers/payment/package.json workers/payment/
COPY workers/delivery/package.json workers/delivery/
COPY workers/mypage/package.json workers/mypage/
COPY workers/gateway/package.json workers/gateway/
COPY workers/identity/package.json workers/identity/
# Bun reads package-lock.json when there is no bun.lock; --production skips devDependencies
# and, with --frozen-lockfile, fails rather than resolve anything the lockfile does not pin.
# Optional peers (TypeScript, for typings) and install scripts are not needed at run time:
# native parts (libsql) ship prebuilt per platform.
RUN bun install --production --frozen-lockfile --omit=peer --ignore-scripts

# ---- the application, shared by both targets below -------------------------------------------
FROM ${BUN_IMAGE} AS app
WORKDIR /app
# The root filesystem is read-only in Kubernetes: Bun keeps no transpiler cache on disk, and
# temporary files go to /tmp (an emptyDir there). BUN_GC_TIMER_INTERVAL and BUN_JSC_useFTLJIT
# as every process runs with them (shared/src/lifecycle/runtime-env.ts).
ENV NODE_ENV=production \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 \
    BUN_GC_TIMER_INTERVAL=10000 \
    BUN_JSC_useFTLJIT=0 \
    TMPDIR=/tmp
# node_modules (with the workspace links under node_modules/@rentalnang) from the deps stage;
# files stay owned by root, so the process can read but not change its own code.
COPY --from=deps /app /app
COPY tsconfig.json ./
COPY shared/ shared/
COPY workers/ workers/
# Operator commands, run in a pod or machine: bun run scripts/dead-letters.ts list,
# bun run scripts/check-invariants.ts, bun run workers/mypage/src/rebuild.ts.
COPY scripts/ scripts/
# gateway 8088, rental 8081, payment 8082, delivery 8083, mypage 8084, identity 8090
# (docs/architecture.md, 'Topology').
EXPOSE 8081 8082 8083 8084 8088 8090
STOPSIGNAL SIGTERM
CMD ["bun", "-e", "console.error('rentalnang: choose a process, e.g. bun run workers/rental/src/main.ts (rental|payment|delivery|mypage|gateway|identity)'); process.exit(64)"]

# ---- fly.io target (fly/*.toml: build-target = "fly") -----------------------------------------
# fly.io mounts a volume owned by root and has no fsGroup: start as root only to hand /data
# to the app user, then drop root for good (setpriv, from Debian's essential util-linux).
FROM app AS fly
COPY --chmod=755 <<"EOF" /usr/local/bin/rentalnang-entrypoint
#!/bin/sh
set -eu
if [ "$(id -u)" = 0 ]; then
  if [ -d /data ]; then chown -R 1000:1000 /data; fi
  exec setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all --no-new-privs -- "$@"
fi
exec "$@"
EOF
ENTRYPOINT ["/usr/local/bin/rentalnang-entrypoint"]

# ---- default target: Kubernetes, docker run -------------------------------------------------
FROM app AS runtime
# The image's unprivileged `bun` user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
