# Sourced by scripts that fetch Debian packages (lab-up.sh, spdx-tools.sh): the archive this machine's apt
# already uses, so that no host name is ever written into the repository. SLIPWAY_LAB_ARCHIVE overrides it.
# Needs a `die` function in the sourcing script.
apt_archive() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- -security | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v -- -security \
      | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit }}' || true)
  fi
  [ -n "$uri" ] || die "no Debian archive found in /etc/apt/sources.list{,.d}; set SLIPWAY_LAB_ARCHIVE"
  echo "${uri%/}"
}
