#!/usr/bin/env bash
# Campaign delivery at scale (docs/campaigns.md#scale): a template-message campaign to N followers, sent by two API
# instances to the sandbox, beside the sandbox's own maximum accept rate measured in the same run.
#   scripts/bench-campaign.sh [--members 100000] [--instances 2] [--no-kill]
# Seeds N members who follow the Official Account (SQL, in a database of its own), rebuilds their stats, starts the
# sandbox and the instances (Release; quotas raised, every other background job off), makes a segment "following"
# and a campaign through the admin API, times the start (the freeze of the recipients), then the delivery. Unless
# --no-kill, the last instance is killed with SIGKILL when half the recipients are sent: the others take its claims
# over when they lapse (Campaigns:ClaimSeconds, 10 s here). Afterwards it checks, from the sandbox's own log, that every
# member received the message exactly once (0 duplicates, 0 gaps) and fails otherwise; then it measures the sandbox
# alone with wrk (its accept rate for distinct template sends). Prints the figures and writes them to
# bench-results/campaign-<UTC time>.json. Run it on a quiet machine: rates measured while other work runs mean little.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"

MEMBERS=100000; INSTANCES=2; KILL=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --members) MEMBERS="$2"; shift 2 ;;
    --instances) INSTANCES="$2"; shift 2 ;;
    --no-kill) KILL=0; shift ;;
    *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ "$MEMBERS" =~ ^[0-9]+$ && "$MEMBERS" -ge 10 ]] || { echo "--members: a number, at least 10" >&2; exit 2; }
[[ "$INSTANCES" =~ ^[1-9]$ ]] || { echo "--instances: 1 to 9" >&2; exit 2; }
(( INSTANCES > 1 )) || KILL=0

