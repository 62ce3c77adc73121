#!/usr/bin/env bash
# The main job, on a fresh Debian 12 machine (as root): bring BuildKit up, build slipway's frontend image
# from this checkout, then build an example declaration (default examples/debian-tools) into an image,
# together with its bill of materials and, for images with Debian packages, its lock file.
#
#   scripts/example.sh [examples/NAME]
set -euo pipefail
cd "$(dirname "$0")/.."
example=${1:-examples/debian-tools}
example=${example%/}
name=$(basename "$example")
[ -f "$example/slipway.hcl" ] || { echo "example.sh: no $example/slipway.hcl" >&2; exit 2; }

# The main job needs no emulation: the lab and the frontend image for this machine's platform only
# (scripts/test.sh sets up linux/arm64 too, for the multi-platform frontend image's own test).
SLIPWAY_ARM64=${SLIPWAY_ARM64:-0} scripts/lab-up.sh
echo "example.sh: installing dependencies and building slipway" >&2
npm ci --no-audit --no-fund --loglevel=error >/dev/null
npm run --silent build >/dev/null
frontend=$(SLIPWAY_FRONTEND_PLATFORMS=${SLIPWAY_FRONTEND_PLATFORMS:-linux/$(dpkg --print-architecture)} scripts/frontend-image.sh)
echo "example.sh: frontend image $frontend" >&2

build() { docker buildx build --progress=plain -f "$example/slipway.hcl" --build-arg "BUILDKIT_SYNTAX=$frontend" "$@" "$example"; }

if grep -q '^\s*apt\s*{' "$example/slipway.hcl" && [ ! -f "$example/slipway.lock.json" ]; then
  echo "example.sh: resolving packages into $example/slipway.lock.json" >&2
  build --target lock --output "type=local,dest=$example" 2>&1 | tail -n 3 >&2
fi

out=out/$name
rm -rf "$out" && mkdir -p "$out"
echo "example.sh: building the image slipway-example/$name:latest" >&2
build -t "slipway-example/$name:latest" --load 2>&1 | tail -n 5 >&2
build --target bom --output "type=local,dest=$out/bom" 2>&1 | tail -n 1 >&2
build --output "type=oci,dest=$out/image.oci.tar,name=slipway-example/$name:latest" 2>&1 | tail -n 1 >&2

cat <<SUMMARY

The image:               slipway-example/$name:latest   (docker run --rm -it slipway-example/$name:latest)
Its OCI layout:          $out/image.oci.tar   (the BOM is attached as in-toto attestations)
Its bill of materials:   $out/bom/  ($(cd "$out/bom" && ls | tr '\n' ' '))
Read it back:            node dist/slipway.cjs bom $out/image.oci.tar
SUMMARY
if [ -f "$example/slipway.lock.json" ]; then echo "Its lock file:           $example/slipway.lock.json"; fi
