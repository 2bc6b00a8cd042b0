#!/usr/bin/env bash
# Starts everything a newcomer needs to see the service without a WeChat account: MariaDB + Redis
# (scripts/services.sh), the WeChat sandbox (plays WeChat and WeChat Pay, on 127.0.0.1:5090), then the API pointed at
# the sandbox, which applies pending migrations at startup, serving the H5 shop under /shop (built with npm when
# out of date, docs/shop.md); then seeds demo data (scripts/seed-demo.sh).
# Ctrl-C stops the API and the sandbox. Extra arguments pass through to the API, e.g.
#   scripts/start.sh --urls http://127.0.0.1:8080
# Environment: SANDBOX_PORT [5090], SANDBOX_DATA_DIR [$WECHATMALL_DATA_DIR/sandbox] (dev-only keys and secrets, generated
# once), and the server settings of scripts/lib/env.sh (MYSQL_PORT, REDIS_PORT, WECHATMALL_DATA_DIR, ...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# MYSQL_PORT, REDIS_PORT, WECHATMALL_DATA_DIR … → the API's ConnectionStrings__MySql / __Redis (exported).
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"

"$ROOT/scripts/services.sh" start

urls="http://127.0.0.1:5080"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --urls) urls="${args[$((i + 1))]:-$urls}" ;;
    --urls=*) urls="${args[$i]#--urls=}" ;;
  esac
done
has_urls=0; for a in "$@"; do [[ "$a" == --urls* ]] && has_urls=1; done
[ $has_urls -eq 1 ] || args+=(--urls "$urls")

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
echo "[start] building"
dotnet build "$ROOT/src/WeChatMall.Api" -c Release -nologo -v q >/dev/null
dotnet build "$ROOT/src/WeChatMall.Sandbox" -c Release -nologo -v q >/dev/null

# --- the shopper's H5 mall (src/WeChatMall.Shop), served by the API under /shop (same origin: no CORS, no API URL) --
# shellcheck source=lib/shop.sh
source "$ROOT/scripts/lib/shop.sh"
shop_h5="$ROOT/src/WeChatMall.Shop/dist/build/h5"
shop_build h5:sandbox || { echo "[start] the H5 shop was not built; the API runs without /shop" >&2; shop_h5=""; }
# shellcheck source=lib/console.sh
source "$ROOT/scripts/lib/console.sh"
build_console || echo "[start] the console is not built: /console answers 404 CONSOLE_NOT_BUILT"
base="${urls%%;*}"
base="${base%/}"

# --- the sandbox: keys and secrets are generated on first start and shared by both sides -----------------------
SANDBOX_PORT="${SANDBOX_PORT:-5090}"
SANDBOX_DATA_DIR="${SANDBOX_DATA_DIR:-$WECHATMALL_DATA_DIR/sandbox}"
sandbox_url="http://127.0.0.1:$SANDBOX_PORT"
sandbox_dll="$ROOT/src/WeChatMall.Sandbox/bin/Release/net10.0/WeChatMall.Sandbox.dll"
dotnet "$sandbox_dll" keygen "$SANDBOX_DATA_DIR" >/dev/null
# shellcheck disable=SC1091
source "$SANDBOX_DATA_DIR/sandbox.env"
oa_appid="wxsandbox00000oa1"; oa_original_id="gh_sandbox000001"; mp_appid="wxsandbox00000mp1"; mchid="1900000109"
platform_key_id="PUB_KEY_ID_0119000001092026112200000000000001"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # url, name, pid
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "[start] $2 exited; see its log" >&2; return 1; }
    sleep 0.5
  done
  echo "[start] $2 did not become ready at $1" >&2; return 1
}

