# shellcheck shell=bash
# What bench-audience.sh and bench-metrics.sh share: their arguments, and the API built in Release and started on a
# database filled by scripts/gen-data.sh, on a free port, with every background job off, answering once its migrations
# ran. The caller sets NAME (its log prefix) and REQUESTS (its default) and sources scripts/lib/env.sh first.
#   parse_args "$@"     --database DB [GEN_DATABASE or wechatmall_gen], --requests N
#   api_env             the API's settings (an array) for this database; add more with api_env+=(…)
#   build_api           builds the API in Release ($BIN)
#   start_api           starts it (API_PID) and waits for /health/live; its log: $WORK/api.log
# On exit the API is stopped; when the script failed, the API's last 40 log lines are printed.
DB="${GEN_DATABASE:-wechatmall_gen}"
parse_args() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --database) DB="$2"; shift 2 ;;
      --requests) REQUESTS="$2"; shift 2 ;;
      *) echo "unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
  done
  api_env=(ConnectionStrings__MySql="$MYSQL_SERVER;Database=$DB" ConnectionStrings__Redis="$ConnectionStrings__Redis"
    Redis__KeyPrefix="$NAME:$$:" Admin__ApiKey="$ADMIN_KEY" Outbox__Enabled=false WeChat__ApiBaseUrl=http://127.0.0.1:9
    Jobs__MetricsRollup__Enabled=false Jobs__AudienceNightly__Enabled=false Jobs__FollowerSync__Enabled=false)
}
log() { printf '[%s %s] %s\n' "$NAME" "$(date -u +%T)" "$*" >&2; }
sql() { mariadb --no-defaults -N -h127.0.0.1 -P"$MYSQL_PORT" -u"$MYSQL_USER" -p"$MYSQL_PASSWORD" "$DB" -e "$1"; }

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ADMIN_KEY="$NAME-$$-0123456789"
BIN="$ROOT/src/WeChatMall.Api/bin/Release/net10.0"
WORK=$(mktemp -d)
cleanup() {
  local rc=$?
  [[ $rc != 0 && -f "$WORK/api.log" ]] && { echo "--- the API's log (last 40 lines) ---" >&2; tail -40 "$WORK/api.log" >&2; }
  [[ -n "${API_PID:-}" ]] && kill "$API_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

build_api() { dotnet build "$ROOT/src/WeChatMall.Api" -c Release -nologo -v q >/dev/null; }

start_api() {
  (cd "$BIN" && exec env "${api_env[@]}" dotnet WeChatMall.Api.dll --urls "$BASE" --Logging:LogLevel:Default=Warning >"$WORK/api.log" 2>&1) &
  API_PID=$!
  # The API answers once its migrations ran: on a large database a new one may take minutes.
  log "starting the API on $DB (migrations first)"
  until curl -fs "$BASE/health/live" >/dev/null; do
    kill -0 "$API_PID" 2>/dev/null || { echo "the API exited" >&2; exit 1; }
    sleep 1
  done
}
