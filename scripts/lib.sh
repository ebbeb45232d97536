# Shared helpers for scripts/test and scripts/e2e. Source it; don't run it.

section() {
  printf '\n== %s ==\n' "$*"
}

_APT_UPDATED=0

# install_pkg PKG...: apt-get install PKG... (root only; otherwise explain and exit 1).
install_pkg() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian package(s) $*; install them with: sudo apt-get install -y --no-install-recommends $*" >&2
    exit 1
  fi
  if [ "$_APT_UPDATED" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

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

# start_test_postgres: starts a throwaway PostgreSQL server on 127.0.0.1 in a temporary
# directory (no system service), installing Debian's postgresql package when it is
# missing, and exports ACCORD_TEST_PG_URL. stop_test_postgres stops it and removes the
# directory; callers register it in their EXIT trap.
#
# The throwaway cluster runs with fsync=off: it only holds test data and is deleted
# afterwards, and it makes CREATE DATABASE per test cheap. Accord's own durability
# setting (synchronous_commit=on) is unaffected.
PG_TEST_DIR=
PG_TEST_BIN=
start_test_postgres() {
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$initdb" ]; then
    install_pkg postgresql
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$initdb" ]; then
    echo "error: PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
    exit 1
  fi
  PG_TEST_BIN=$(dirname "$initdb")
  PG_TEST_DIR=$(mktemp -d /tmp/accord-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: run the server as the postgres system user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TEST_DIR"
    as=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U accord --auth=trust -E UTF8 --locale=C -N >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEST_DIR/initdb.log" >&2; exit 1; }
  "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_TEST_DIR -c fsync=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null \
    || { cat "$PG_TEST_DIR/server.log" >&2; exit 1; }
  export ACCORD_TEST_PG_URL="postgres://accord@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$PG_TEST_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_TEST_DIR)"
}

stop_test_postgres() {
  if [ -n "$PG_TEST_DIR" ] && [ -d "$PG_TEST_DIR/data" ]; then
    local as=()
    [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -n "$PG_TEST_DIR" ] && rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=
}
