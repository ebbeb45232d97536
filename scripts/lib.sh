# Shared helpers for scripts/test and scripts/e2e. Source it; don't run it.

section() {
  printf '\n== %s ==\n' "$*"
}

_APT_UPDATED=0

# need_pkg CMD PKG...: make sure CMD (a command name or an absolute path) is
# available, installing the Debian package(s) PKG... with apt-get when it is
# missing and we are root. Not root: explain and exit 1.
need_pkg() {
  local cmd=$1
  shift
  if command -v "$cmd" >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: '$cmd' is missing; install it with: sudo apt-get install -y --no-install-recommends $*" >&2
    exit 1
  fi
  echo "'$cmd' is missing; installing Debian package(s): $*"
  if [ "$_APT_UPDATED" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "error: installed $* but '$cmd' is still missing" >&2
    exit 1
  fi
}
