#!/bin/sh
# Cold and warm builds of the debian-tools image (debian:bookworm + ca-certificates curl git jq
# openssh-client, jq pinned) with slipway and with the equivalent apt-get Dockerfile, and the images'
# sizes. Needs the lab (scripts/lab-up.sh): Docker with BuildKit and the registry on 127.0.0.1:5000.
#
#   sh bench/debian-build.sh            # builds and pushes the frontend image from this checkout first
#   FRONTEND=<image> sh bench/debian-build.sh
#
# "cold" is --no-cache (every vertex re-run, downloads included); "warm" is the same build again.
set -eu
cd "$(dirname "$0")/.."
frontend=${FRONTEND:-127.0.0.1:5000/slipway/frontend:bench}
if [ -z "${FRONTEND:-}" ]; then
  docker buildx build --quiet --provenance=false -t "$frontend" --output type=image,push=true . >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/slipway.hcl" <<HCL
# syntax=$frontend
image "debian-tools" {
  base_image = "debian:bookworm"
  apt {
    package "ca-certificates" {}
    package "curl" {}
    package "git" {}
    package "jq" {
      version = "1.6-2.1+deb12u2"
    }
    package "openssh-client" {}
  }
  cmd = ["jq", "--version"]
}
HCL
cat > "$work/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git jq=1.6-2.1+deb12u2 openssh-client && rm -rf /var/lib/apt/lists/*
DOCKERFILE

now() { date +%s.%N; }
build() { # file tag extra…
  file=$1; tag=$2; shift 2
  start=$(now)
  docker buildx build --quiet --provenance=false -f "$work/$file" --load -t "$tag" "$@" "$work" >/dev/null
  awk "BEGIN { print $(now) - $start }"
}
size() { docker save "$1" | gzip -6 | wc -c | awk '{ printf "%.1f MB", $1 / 1e6 }'; }

lock=no
if docker buildx build --quiet --provenance=false -f "$work/slipway.hcl" --target lock --output "type=local,dest=$work" "$work" >/dev/null 2>&1 \
  && [ -f "$work/slipway.lock.json" ]; then
  lock=yes
fi
echo "lock file: $lock"
for mode in cold warm; do
  extra=""
  [ "$mode" = cold ] && extra=--no-cache
  s=$(build slipway.hcl slipway-bench/debian-tools:latest $extra)
  d=$(build Dockerfile slipway-bench/debian-tools-dockerfile:latest $extra)
  printf '%s: slipway %.1f s, Dockerfile %.1f s (ratio %.2f)\n' "$mode" "$s" "$d" "$(awk "BEGIN { print $s / $d }")"
done
echo "size (docker save | gzip, base included): slipway $(size slipway-bench/debian-tools:latest), Dockerfile $(size slipway-bench/debian-tools-dockerfile:latest)"
echo "packages: slipway $(docker run --rm slipway-bench/debian-tools:latest dpkg-query -W | wc -l), Dockerfile $(docker run --rm slipway-bench/debian-tools-dockerfile:latest dpkg-query -W | wc -l)"
