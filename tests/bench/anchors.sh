# Sourced by run_core.sh and run_net.sh: what both need before they run the
# anchors of ../shared/anchors/ beside aio.

# Installs the Debian packages given that are missing (idempotent), unless
# SKIP_INSTALL=1. $1 names the calling script in the log line.
install_missing_packages() {
  local who="$1"
  shift
  [ "${SKIP_INSTALL:-0}" != 1 ] || return 0
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "$who: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}"
}

# Prints a writable anchors directory: ANCHORS itself, or a fresh copy under
# ROOT/build/anchors when shared/ is read-only (the anchors write their
# results and builds beside their scripts).
writable_anchors() {
  local anchors="$1" root="$2"
  if [ -w "$anchors" ]; then
    echo "$anchors"
    return
  fi
  local copy="$root/build/anchors"
  rm -rf "$copy"
  mkdir -p "$root/build"
  cp -r "$anchors" "$copy"
  chmod -R u+w "$copy"
  echo "$copy"
}
