# Sourced by run_core.sh, run_net.sh and run_wasm.sh: what they need before
# they run the anchors of ../shared/anchors/ beside aio. The caller sets
# `here` (its folder), `root` (the checkout) and ONLY (the workloads to run).

# The caller's name, for log lines and errors.
bench_name="$(basename "${BASH_SOURCE[1]:-bench}")"
log() { echo "$bench_name: $*" >&2; }
# Whether workload $1 is in ONLY.
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

# Prints the shared/ folder: AIO_SHARED_DIR, else the checkout's sibling, else
# (a linked worktree, git worktree add) the main checkout's sibling. Fails
# with a message if none of them holds the anchors.
find_shared() {
  local shared="${AIO_SHARED_DIR:-$root/../shared}" main_root
  if [ -z "${AIO_SHARED_DIR:-}" ] && [ ! -f "$shared/anchors/README.md" ]; then
    main_root="$(cd "$(git -C "$here" rev-parse --path-format=absolute --git-common-dir)/.." && pwd)"
    shared="$main_root/../shared"
  fi
  [ -f "$shared/anchors/README.md" ] || { echo "$bench_name: no anchors at $shared/anchors (set AIO_SHARED_DIR)" >&2; return 1; }
  echo "$shared"
}

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