mkdir -p "$(dirname "$SANDBOX_DATA_DIR")"
sandbox_log="$(dirname "$SANDBOX_DATA_DIR")/sandbox.log"
echo "[start] sandbox on $sandbox_url (log: $sandbox_log)"
Sandbox__OfficialAccount__AppId="$oa_appid" \
Sandbox__OfficialAccount__AppSecret="$SANDBOX_OA_APPSECRET" \
Sandbox__OfficialAccount__Token="$SANDBOX_OA_TOKEN" \
Sandbox__OfficialAccount__EncodingAESKey="$SANDBOX_OA_AESKEY" \
Sandbox__OfficialAccount__OriginalId="$oa_original_id" \
Sandbox__MiniProgram__AppId="$mp_appid" \
Sandbox__MiniProgram__AppSecret="$SANDBOX_MP_APPSECRET" \
Sandbox__Merchant__MchId="$mchid" \
Sandbox__Merchant__PublicKeyPath="$SANDBOX_DATA_DIR/merchant.pub.pem" \
Sandbox__Merchant__SerialNo="$SANDBOX_MERCHANT_SERIAL" \
Sandbox__Merchant__ApiV3Key="$SANDBOX_APIV3KEY" \
Sandbox__Merchant__RefundNotifyUrl="$base/pay/refund-notify" \
Sandbox__Platform__PrivateKeyPath="$SANDBOX_DATA_DIR/platform.key.pem" \
Sandbox__Platform__PublicKeyId="$platform_key_id" \
Sandbox__CallbackUrl="$base/wechat/callback" \
  dotnet "$sandbox_dll" --urls "$sandbox_url" >"$sandbox_log" 2>&1 &
pids+=($!)
wait_for "$sandbox_url/sandbox/health" sandbox "$!"

# --- the API, pointed at the sandbox for every WeChat and WeChat Pay call ---------------------------------------
echo "[start] API on $base (MariaDB 127.0.0.1:$MYSQL_PORT, Redis $ConnectionStrings__Redis)"
WeChat__ApiBaseUrl="$sandbox_url" \
WeChat__OAuthBaseUrl="$sandbox_url" \
WeChat__MpBaseUrl="$sandbox_url" \
WeChat__OfficialAccount__AppId="$oa_appid" \
WeChat__OfficialAccount__AppSecret="$SANDBOX_OA_APPSECRET" \
WeChat__OfficialAccount__Token="$SANDBOX_OA_TOKEN" \
WeChat__OfficialAccount__EncodingAESKey="$SANDBOX_OA_AESKEY" \
WeChat__MiniProgram__AppId="$mp_appid" \
WeChat__MiniProgram__AppSecret="$SANDBOX_MP_APPSECRET" \
WeChatPay__MchId="$mchid" \
WeChatPay__ApiV3Key="$SANDBOX_APIV3KEY" \
WeChatPay__MerchantSerialNo="$SANDBOX_MERCHANT_SERIAL" \
WeChatPay__MerchantPrivateKeyPath="$SANDBOX_DATA_DIR/merchant.key.pem" \
WeChatPay__PlatformPublicKeyId="$platform_key_id" \
WeChatPay__PlatformPublicKeyPath="$SANDBOX_DATA_DIR/platform.pub.pem" \
WeChatPay__NotifyUrl="$base/pay/notify" \
WeChatPay__RefundNotifyUrl="$base/pay/refund-notify" \
WeChatPay__ApiBaseUrl="$sandbox_url" \
Payments__PaidTemplateId="${PAID_TEMPLATE_ID:-sandbox_order_paid}" \
Shop__H5Path="$shop_h5" \
  bash -c 'cd "$1/src/WeChatMall.Api" && shift && exec dotnet bin/Release/net10.0/WeChatMall.Api.dll "$@"' _ "$ROOT" "${args[@]}" &
api_pid=$!
pids+=($api_pid)
wait_for "$base/health/ready" API "$api_pid"

# A demo owner for the console (local demo only; idempotent: an existing demo-owner is left as it is).
printf '%s\n' 'demo-owner-pass' | (cd "$ROOT/src/WeChatMall.Api" && dotnet bin/Release/net10.0/WeChatMall.Api.dll operators create-owner \
  --username demo-owner --password-stdin --if-absent) >/dev/null || echo "[start] could not create the demo owner" >&2

API_URL="$base" SANDBOX_URL="$sandbox_url" "$ROOT/scripts/seed-demo.sh"

echo "[start] API:            $base   (health: $base/health/ready)"
echo "[start] API reference:  $base/scalar"
echo "[start] Console:        $base/console/   (docs/console.md)"
echo "[start] OpenAPI:        $base/openapi/v1.json"
[ -n "$shop_h5" ] && echo "[start] Shop (H5):      $base/shop/   (sign in and pay through the sandbox: dev only)"
echo "[start] Operator:       demo-owner / demo-owner-pass   (owner; local demo only, see docs/operators.md)"
echo "[start] Follower page:  $sandbox_url/   (act as a WeChat follower: subscribe, send \"hello\", tap the menu)"
echo "[start] Sandbox JSON:   $sandbox_url/sandbox/messages, /sandbox/calls, /sandbox/callbacks"
echo "[start] Ctrl-C stops the API and the sandbox"
wait "$api_pid"
