#!/usr/bin/env bash
# Local MariaDB + Redis for development and tests: installed with apt when missing, run as plain background
# processes on 127.0.0.1 with their data under the project (no systemd). Idempotent: `start` reuses running servers.
#
#   scripts/services.sh start|stop|status
#
# Environment overrides (defaults in brackets; all read in scripts/lib/env.sh, which the other scripts share):
#   WECHATMALL_DATA_DIR [<repo>/.data]   MYSQL_PORT [3307]   REDIS_PORT [6380]
#   MYSQL_DATABASE [wechatmall]   MYSQL_USER [wechatmall]   MYSQL_PASSWORD [wechatmall_dev]
set -euo pipefail

# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
DATA_DIR="$WECHATMALL_DATA_DIR"

MYSQL_DIR="$DATA_DIR/mariadb"
MYSQL_SOCKET="$DATA_DIR/mariadb.sock"
MYSQL_PID="$DATA_DIR/mariadb.pid"
MYSQL_LOG="$DATA_DIR/mariadb.log"
REDIS_DIR="$DATA_DIR/redis"
REDIS_PID="$DATA_DIR/redis.pid"
REDIS_LOG="$DATA_DIR/redis.log"

log() { echo "[services] $*"; }

install_missing() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || missing+=(mariadb-server)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} with apt"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

mysql_ours() { mariadb-admin --no-defaults --socket="$MYSQL_SOCKET" -uroot ping >/dev/null 2>&1; }
# A server already answering on the port with our credentials (e.g. started from another checkout) is reused.
mysql_reachable() {
  mariadb-admin --no-defaults -h127.0.0.1 -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" ping >/dev/null 2>&1
}
mysql_running() { mysql_ours || mysql_reachable; }
redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_mysql() {
  if mysql_running; then log "MariaDB already running on 127.0.0.1:$MYSQL_PORT"; return 0; fi
  mkdir -p "$DATA_DIR"
  if [ ! -d "$MYSQL_DIR/mysql" ]; then
    log "initialising MariaDB data in $MYSQL_DIR"
    mariadb-install-db --no-defaults --datadir="$MYSQL_DIR" --user="$(id -un)" \
      --auth-root-authentication-method=socket >"$DATA_DIR/mariadb-init.log" 2>&1
  fi
  # --no-defaults must come first, or /etc/mysql/*.cnf is read. The last two flags trade durability for speed (dev only).
  # setsid: its own session, so a Ctrl-C in the terminal that ran start.sh does not reach the database.
  setsid mariadbd --no-defaults --user="$(id -un)" --datadir="$MYSQL_DIR" --port="$MYSQL_PORT" \
    --bind-address=127.0.0.1 --socket="$MYSQL_SOCKET" --pid-file="$MYSQL_PID" --log-error="$MYSQL_LOG" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --skip-name-resolve \
    --max-connections=500 --skip-log-bin --innodb-flush-log-at-trx-commit=2 >/dev/null 2>&1 &
  for _ in $(seq 1 100); do mysql_running && break; sleep 0.2; done
  mysql_running || { log "MariaDB did not start; see $MYSQL_LOG"; tail -20 "$MYSQL_LOG" >&2 || true; exit 1; }
  log "MariaDB started on 127.0.0.1:$MYSQL_PORT"
}

ensure_app_user() {
  mysql_ours || return 0   # someone else's server: the app user already works there
  # Root uses unix_socket auth: create the app user over the socket; the app connects over TCP.
  # The app user may create and drop databases because the tests give each run its own database.
  mariadb --no-defaults --socket="$MYSQL_SOCKET" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
ALTER USER '$MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
}

start_redis() {
  if redis_running; then log "Redis already running on 127.0.0.1:$REDIS_PORT"; return 0; fi
  mkdir -p "$REDIS_DIR"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DIR" --daemonize yes \
    --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --save '' --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis_running && break; sleep 0.1; done
  redis_running || { log "Redis did not start; see $REDIS_LOG"; exit 1; }
  log "Redis started on 127.0.0.1:$REDIS_PORT"
}

stop_all() {
  if mysql_ours; then
    mariadb-admin --no-defaults --socket="$MYSQL_SOCKET" -uroot shutdown && log "MariaDB stopped"
  elif mysql_reachable; then log "MariaDB on 127.0.0.1:$MYSQL_PORT was not started from $DATA_DIR: left running"
  else log "MariaDB not running"; fi
  if redis_running; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; log "Redis stopped"
  else log "Redis not running"; fi
}

status() {
  local rc=0
  if mysql_ours; then log "MariaDB: running on 127.0.0.1:$MYSQL_PORT (data $MYSQL_DIR)"
  elif mysql_reachable; then log "MariaDB: running on 127.0.0.1:$MYSQL_PORT (another data folder)"
  else log "MariaDB: stopped"; rc=3; fi
  if redis_running; then log "Redis:   running on 127.0.0.1:$REDIS_PORT"; else log "Redis:   stopped"; rc=3; fi
  return $rc
}

case "${1:-}" in
  start) install_missing; start_mysql; ensure_app_user; start_redis ;;
  stop) stop_all ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
