#!/usr/bin/env bash
# BuildKit's own Go Dockerfile frontend (what `# syntax=docker/dockerfile:1` names) as a `# syntax=` image
# in the lab registry, built offline: no public container registry is reachable, so neither is
# docker/dockerfile. Issue 15's benches measure it as a third side beside slipway and the daemon's built-in
# Dockerfile frontend: its cost over the built-in one is the floor of any gateway frontend on this machine.
#
#   bench/go-dockerfile-frontend.sh BUILDKIT_GIT_DIR [TAG]    prints the pushed image reference
#
# BUILDKIT_GIT_DIR is a git directory (bare or not) of moby/buildkit; TAG a tag in it (default v0.25.2,
# near the BuildKit that Docker Engine 28.5 vendors, so both sides run the same Dockerfile code). The
# source is `git archive`d into a temporary directory and built with its committed vendor/ (no module
# proxy) the way frontend/dockerfile/cmd/dockerfile-frontend/Dockerfile builds it: static, with its build
# tags and ldflags, FROM scratch, with that Dockerfile's own LABEL lines (network.none, caps). The Go
# toolchain its go.mod asks for comes from Debian, the way scripts/lab-up.sh takes docker.io: a private
# apt state, `apt-get download`, `dpkg -x`. With -trimpath and the commit's time as every timestamp, the
# same tag gives the same image digest (v0.25.2: sha256:7e2659718ca8…, Go 1.24.4 from trixie).
#
#   SLIPWAY_LAB_DIR      where the toolchain and Go's build cache live   (default /var/lib/slipway-lab)
#   SLIPWAY_LAB_ARCHIVE  Debian archive URL (default: the first one in this machine's apt configuration)
#   SLIPWAY_GO_SUITE     suite to take golang-1.N-go from              (default trixie)
#   SLIPWAY_GO_VERSION   Go minor version, e.g. 1.24                     (default: the tag's go.mod `go` line)
#   SLIPWAY_GO_REPO      where to push        (default 127.0.0.1:5000/slipway/dockerfile-go; tag: TAG, / → -)
set -euo pipefail

say() { echo "go-dockerfile-frontend: $*" >&2; }
die() { say "$*"; exit 1; }

[ $# -ge 1 ] || die "usage: $0 BUILDKIT_GIT_DIR [TAG]"
GIT_DIR_IN=$1
TAG=${2:-v0.25.2}
LAB_DIR=${SLIPWAY_LAB_DIR:-/var/lib/slipway-lab}
SUITE=${SLIPWAY_GO_SUITE:-trixie}
REPO_OUT=${SLIPWAY_GO_REPO:-127.0.0.1:5000/slipway/dockerfile-go}
PKG=github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend
FRONTEND_DOCKERFILE=frontend/dockerfile/cmd/dockerfile-frontend/Dockerfile

git() { command git -C "$GIT_DIR_IN" "$@"; }
commit=$(git rev-parse --verify -q "$TAG^{commit}") || die "$GIT_DIR_IN has no tag or commit $TAG"
gomod_go=$(git show "$commit:go.mod" | awk '$1 == "go" { print $2; exit }')
[ -n "$gomod_go" ] || die "$TAG's go.mod has no go line"
GO_VERSION=${SLIPWAY_GO_VERSION:-$(echo "$gomod_go" | cut -d. -f1-2)}
# the version string BuildKit's hack/detect would print for the mainline channel
version=$(git describe --always --tags --match 'dockerfile/[0-9]*' "$commit")
labels=$(git show "$commit:$FRONTEND_DOCKERFILE" | grep -E '^LABEL moby\.buildkit\.frontend\.') \
  || die "$TAG's $FRONTEND_DOCKERFILE sets no moby.buildkit.frontend labels"

# 1. The Go toolchain, once per version and suite.
GOROOT_DIR="$LAB_DIR/go-$GO_VERSION-$SUITE"
GO="$GOROOT_DIR/root/usr/lib/go-$GO_VERSION/bin/go"
if ! [ -x "$GO" ]; then
  # The archive this machine's apt already uses; never a host name written here.
  . "$(dirname "$0")/../scripts/lib/apt-archive.sh"
  MIRROR=${SLIPWAY_LAB_ARCHIVE:-$(apt_archive)}
  apt_dir="$GOROOT_DIR/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$GOROOT_DIR/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" >"$apt_dir/sources.list"
  opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
  say "reading the $SUITE index for golang-$GO_VERSION"
  apt-get "${opts[@]}" update -qq 2>/dev/null || die "apt-get update for $SUITE failed"
  (cd "$GOROOT_DIR/debs" && rm -f ./*.deb && apt-get "${opts[@]}" download "golang-$GO_VERSION-go" "golang-$GO_VERSION-src" >/dev/null 2>&1) \
    || die "Debian $SUITE has no golang-$GO_VERSION-go (set SLIPWAY_GO_SUITE or SLIPWAY_GO_VERSION)"
  rm -rf "$GOROOT_DIR/root" && mkdir -p "$GOROOT_DIR/root"
  for deb in "$GOROOT_DIR"/debs/*.deb; do dpkg -x "$deb" "$GOROOT_DIR/root"; done
  [ -x "$GO" ] || die "no $GO after unpacking golang-$GO_VERSION-go"
fi

# 2. The frontend binary, from the tag's own source and vendor/.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/image/bin"
git archive "$commit" | tar -x -C "$work/src"
say "building $PKG at $TAG ($version, $commit) with $("$GO" version | cut -d' ' -f3)"
(
  cd "$work/src"
  export GOROOT="$GOROOT_DIR/root/usr/lib/go-$GO_VERSION" GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=vendor \
    GOCACHE="$LAB_DIR/go-build-cache" GOPATH="$work/gopath" CGO_ENABLED=0
  # -trimpath on top of BuildKit's flags: the source sits in a temporary directory, whose name would
  # otherwise make every build's binary (and image) differ
  "$GO" build -trimpath -o "$work/image/bin/dockerfile-frontend" \
    -ldflags "-d -X main.Version=$version -X main.Revision=$commit -X main.Package=$PKG" \
    -tags "netgo static_build osusergo" ./frontend/dockerfile/cmd/dockerfile-frontend
)
"$work/image/bin/dockerfile-frontend" --version >&2

# 3. The image: as the tag's Dockerfile's release stage, its labels copied from it.
cat >"$work/image/Dockerfile" <<EOF
FROM scratch
$labels
COPY bin/ /bin/
ENTRYPOINT ["/bin/dockerfile-frontend"]
EOF
ref="$REPO_OUT:${TAG//\//-}"
# The commit's time for every timestamp (the binary's and /bin's mtimes; the config's, through buildx's
# SOURCE_DATE_EPOCH): the same tag gives the same image digest. (rewrite-timestamp=true would do it in the
# exporter, but the daemon's own exporter refuses it beside the unpack it always does.)
epoch=$(git log -1 --format=%ct "$commit")
touch -d "@$epoch" "$work/image/bin/dockerfile-frontend" "$work/image/bin"
SOURCE_DATE_EPOCH=$epoch docker buildx build --quiet --provenance=false -t "$ref" --output type=image,push=true "$work/image" >/dev/null
echo "$ref"
