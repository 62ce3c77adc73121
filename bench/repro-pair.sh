#!/usr/bin/env bash
# Builds one example twice to an OCI tar with BuildKit's cache pruned before each build, then compares them.
#   bench/repro-pair.sh FRONTEND_IMAGE examples/NAME OUTDIR [extra docker buildx build args…]
set -euo pipefail
frontend=$1 example=${2%/} out=$3
shift 3
mkdir -p "$out"
name=$(basename "$example")
for n in 1 2; do
  docker buildx prune -af >/dev/null
  start=$(date +%s.%N)
  docker buildx build --progress=plain --provenance=false -f "$example/slipway.hcl" --build-arg "BUILDKIT_SYNTAX=$frontend" \
    --output "type=oci,dest=$out/$name-$n.tar" "$@" "$example" >"$out/$name-$n.log" 2>&1
  echo "$name build $n: $(echo "$(date +%s.%N) - $start" | bc) s"
done
"$(dirname "$0")/oci-layers-diff.sh" "$out/$name-1.tar" "$out/$name-2.tar"
