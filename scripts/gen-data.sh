#!/usr/bin/env bash
# Fills a database of its own with realistic, reproducible shop data for benchmarks (docs/metrics.md#scale):
#   scripts/gen-data.sh --members 1000000 --orders 5000000 --seed 7 [--database wechatmall_gen] [--replace]
# Creates the database (utf8mb4), applies the migrations with the API's `migrate` command, writes the rows with
# scripts/lib/gen_data.py (same arguments and seed: same data) and bulk-loads them with LOAD DATA LOCAL INFILE.
# The rollups behind the dashboards are built by the API's first MetricsRollup pass (or POST /admin/metrics/rebuild).
# Refuses a database that already has tables unless --replace is given, and any name starting with t_ (the tests').
# Uses the MariaDB of scripts/lib/env.sh (MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD), whose InnoDB buffer pool it grows
# to GEN_BUFFER_POOL_MB (2048) for the load.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"

MEMBERS=20000; ORDERS=100000; SEED=1; DB="${GEN_DATABASE:-wechatmall_gen}"; REPLACE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --members) MEMBERS="$2"; shift 2 ;;
    --orders) ORDERS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --database) DB="$2"; shift 2 ;;
    --replace) REPLACE=1; shift ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ "$DB" =~ ^[A-Za-z0-9_]+$ ]] || { echo "database name: letters, digits and _ only" >&2; exit 2; }
[[ "$DB" != t_* ]] || { echo "refusing $DB: t_* are the tests' databases" >&2; exit 2; }

log() { printf '[gen-data %s] %s\n' "$(date -u +%T)" "$*" >&2; }
sql() { mariadb --no-defaults --local-infile=1 -h127.0.0.1 -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$@"; }

tables=$(sql -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$DB'")
if [[ "$tables" != 0 ]]; then
  [[ $REPLACE == 1 ]] || { echo "$DB already has $tables tables: pass --replace to drop it" >&2; exit 1; }
  sql -e "DROP DATABASE \`$DB\`"
fi
sql -e "CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

SECONDS=0
log "migrating $DB"
dotnet build "$ROOT/src/WeChatMall.Api" -c Release -nologo -v q >/dev/null
(cd "$ROOT/src/WeChatMall.Api/bin/Release/net10.0" &&
  ConnectionStrings__MySql="$MYSQL_SERVER;Database=$DB" ConnectionStrings__Redis="$ConnectionStrings__Redis" Admin__ApiKey=gen-data-not-served-0000 \
  dotnet WeChatMall.Api.dll migrate >/dev/null)

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
log "writing rows (seed $SEED)"
python3 "$ROOT/scripts/lib/gen_data.py" --members "$MEMBERS" --orders "$ORDERS" --seed "$SEED" --out "$WORK" >&2

# The development server starts with InnoDB's 128 MB buffer pool: loading millions of rows into tables with several
# secondary indexes then goes to disk for every index page. Grow it (online) to GEN_BUFFER_POOL_MB, as a database
# server holding this much data would be configured; it stays until the server restarts.
pool_mb=${GEN_BUFFER_POOL_MB:-2048}
sql -e "SET GLOBAL innodb_buffer_pool_size = GREATEST(@@innodb_buffer_pool_size, $pool_mb * 1024 * 1024)"
log "loading (InnoDB buffer pool $(sql -N -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MB)"
sql "$DB" <<SQL
SET foreign_key_checks = 0, unique_checks = 0;
LOAD DATA LOCAL INFILE '$WORK/members.tsv' INTO TABLE members (id, invite_code, created_at, updated_at);
LOAD DATA LOCAL INFILE '$WORK/identities.tsv' INTO TABLE member_identities (member_id, kind, value, created_at);
LOAD DATA LOCAL INFILE '$WORK/oa_identities.tsv' INTO TABLE member_identities (member_id, kind, value, created_at);
LOAD DATA LOCAL INFILE '$WORK/followers.tsv' INTO TABLE followers (openid, state, source_channel, last_channel, first_subscribed_at,
  last_subscribed_at, unsubscribed_at, last_interaction_at, created_at, updated_at);
LOAD DATA LOCAL INFILE '$WORK/orders.tsv' INTO TABLE orders (id, order_no, member_id, status, goods_fen, payable_fen, refunded_fen,
  refund_state, expires_at, paid_at, cancelled_at, created_at, updated_at);
LOAD DATA LOCAL INFILE '$WORK/lines.tsv' INTO TABLE order_lines (order_id, sku_id, product_id, title, spec, unit_price_fen, quantity, paid_fen);
LOAD DATA LOCAL INFILE '$WORK/imports.tsv' INTO TABLE marketplace_imports (id, platform, file_name, data_rows, imported, matched, prospects,
  new_prospects, unclaimed, duplicates, rejected, rejections, created_at);
LOAD DATA LOCAL INFILE '$WORK/marketplace.tsv' INTO TABLE marketplace_orders (platform, order_no, import_id, phone_last4, amount_fen, paid_at,
  member_id, link, created_at, updated_at);
UPDATE members m JOIN (SELECT member_id, SUM(payable_fen - refunded_fen) AS spend FROM orders WHERE paid_at IS NOT NULL GROUP BY member_id) s
  ON s.member_id = m.id SET m.lifetime_spend_fen = s.spend;
SQL
log "done in ${SECONDS}s: database $DB ($(sql -N "$DB" -e "SELECT CONCAT(COUNT(*), ' orders') FROM orders"))"
