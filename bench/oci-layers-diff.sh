#!/usr/bin/env bash
# Compares two OCI tars (docker buildx build --output type=oci) the long way: manifest, config and each
# layer's digest, and for a layer that differs, the tar entries whose listing (mode, owner, size, mtime,
# name, link) or content differs. Used to find out why two builds do not reproduce.
#   bench/oci-layers-diff.sh A.tar B.tar
set -euo pipefail
a=$(mktemp -d) b=$(mktemp -d)
trap 'rm -rf "$a" "$b"' EXIT
tar -xf "$1" -C "$a"
tar -xf "$2" -C "$b"
manifest() { # the (first) image manifest digest of a layout, through a nested index if there is one
  local dir=$1 d
  d=$(jq -r '.manifests[0].digest' "$dir/index.json")
  while jq -e '.mediaType | test("index")' "$dir/blobs/${d/://}" >/dev/null; do
    d=$(jq -r '[.manifests[] | select(.annotations["vnd.docker.reference.type"] != "attestation-manifest")][0].digest' "$dir/blobs/${d/://}")
  done
  echo "$d"
}
ma=$(manifest "$a") mb=$(manifest "$b")
echo "manifest: $ma $mb"
ca=$(jq -r .config.digest "$a/blobs/${ma/://}") cb=$(jq -r .config.digest "$b/blobs/${mb/://}")
echo "config:   $ca $cb"
[ "$ca" = "$cb" ] || diff <(jq -S . "$a/blobs/${ca/://}") <(jq -S . "$b/blobs/${cb/://}") || true
mapfile -t la < <(jq -r '.layers[].digest' "$a/blobs/${ma/://}")
mapfile -t lb < <(jq -r '.layers[].digest' "$b/blobs/${mb/://}")
for i in "${!la[@]}"; do
  echo "layer $i: ${la[$i]} ${lb[$i]:-none}"
  [ "${la[$i]}" = "${lb[$i]:-}" ] && continue
  listing() { tar --full-time -tvzf "$1" | sort -k6; }
  diff <(listing "$a/blobs/${la[$i]/://}") <(listing "$b/blobs/${lb[$i]/://}") | head -40 || true
  mkdir -p "$a/l$i" "$b/l$i"
  tar -xzf "$a/blobs/${la[$i]/://}" -C "$a/l$i" 2>/dev/null || true
  tar -xzf "$b/blobs/${lb[$i]/://}" -C "$b/l$i" 2>/dev/null || true
  diff -rq --no-dereference "$a/l$i" "$b/l$i" | head -20 || true
done
