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
# The equivalent Dockerfile as the issue states it, and a tidier one that also drops apt's lists.
cat > "$work/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git jq=1.6-2.1+deb12u2 openssh-client
DOCKERFILE
cat > "$work/Dockerfile.clean" <<'DOCKERFILE'
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
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# cold: --no-cache (every vertex re-run, downloads included), 3 runs each, interleaved; warm: the same
# build again, 5 runs each. Medians.
for mode in cold warm; do
  extra=""; runs=5
  if [ "$mode" = cold ]; then extra=--no-cache; runs=3; fi
  : > "$work/s.times"; : > "$work/d.times"
  i=0
  while [ $i -lt $runs ]; do
    build slipway.hcl slipway-bench/debian-tools:latest $extra >> "$work/s.times"
    build Dockerfile slipway-bench/debian-tools-dockerfile:latest $extra >> "$work/d.times"
    i=$((i + 1))
  done
  s=$(median < "$work/s.times"); d=$(median < "$work/d.times")
  printf '%s (median of %d): slipway %.1f s, Dockerfile %.1f s (ratio %.2f)   [slipway: %s] [Dockerfile: %s]\n' "$mode" "$runs" "$s" "$d" "$(awk "BEGIN { print $s / $d }")" "$(tr '\n' ' ' < "$work/s.times")" "$(tr '\n' ' ' < "$work/d.times")"
done
build Dockerfile.clean slipway-bench/debian-tools-dockerfile-clean:latest >/dev/null
ss=$(size slipway-bench/debian-tools:latest); ds=$(size slipway-bench/debian-tools-dockerfile:latest); cs=$(size slipway-bench/debian-tools-dockerfile-clean:latest)
echo "size (docker save | gzip, base included): slipway $ss, Dockerfile $ds (ratio $(awk "BEGIN { printf \"%.2f\", ${ss% MB} / ${ds% MB} }")), Dockerfile with rm -rf /var/lib/apt/lists/* $cs (ratio $(awk "BEGIN { printf \"%.2f\", ${ss% MB} / ${cs% MB} }"))"
echo "packages: slipway $(docker run --rm slipway-bench/debian-tools:latest dpkg-query -W | wc -l), Dockerfile $(docker run --rm slipway-bench/debian-tools-dockerfile:latest dpkg-query -W | wc -l)"
