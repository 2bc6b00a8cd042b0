#!/usr/bin/env bash
# The local settings of every script, in one place: the ports and credentials of the MariaDB and Redis that
# scripts/services.sh runs, and the connection strings derived from them for the API (ConnectionStrings__MySql,
# ConnectionStrings__Redis) and for the tests (WECHATMALL_TEST_MYSQL, WECHATMALL_TEST_REDIS). Sourced by
# services.sh, start.sh, test.sh and bench.sh, so a checkout started with other ports uses its own servers.
#
# Environment (defaults in brackets): WECHATMALL_DATA_DIR [<repo>/.data]  MYSQL_PORT [3307]  REDIS_PORT [6380]
#   MYSQL_DATABASE [wechatmall]  MYSQL_USER [wechatmall]  MYSQL_PASSWORD [wechatmall_dev]
# A connection string set explicitly (e.g. ConnectionStrings__MySql) is kept as it is.
#
# Run it instead of sourcing it to print what it derives: `scripts/lib/env.sh` (the password is shown: dev only).

WECHATMALL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WECHATMALL_DATA_DIR="${WECHATMALL_DATA_DIR:-$WECHATMALL_ROOT/.data}"
MYSQL_PORT="${MYSQL_PORT:-3307}"
REDIS_PORT="${REDIS_PORT:-6380}"
MYSQL_DATABASE="${MYSQL_DATABASE:-wechatmall}"
MYSQL_USER="${MYSQL_USER:-wechatmall}"
MYSQL_PASSWORD="${MYSQL_PASSWORD:-wechatmall_dev}"

# Without Database: the tests and bench.sh create their own databases on this server.
MYSQL_SERVER="Server=127.0.0.1;Port=$MYSQL_PORT;User ID=$MYSQL_USER;Password=$MYSQL_PASSWORD"
ConnectionStrings__MySql="${ConnectionStrings__MySql:-Server=127.0.0.1;Port=$MYSQL_PORT;Database=$MYSQL_DATABASE;User ID=$MYSQL_USER;Password=$MYSQL_PASSWORD}"
ConnectionStrings__Redis="${ConnectionStrings__Redis:-127.0.0.1:$REDIS_PORT}"
WECHATMALL_TEST_MYSQL="${WECHATMALL_TEST_MYSQL:-$MYSQL_SERVER}"
WECHATMALL_TEST_REDIS="${WECHATMALL_TEST_REDIS:-127.0.0.1:$REDIS_PORT}"

export WECHATMALL_DATA_DIR MYSQL_PORT REDIS_PORT MYSQL_DATABASE MYSQL_USER MYSQL_PASSWORD MYSQL_SERVER \
  ConnectionStrings__MySql ConnectionStrings__Redis WECHATMALL_TEST_MYSQL WECHATMALL_TEST_REDIS

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  for v in WECHATMALL_DATA_DIR MYSQL_PORT REDIS_PORT MYSQL_DATABASE MYSQL_USER MYSQL_SERVER ConnectionStrings__MySql \
    ConnectionStrings__Redis WECHATMALL_TEST_MYSQL WECHATMALL_TEST_REDIS; do
    printf '%s=%s\n' "$v" "${!v}"
  done
fi
