#!/usr/bin/env bash
# Builds slipway's frontend image from this checkout's Dockerfile and pushes it to the lab registry, as
# 127.0.0.1:5000/slipway/frontend:latest (the name the examples' `# syntax=` lines use) and under a
# content tag. Prints the content-tagged reference. BuildKit resolves `# syntax=` images from a registry.
#   SLIPWAY_FRONTEND_REPO   where to push (default 127.0.0.1:5000/slipway/frontend)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=${SLIPWAY_FRONTEND_REPO:-127.0.0.1:5000/slipway/frontend}
tag=$(git ls-files -s -- Dockerfile .dockerignore package.json package-lock.json tsconfig*.json env.d.ts scripts/bundle.mjs grammar llb frontend 2>/dev/null | sha256sum | cut -c1-16)
if ! git diff --quiet -- grammar llb frontend Dockerfile package.json package-lock.json 2>/dev/null; then tag="$tag-dirty"; fi
docker buildx build --quiet --provenance=false -t "$repo:$tag" -t "$repo:latest" --output type=image,push=true . >/dev/null
echo "$repo:$tag"
