# The slipway frontend image: what `# syntax=<this image>` and `buildctl --frontend gateway.v0
# --opt source=<this image>` run. Built by scripts/frontend-image.sh (and the e2e tests) from this checkout.
# No `# syntax=` line here on purpose: the builder's built-in Dockerfile frontend needs no image pull.
#
# One image per platform (`--platform linux/amd64,linux/arm64`): the bundle is JavaScript, so it is made
# once, natively, on the build machine's platform; only the V8 code caches and the startup snapshot, which
# must be made by the node that runs them, are made in each platform's own image (under emulation for a
# foreign one, paid only when the frontend's sources change; scripts/bundle.mjs says what each saves).

FROM --platform=$BUILDPLATFORM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,id=slipway-npm,target=/root/.npm npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.base.json tsconfig.json env.d.ts ./
COPY scripts/bundle.mjs scripts/code-cache.mjs scripts/
COPY grammar grammar
COPY llb llb
COPY frontend frontend
RUN node scripts/bundle.mjs --no-code-cache

FROM node:20-bookworm-slim AS code-cache
COPY --from=build /src/dist/frontend/ /slipway/
COPY scripts/code-cache.mjs /tmp/
RUN node /tmp/code-cache.mjs /slipway

FROM node:20-bookworm-slim
# The frontend needs no network: BuildKit fetches everything (images, http, git, .debs) for it, and a
# container without a network namespace to set up starts ~60 ms sooner on Docker.
LABEL moby.buildkit.frontend.network.none="true"
# Exactly what slipway implements; BuildKit refuses to start a frontend whose label lacks a capability
# the client asks for (named contexts, subrequests such as --call, forwarded inputs).
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
LABEL org.opencontainers.image.title="slipway" \
      org.opencontainers.image.description="BuildKit frontend: HCL image declarations to OCI images with an exact bill of materials"
COPY --from=code-cache /slipway/ /slipway/
# Node reads and parses every certificate NODE_EXTRA_CA_CERTS names before the first line of the frontend
# runs (~65 ms of each build's start here, where the base image sets it); the frontend makes no TLS
# connection, so it starts without.
ENV NODE_EXTRA_CA_CERTS=
# Never npm: it prints to stdout, and stdout is the gRPC connection to BuildKit. The frontend starts from
# its V8 startup snapshot, made in the code-cache stage by this image's node, in this directory;
# frontend.cjs is its argv[1] (the BOM worker's entry is found beside it), and runs it without the snapshot.
ENTRYPOINT ["node", "--snapshot-blob", "/slipway/frontend.blob", "/slipway/frontend.cjs"]
