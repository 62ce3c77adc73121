#!/usr/bin/env bash
# Builds slipway's frontend image from this checkout's Dockerfile, for linux/amd64 and linux/arm64, and
# pushes the index to the lab registry as 127.0.0.1:5000/slipway/frontend:latest (the name the examples'
# `# syntax=` lines use) and under a content tag. Prints the content-tagged reference. BuildKit resolves
# `# syntax=` images from a registry, for the daemon's own platform.
#   SLIPWAY_FRONTEND_REPO        where to push (default 127.0.0.1:5000/slipway/frontend)
#   SLIPWAY_FRONTEND_PLATFORMS   which platforms (default linux/amd64,linux/arm64; arm64 runs under the
#                                emulation scripts/lab-up.sh sets up, for a few seconds: see the Dockerfile)
#   SLIPWAY_FRONTEND_LATEST      0: push the content tag only, leaving :latest (what the examples use) as it
#                                is; for a variant measured against it (bench/)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=${SLIPWAY_FRONTEND_REPO:-127.0.0.1:5000/slipway/frontend}
platforms=${SLIPWAY_FRONTEND_PLATFORMS:-linux/amd64,linux/arm64}
inputs=(Dockerfile .dockerignore package.json package-lock.json tsconfig.base.json tsconfig.json env.d.ts scripts/bundle.mjs scripts/code-cache.mjs grammar llb frontend)
# a platform the builder cannot run would fail deep in the build with "exec format error": say why here
can_run=$(docker buildx inspect | awk -F': *' '$1 == "Platforms" { print $2 }')
for p in ${platforms//,/ }; do
  if ! [[ ", $can_run," == *", $p,"* ]]; then
    echo "frontend-image.sh: the builder cannot run $p programs (it runs: $can_run). For linux/arm64, scripts/lab-up.sh sets up emulation unless SLIPWAY_ARM64=0; or build fewer platforms, e.g. SLIPWAY_FRONTEND_PLATFORMS=linux/amd64" >&2
    exit 1
  fi
done
tag=$(git ls-files -s -- "${inputs[@]}" 2>/dev/null | sha256sum | cut -c1-16)
if ! git diff --quiet -- "${inputs[@]}" 2>/dev/null; then tag="$tag-dirty"; fi
tags=(-t "$repo:$tag")
if [[ ${SLIPWAY_FRONTEND_LATEST:-1} != 0 ]]; then tags+=(-t "$repo:latest"); fi
docker buildx build --quiet --provenance=false --platform "$platforms" "${tags[@]}" --output type=image,push=true . >/dev/null
echo "$repo:$tag"
