#!/usr/bin/env bash
# Dashboard latency on a generated database (docs/metrics.md#scale). First fill one:
#   scripts/gen-data.sh --members 1000000 --orders 5000000 --seed 7 --database wechatmall_gen
#   scripts/bench-metrics.sh [--database wechatmall_gen] [--requests 50]
# Starts the API (Release) on that database with the rollup job off, times a full rebuild of the rollups, then requests
# every dashboard endpoint N times one after another and prints p50/p95 in ms; finally inserts a payment (as the
# payment flow writes it: paid_at and updated_at now) and times the incremental pass that makes it visible. A payment
# is visible in the dashboards within Jobs:MetricsRollup:Interval (20 s) + that pass.
# Run it on a quiet machine: latencies measured while other work runs mean little.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"

NAME=bench-metrics; REQUESTS=50
# shellcheck source=lib/generated_db.sh
source "$ROOT/scripts/lib/generated_db.sh"
parse_args "$@"
build_api
start_api

# Fails (and with it the script) on any answer but 2xx.
timed() { curl -fsS -o /dev/null -w '%{time_total}\n' -H "X-Admin-Key: $ADMIN_KEY" "$@"; }

log "rebuilding the rollups of $DB ($(sql 'SELECT COUNT(*) FROM orders') orders, $(sql 'SELECT COUNT(*) FROM members') members)"
took=$(timed -X POST "$BASE/admin/metrics/rebuild"); printf "%-40s %10s\n" "rebuild (s)" "$took"

# The generated data ends on its last order's day: dashboards look at the 30 days (and the year) before it. The
# repurchase rate is asked both for periods closed the day before (metrics_repurchase_cells) and for the same start up
# to today (no 'to': the recency rollup), which the console's dashboards use.
END=$(sql "SELECT DATE(MAX(paid_at) + INTERVAL 8 HOUR) FROM orders")
FROM30=$(sql "SELECT DATE('$END') - INTERVAL 29 DAY"); FROM365=$(sql "SELECT DATE('$END') - INTERVAL 364 DAY")
CLOSED=$(sql "SELECT DATE('$END') - INTERVAL 1 DAY")
CFROM30=$(sql "SELECT DATE('$CLOSED') - INTERVAL 29 DAY"); CFROM365=$(sql "SELECT DATE('$CLOSED') - INTERVAL 364 DAY")
printf "%-40s %10s %10s\n" endpoint "p50 ms" "p95 ms"
for path in "growth?from=$FROM30&to=$END" "revenue?from=$FROM30&to=$END" "revenue?from=$FROM365&to=$END" \
  "repurchase?from=$CFROM30&to=$CLOSED" "repurchase?from=$CFROM365&to=$CLOSED" "repurchase?from=$FROM30" "repurchase?from=$FROM365" \
  "cohorts?from=$FROM365&to=$END" "ltv" "top-customers?limit=50"; do
  timed "$BASE/admin/metrics/$path" >/dev/null   # warm-up
  for _ in $(seq 1 "$REQUESTS"); do timed "$BASE/admin/metrics/$path"; done | sort -n |
    awk -v name="$path" '{ t[NR] = $1 * 1000 } END { printf "%-40s %10.1f %10.1f\n", substr(name, 1, 40), t[int((NR + 1) * 0.5)], t[int(NR * 0.95 + 0.5)] }'
done

member=$(sql "SELECT member_id FROM orders ORDER BY id DESC LIMIT 1")
sql "INSERT INTO orders (order_no, member_id, status, goods_fen, payable_fen, expires_at, paid_at, created_at, updated_at)
     VALUES (CONCAT('BM', FLOOR(UNIX_TIMESTAMP(NOW(6)) * 1000000)), $member, 'paid', 12300, 12300, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))"
took=$(timed -X POST "$BASE/admin/metrics/refresh"); printf "%-40s %10s\n" "incremental pass after a payment (s)" "$took"
today=$(date -u -d '+8 hours' +%F)
curl -fs -H "X-Admin-Key: $ADMIN_KEY" "$BASE/admin/metrics/revenue?from=$today&to=$today" | grep -q '"revenueFen":[1-9]' &&
  log "the payment shows in today's revenue" || { log "the payment does NOT show in today's revenue"; exit 1; }
