#!/usr/bin/env bash
# Builds the shop for the WeChat mini-program (mp-weixin) with a check configuration and verifies the output: every
# page app.json lists exists (.js/.json/.wxml), project.config.json carries the configured AppID, the API URL in
# the bundle is the configured one, no dev-sandbox route is in it, and a build without VITE_API_BASE_URL is refused.
# Prints one line per failed check and exits non-zero on any. Used by scripts/test.sh (counted as one test).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/shop.sh
source "$ROOT/scripts/lib/shop.sh"
api_url="https://mall-api.check.example"
appid="wxcheck0000000001"
out="$SHOP_DIR/dist/build/mp-weixin"
fail=0
bad() { echo "[check-shop-mp] FAIL: $*"; fail=1; }

# Configuration is required, not defaulted: without an API URL the mp-weixin build stops (before it writes anything).
shop_npm_ci || exit 1
refused=$(cd "$SHOP_DIR" && VITE_API_BASE_URL= VITE_WX_APPID="$appid" npx uni build -p mp-weixin 2>&1)
grep -qF "VITE_API_BASE_URL must be" <<<"$refused" || bad "an mp-weixin build without VITE_API_BASE_URL was not refused"

shop_build mp-weixin VITE_API_BASE_URL="$api_url" VITE_WX_APPID="$appid" || { echo "[check-shop-mp] FAIL: the mp-weixin build failed"; exit 1; }

[ -f "$out/app.json" ] || bad "no app.json in $out"
pages=$(node -e '
  const app = require(process.argv[1]);
  const subs = (app.subPackages || app.subpackages || []).flatMap(s => s.pages.map(p => s.root.replace(/\/$/, "") + "/" + p));
  console.log([...app.pages, ...subs].join("\n"));' "$out/app.json" 2>/dev/null)
[ -n "$pages" ] || bad "app.json lists no pages"
count=0
for p in $pages; do
  count=$((count + 1))
  for ext in js json wxml; do [ -f "$out/$p.$ext" ] || bad "page $p has no $p.$ext"; done
done
expected=$(node -e 'console.log(require(process.argv[1]).pages.length)' "$SHOP_DIR/src/pages.json")
[ "$count" -eq "$expected" ] || bad "app.json lists $count pages, src/pages.json $expected"

[ "$(node -e 'console.log(require(process.argv[1]).appid)' "$out/project.config.json" 2>/dev/null)" = "$appid" ] \
  || bad "project.config.json appid is not the configured $appid"
grep -rqF "$api_url" "$out" --include=*.js || bad "the configured API URL $api_url is not in the bundle"
grep -rqE "127\.0\.0\.1|localhost:5080" "$out" --include=*.js && bad "a local API address is in the bundle"
grep -rqF "/api/dev/sandbox" "$out" --include=*.js && bad "a dev-sandbox route is in the mini-program bundle"


[ $fail -eq 0 ] && echo "[check-shop-mp] ok: $count pages, appid $appid, API $api_url"
exit $fail