log() { printf '[bench-campaign %s] %s\n' "$(date -u +%T)" "$*" >&2; }
DB="wechatmall_campaign_$$"
sql() { mariadb --no-defaults -N -h127.0.0.1 -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$@"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

for pkg in wrk; do command -v "$pkg" >/dev/null || apt-get install -y -qq "$pkg" >/dev/null; done
"$ROOT/scripts/services.sh" start >&2

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  sql -e "DROP DATABASE IF EXISTS \`$DB\`" 2>/dev/null || true
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --scan --pattern "bench-campaign:$$:*" 2>/dev/null |
    xargs -r -n 500 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" DEL >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log "building Release"
dotnet build "$ROOT/src/WeChatMall.Api" -c Release -nologo -v q >/dev/null
dotnet build "$ROOT/src/WeChatMall.Sandbox" -c Release -nologo -v q >/dev/null
BIN="$ROOT/src/WeChatMall.Api/bin/Release/net10.0"
SANDBOX_DLL="$ROOT/src/WeChatMall.Sandbox/bin/Release/net10.0/WeChatMall.Sandbox.dll"

# --- the data: N members, each with an Official Account openid, all following ------------------------------------
sql -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
ADMIN_KEY="bench-campaign-$$-0123456789"
dotnet "$SANDBOX_DLL" keygen "$WORK/sandbox" >/dev/null
# shellcheck disable=SC1091
source "$WORK/sandbox/sandbox.env"
OA_APPID="wxsandbox00000oa1"
SANDBOX_PORT=$(free_port); SANDBOX="http://127.0.0.1:$SANDBOX_PORT"
api_env=(ConnectionStrings__MySql="$MYSQL_SERVER;Database=$DB" ConnectionStrings__Redis="$ConnectionStrings__Redis"
  ConnectionStrings__RedisCache="" Redis__KeyPrefix="bench-campaign:$$:" Admin__ApiKey="$ADMIN_KEY"
  WeChat__ApiBaseUrl="$SANDBOX" WeChat__OAuthBaseUrl="$SANDBOX" WeChat__MpBaseUrl="$SANDBOX"
  WeChat__OfficialAccount__AppId="$OA_APPID" WeChat__OfficialAccount__AppSecret="$SANDBOX_OA_APPSECRET"
  WeChat__OfficialAccount__Token="$SANDBOX_OA_TOKEN" WeChat__OfficialAccount__EncodingAESKey="$SANDBOX_OA_AESKEY"
  Campaigns__Template__PerMinute=100000000 Campaigns__Template__Daily=100000000 Campaigns__ApprovalThreshold=100000000
  Campaigns__BatchSize="${CAMPAIGN_BATCH:-200}" Campaigns__Parallelism="${CAMPAIGN_PARALLELISM:-32}" Campaigns__ClaimSeconds=10
  Jobs__MetricsRollup__Enabled=false Jobs__AudienceNightly__Enabled=false Jobs__FollowerSync__Enabled=false
  Outbox__Enabled=false)

log "migrating $DB"
(cd "$BIN" && env "${api_env[@]}" dotnet WeChatMall.Api.dll migrate >/dev/null)
log "seeding $MEMBERS following members"
SECONDS=0
sql "$DB" <<SQL
INSERT INTO members (id, invite_code, created_at, updated_at)
  SELECT seq, CONCAT('BC', seq), UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_$MEMBERS;
INSERT INTO member_identities (member_id, kind, value, created_at)
  SELECT seq, 'oa_openid', CONCAT('bench_oa_', seq), UTC_TIMESTAMP() FROM seq_1_to_$MEMBERS;
INSERT INTO followers (openid, state, first_subscribed_at, last_subscribed_at, created_at, updated_at)
  SELECT CONCAT('bench_oa_', seq), 'subscribed', UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM seq_1_to_$MEMBERS;
SQL
(cd "$BIN" && env "${api_env[@]}" dotnet WeChatMall.Api.dll audience rebuild-stats >/dev/null 2>&1)
log "seeded and stats rebuilt in ${SECONDS}s"

# --- the sandbox and the instances --------------------------------------------------------------------------------
Sandbox__OfficialAccount__AppId="$OA_APPID" Sandbox__OfficialAccount__AppSecret="$SANDBOX_OA_APPSECRET" \
Sandbox__OfficialAccount__Token="$SANDBOX_OA_TOKEN" Sandbox__OfficialAccount__EncodingAESKey="$SANDBOX_OA_AESKEY" \
Sandbox__OfficialAccount__OriginalId=gh_sandbox000001 Sandbox__MiniProgram__AppId=wxsandbox00000mp1 \
Sandbox__MiniProgram__AppSecret="$SANDBOX_MP_APPSECRET" Sandbox__Merchant__MchId=1900000109 \
Sandbox__Merchant__PublicKeyPath="$WORK/sandbox/merchant.pub.pem" Sandbox__Merchant__SerialNo="$SANDBOX_MERCHANT_SERIAL" \
Sandbox__Merchant__ApiV3Key="$SANDBOX_APIV3KEY" Sandbox__Platform__PrivateKeyPath="$WORK/sandbox/platform.key.pem" \
Sandbox__Platform__PublicKeyId=PUB_KEY_ID_0119000001092026112200000000000001 \
  dotnet "$SANDBOX_DLL" --urls "$SANDBOX" --Logging:LogLevel:Default=Warning >"$WORK/sandbox.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do curl -fs "$SANDBOX/sandbox/health" >/dev/null && break; sleep 0.2; done
curl -fs "$SANDBOX/sandbox/health" >/dev/null || { cat "$WORK/sandbox.log" >&2; exit 1; }

API_PORTS=()
for n in $(seq 1 "$INSTANCES"); do
  port=$(free_port); API_PORTS+=("$port")
  (cd "$BIN" && exec env "${api_env[@]}" dotnet WeChatMall.Api.dll --urls "http://127.0.0.1:$port" \
    --Logging:LogLevel:Default=Warning >"$WORK/api$n.log" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$port/health/live" >/dev/null || { cat "$WORK/api$n.log" >&2; exit 1; }
  log "API instance $n on port $port (pid ${PIDS[-1]})"
done
API="http://127.0.0.1:${API_PORTS[0]}"
admin() { curl -fsS -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' "$@"; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

admin -X POST "$API/admin/campaigns/templates/sync" >/dev/null
segment=$(admin -d '{"name":"Following (bench)","rule":{"field":"following","op":"=","value":true}}' "$API/admin/segments" | json 'd["id"]')
campaign=$(admin -d "{\"name\":\"Bench $MEMBERS\",\"segmentId\":$segment,\"channels\":[\"template\"],
  \"content\":{\"template\":{\"templateId\":\"tmpl_points_expiring_01\",\"data\":{\"thing1\":\"会员日\",\"number2\":\"{points}\",\"date3\":\"2026-12-31\"}}}}" \
  "$API/admin/campaigns" | json 'd["id"]')

# --- the run --------------------------------------------------------------------------------------------------------
t0=$(now_ms)
started=$(admin -X POST "$API/admin/campaigns/$campaign/start")
t_frozen=$(now_ms)
freeze_ms=$((t_frozen - t0))
log "started: $(json 'd["status"]' <<<"$started"), recipients frozen in ${freeze_ms} ms"

killed_at=""
while :; do
  r=$(admin "$API/admin/campaigns/$campaign/results")
  sent=$(sed -E 's/.*"sent":([0-9]+).*/\1/' <<<"$r"); status=$(sed -E 's/.*"status":"([a-z_]+)".*/\1/' <<<"$r")
  if (( KILL == 1 )) && [[ -z "$killed_at" && "$sent" -ge $((MEMBERS / 2)) ]]; then
    kill -9 "${PIDS[-1]}"; killed_at=$sent
    log "killed instance $INSTANCES (SIGKILL) at $sent sent"
  fi
  [[ "$status" == completed || "$status" == cancelled ]] && break
  (( $(now_ms) - t0 < 30 * 60 * 1000 )) || { log "not completed after 30 minutes: $r"; exit 1; }
  sleep 0.5
done
log "completed: $r"

stats=$(curl -fsS "$SANDBOX/sandbox/messages/stats?kind=template")
calls=$(curl -fsS "$SANDBOX/sandbox/calls/stats?route=/cgi-bin/message/template/send" | json 'sum(d.values())')
messages=$(json 'd["messages"]' <<<"$stats"); recipients=$(json 'd["recipients"]' <<<"$stats")
twice=$(json 'd["recipientsReachedTwice"]' <<<"$stats")
# The sandbox's own first and last delivery: the delivery rate as WeChat would see it.
span_ms=$(python3 -c '
import json, re, sys, datetime
d = json.load(sys.stdin)
t = lambda s: datetime.datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", s))
print(int((t(d["last"]) - t(d["first"])).total_seconds() * 1000))' <<<"$stats")
rate=$(awk -v n="$messages" -v ms="$span_ms" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }')
gaps=$((MEMBERS - recipients))
log "sandbox: $messages messages to $recipients members ($twice reached twice, $gaps not reached); $calls send calls from the app"

# --- the sandbox alone: distinct template sends as fast as it takes them ----------------------------------------------
token=$(curl -fsS "$SANDBOX/cgi-bin/token?grant_type=client_credential&appid=$OA_APPID&secret=$SANDBOX_OA_APPSECRET" | json 'd["access_token"]')
cat >"$WORK/sandbox-send.lua" <<'LUA'
local n = 0
function setup(thread) thread:set("prefix", tostring(math.random(1, 1000000000))) end
function request()
  n = n + 1
  local body = '{"touser":"wrk_' .. prefix .. '_' .. n .. '","template_id":"tmpl_points_expiring_01","client_msg_id":"w' .. prefix .. 'x' .. n ..
    '","data":{"thing1":{"value":"会员日"},"number2":{"value":"100"},"date3":{"value":"2026-12-31"}}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
LUA
out=$(wrk -t2 -c64 -d10s -s "$WORK/sandbox-send.lua" "$SANDBOX/cgi-bin/message/template/send?access_token=$token")
sandbox_max=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")

deliver_s=$(awk -v ms="$span_ms" 'BEGIN { printf "%.1f", ms / 1000 }')
printf "\n%-58s %s\n" "members (following, one template message each)" "$MEMBERS"
printf "%-58s %s\n" "API instances" "$INSTANCES$([[ -n "$killed_at" ]] && echo ", the last killed (SIGKILL) at $killed_at sent")"
printf "%-58s %s\n" "recipients frozen (POST …/start), ms" "$freeze_ms"
printf "%-58s %s\n" "delivery, the sandbox's first to last message, s" "$deliver_s"
printf "%-58s %s\n" "delivery rate seen by the sandbox, messages/s" "$rate"
printf "%-58s %s\n" "sandbox alone (wrk, distinct template sends), requests/s" "$sandbox_max"
printf "%-58s %s\n" "delivered / duplicates / gaps" "$messages / $twice / $gaps"
printf "%-58s %s\n" "send calls made by the app (resends after the kill included)" "$calls"
mkdir -p "$ROOT/bench-results"
result="$ROOT/bench-results/campaign-$(date -u +%Y%m%dT%H%M%SZ).json"
cat >"$result" <<JSON
{"members": $MEMBERS, "instances": $INSTANCES, "killedAtSent": ${killed_at:-null}, "freezeMs": $freeze_ms, "deliverySeconds": $deliver_s,
 "messagesPerSecond": $rate, "sandboxMaxPerSecond": $sandbox_max, "delivered": $messages, "duplicates": $twice, "gaps": $gaps,
 "sendCalls": $calls, "loadAverage": "$(cut -d' ' -f1-3 /proc/loadavg)", "cpu": "$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"}
JSON
log "results: $result"
if (( twice != 0 || gaps != 0 || messages != MEMBERS )); then log "FAILED: every member must receive the message exactly once"; exit 1; fi
