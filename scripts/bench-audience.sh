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

DB="${GEN_DATABASE:-wechatmall_gen}"; REQUESTS=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --database) DB="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
log() { printf '[bench-audience %s] %s\n' "$(date -u +%T)" "$*" >&2; }
sql() { mariadb --no-defaults -N -h127.0.0.1 -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$DB" -e "$1"; }

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ADMIN_KEY="bench-audience-$$-0123456789"
WORK=$(mktemp -d)
cleanup() { [[ -n "${API_PID:-}" ]] && kill "$API_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet build "$ROOT/src/WeChatMall.Api" -c Release -nologo -v q >/dev/null
BIN="$ROOT/src/WeChatMall.Api/bin/Release/net10.0"
api_env=(ConnectionStrings__MySql="$MYSQL_SERVER;Database=$DB" ConnectionStrings__Redis="$ConnectionStrings__Redis"
  Redis__KeyPrefix="bench-audience:$$:" Admin__ApiKey="$ADMIN_KEY" Outbox__Enabled=false WeChat__ApiBaseUrl=http://127.0.0.1:9
  Jobs__MetricsRollup__Enabled=false Jobs__AudienceNightly__Enabled=false Jobs__FollowerSync__Enabled=false)

if [[ $(sql "SELECT COUNT(*) FROM member_stats") == 0 ]]; then
  log "member_stats is empty: audience rebuild-stats over $(sql 'SELECT COUNT(*) FROM members') members"
  SECONDS=0
  (cd "$BIN" && env "${api_env[@]}" dotnet WeChatMall.Api.dll audience rebuild-stats >&2)
  printf "%-52s %10s\n" "member stats rebuild (s)" "$SECONDS"
fi

(cd "$BIN" && exec env "${api_env[@]}" dotnet WeChatMall.Api.dll --urls "$BASE" --Logging:LogLevel:Default=Warning >"$WORK/api.log" 2>&1) &
API_PID=$!
# The API answers once its migrations ran: on a large database a new one may take minutes.
until curl -fs "$BASE/health/live" >/dev/null; do
  kill -0 "$API_PID" 2>/dev/null || { cat "$WORK/api.log" >&2; exit 1; }
  sleep 1
done

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
