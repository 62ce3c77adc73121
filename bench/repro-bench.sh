#!/usr/bin/env bash
# Reproducibility and the cost of clamping (bench/RESULTS.md, "Bit-identical images"). Needs the lab
# (scripts/lab-up.sh). Prunes BuildKit's whole cache before every build, so every build is cold.
#
#   bench/repro-bench.sh compare                    slipway vs the Dockerfile way, two clean builds each
#   bench/repro-bench.sh cost BEFORE AFTER [N]      cold builds of examples/debian-tools with two frontend
#                                                   images, alternated, N each (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/.work/repro
mkdir -p "$out"
pin=$(docker buildx imagetools inspect 127.0.0.1:5000/library/debian:bookworm --format '{{json .Manifest}}' | jq -r .digest)
base=(--build-context "debian:bookworm=docker-image://docker.io/library/debian:bookworm@$pin")

# differing files between two OCI tars, from bench/oci-layers-diff.sh's listing and content diffs
count_differences() {
  bench/oci-layers-diff.sh "$1" "$2" | awk '/^layer / { l = 1 } l && /^[<>] / { n++ } /^Files .* differ$/ { c++ } END { print n / 2 " tar entries (mode, owner, size, mtime), " c + 0 " file contents" }'
}

slipway_build() { # frontend dest [args…]
  local frontend=$1 dest=$2
  shift 2
  docker buildx build --progress=plain --provenance=false -f examples/debian-tools/slipway.hcl --build-arg "BUILDKIT_SYNTAX=$frontend" \
    "${base[@]}" --output "type=oci,dest=$dest" "$@" examples/debian-tools
}

case ${1:-} in
compare)
  frontend=$(SLIPWAY_FRONTEND_REPO=127.0.0.1:5000/slipway/repro-frontend scripts/frontend-image.sh)
  for n in 1 2; do
    docker buildx prune -af >/dev/null
    slipway_build "$frontend" "$out/slipway-$n.tar" >"$out/slipway-$n.log" 2>&1
    docker buildx prune -af >/dev/null
    docker buildx build --progress=plain --provenance=false --build-arg SOURCE_DATE_EPOCH=1700000000 "${base[@]}" \
      --output "type=oci,dest=$out/dockerfile-$n.tar,rewrite-timestamp=true" bench/repro-dockerfile >"$out/dockerfile-$n.log" 2>&1
  done
  for kind in slipway dockerfile; do
    echo "$kind: $(bench/oci-layers-diff.sh "$out/$kind-1.tar" "$out/$kind-2.tar" | grep -E '^(manifest|config):' | awk '{ print $1, ($2 == $3 ? "same" : "different") }' | paste -sd' ')"
    echo "$kind: differences: $(count_differences "$out/$kind-1.tar" "$out/$kind-2.tar")"
  done
  ;;
cost)
  before=$2 after=$3 runs=${4:-3}
  for i in $(seq "$runs"); do
    for which in before after; do
      frontend=${!which}
      docker buildx prune -af >/dev/null
      start=$(date +%s.%N)
      slipway_build "$frontend" "$out/cost-$which-$i.tar" >"$out/cost-$which-$i.log" 2>&1
      total=$(echo "$(date +%s.%N) - $start" | bc)
      # the dpkg exec's own time, from the plain progress output (the clamp runs inside it)
      vertex=$(grep -m1 -oE '^#[0-9]+ \[apt\] dpkg --install' "$out/cost-$which-$i.log" | cut -d' ' -f1)
      dpkg=$(grep -E "^$vertex DONE " "$out/cost-$which-$i.log" | awk '{ print $3 }')
      echo "$which run $i: total ${total}s, dpkg exec $dpkg"
    done
  done
  ;;
*)
  sed -n '2,8p' "$0" >&2
  exit 2
  ;;
esac
