#!/usr/bin/env bash
# The SPDX project's own validator (spdx-tools, `pyspdxtools`), as Debian packages it: python3-spdx-tools
# is in sid (and testing when it migrates), so it is taken the way scripts/lab-up.sh takes docker.io: a private apt state
# (the machine's own apt configuration stays untouched), `apt-get download`, then `dpkg -x` into a
# directory, and run with bookworm's /usr/bin/python3 and PYTHONPATH. Its Python dependencies that
# bookworm's python3 lacks are fetched the same way (they are pure Python).
#
#   scripts/spdx-tools.sh            installs (once) and prints the path of a `pyspdxtools` wrapper
#   "$(scripts/spdx-tools.sh)" -i bom.spdx.json
#
# Environment:
#   SLIPWAY_LAB_DIR   where the install lives                 (default /var/lib/slipway-lab)
#   SLIPWAY_LAB_ARCHIVE Debian archive URL (default: the first one in this machine's apt configuration)
#   SLIPWAY_SPDX_SUITE  suite to take the packages from      (default sid)
set -euo pipefail

LAB_DIR=${SLIPWAY_LAB_DIR:-/var/lib/slipway-lab}
SUITE=${SLIPWAY_SPDX_SUITE:-sid}
DIR="$LAB_DIR/spdx-tools-$SUITE"
WRAPPER="$DIR/pyspdxtools"
say() { echo "spdx-tools: $*" >&2; }
die() { say "$*"; exit 1; }

if [ -x "$WRAPPER" ] && "$WRAPPER" --help >/dev/null 2>&1; then
  echo "$WRAPPER"
  exit 0
fi

# The archive this machine's apt already uses; never a host name written here.
. "$(dirname "$0")/lib/apt-archive.sh"
MIRROR=${SLIPWAY_LAB_ARCHIVE:-$(apt_archive)}

mkdir -p "$DIR/apt/lists/partial" "$DIR/apt/cache/archives/partial" "$DIR/debs" "$DIR/root"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" >"$DIR/apt/sources.list"
opts=(-o "Dir::Etc::SourceList=$DIR/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$DIR/apt/lists" -o "Dir::Cache=$DIR/apt/cache" -o Debug::NoLocking=1)
say "reading the $SUITE index"
apt-get "${opts[@]}" update -qq >&2 || die "apt-get update for $SUITE failed"

# python3-spdx-tools and, transitively, every python3-* package it depends on (the interpreter itself
# and C libraries come from bookworm: bookworm's python3 runs them).
want=(python3-spdx-tools)
seen=" "
while [ ${#want[@]} -gt 0 ]; do
  p=${want[0]}
  want=("${want[@]:1}")
  case "$seen" in *" $p "*) continue ;; esac
  seen="$seen$p "
  deps=$(apt-cache "${opts[@]}" depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$p" 2>/dev/null \
    | awk '/Depends:/ {print $2}' | tr -d '<>' | grep -E '^python3-' | grep -vE '^python3-(minimal|distutils|lib2to3|all)$' || true)
  for d in $deps; do want+=("$d"); done
done
say "downloading$seen"
# shellcheck disable=SC2086
(cd "$DIR/debs" && rm -f ./*.deb && apt-get "${opts[@]}" download $seen >/dev/null) || die "apt-get download failed"
rm -rf "$DIR/root" && mkdir -p "$DIR/root"
for deb in "$DIR"/debs/*.deb; do dpkg -x "$deb" "$DIR/root"; done

cat >"$WRAPPER" <<SH
#!/bin/sh
# pyspdxtools from Debian $SUITE, run by bookworm's python3 (written by scripts/spdx-tools.sh)
PYTHONPATH="$DIR/root/usr/lib/python3/dist-packages" exec /usr/bin/python3 -m spdx_tools.spdx.clitools.pyspdxtools "\$@"
SH
chmod +x "$WRAPPER"
"$WRAPPER" --help >/dev/null || die "pyspdxtools does not run with /usr/bin/python3; see $DIR"
echo "$WRAPPER"
