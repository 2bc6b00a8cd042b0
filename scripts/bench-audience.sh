#!/usr/bin/env bash
# Segment latency on a generated database (docs/audience.md#scale). First fill one and build its member stats:
#   scripts/gen-data.sh --members 1000000 --orders 5000000 --seed 7 --database wechatmall_gen
#   scripts/bench-audience.sh [--database wechatmall_gen] [--requests 20]
# Starts the API (Release) on that database with every background job off, rebuilds the member stats when they are
# missing (timed: `audience rebuild-stats`, what a first deployment on old data runs), then sends each segment rule
# below N times one after another to POST /admin/segments/count and /preview (first page of 50) and prints p50/p95
# in ms. Run it on a quiet machine: latencies measured while other work runs mean little.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"

NAME=bench-audience; REQUESTS=20
# shellcheck source=lib/generated_db.sh
source "$ROOT/scripts/lib/generated_db.sh"
parse_args "$@"
build_api

if [[ $(sql "SELECT COUNT(*) FROM member_stats") == 0 ]]; then
  log "member_stats is empty: audience rebuild-stats over $(sql 'SELECT COUNT(*) FROM members') members"
  SECONDS=0
  (cd "$BIN" && env "${api_env[@]}" dotnet WeChatMall.Api.dll audience rebuild-stats >&2)
  printf "%-52s %10s\n" "member stats rebuild (s)" "$SECONDS"
fi
start_api

# Fails (and with it the script) on any answer but 2xx.
post() { curl -fsS -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d "$2" "$BASE/admin/segments/$1"; }
timed() { curl -fsS -o /dev/null -w '%{time_total}\n' -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' -d "$2" "$BASE/admin/segments/$1"; }

# name|rule: the shapes an operator builds most (stats columns, RFM, dates, a nested OR, a behaviour subquery).
rules=(
  'buyers|{"field":"paidOrders","op":">=","value":1}'
  'spent 1,000+ yuan|{"field":"netSpendFen","op":">=","value":100000}'
  'followers, lapsed 90 days|{"all":[{"field":"following","op":"=","value":true},{"field":"lastPurchaseAt","op":"notWithinDays","value":90}]}'
  'RFM important, to retain|{"field":"rfmGroup","op":"in","value":["important_keep","important_retain"]}'
  'repeat or big, from a channel|{"all":[{"field":"channel","op":"isNotNull"},{"any":[{"field":"paidOrders","op":">=","value":3},{"field":"avgOrderFen","op":">=","value":30000}]}]}'
  'ordered in the last 30 days|{"field":"ordersWithin","op":">=","value":1,"days":30}'
  '4+ orders in 30 days|{"field":"ordersWithin","op":">=","value":4,"days":30}'
  'spent 500+ yuan in 30 days|{"field":"spendWithin","op":">=","value":50000,"days":30}'
  'followers, under 100 yuan in 90 days|{"all":[{"field":"following","op":"=","value":true},{"field":"spendWithin","op":"<","value":10000,"days":90}]}'
)
printf "%-34s %10s %10s %10s %10s %10s\n" rule members "count p50" "count p95" "prev. p50" "prev. p95"
pct() { sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f", t[int((NR + 1) * 0.5)], t[int(NR * 0.95 + 0.5)] }'; }
for entry in "${rules[@]}"; do
  name="${entry%%|*}"; rule="${entry#*|}"
  members=$(post count "{\"rule\":$rule}" | sed -E 's/.*"count":([0-9]+).*/\1/')
  timed preview "{\"rule\":$rule,\"limit\":50}" >/dev/null   # warm-up
  count=$(for _ in $(seq 1 "$REQUESTS"); do timed count "{\"rule\":$rule}"; done | pct)
  preview=$(for _ in $(seq 1 "$REQUESTS"); do timed preview "{\"rule\":$rule,\"limit\":50}"; done | pct)
  printf "%-34s %10s %10s %10s %10s %10s\n" "$name" "$members" ${count} ${preview}
done
