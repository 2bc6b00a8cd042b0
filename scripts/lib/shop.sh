#!/usr/bin/env bash
# The shopper's mall (src/WeChatMall.Shop, uni-app): Node/npm, `npm ci` and the builds, each skipped when up to date.
# Sourced by start.sh (the H5 build the API serves under /shop) and test.sh (that build for the browser tests, and
# the mp-weixin build checked by scripts/check-shop-mp.sh). Node and npm come from apt when missing (CI is a fresh
# Debian with only .NET).

SHOP_DIR="${WECHATMALL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/src/WeChatMall.Shop"

shop_log() { echo "[shop] $*"; }

shop_ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  shop_log "installing nodejs and npm with apt"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
}

# True when $1 exists and nothing the build reads is newer than it.
shop_up_to_date() {
  local stamp="$1"
  [ -e "$stamp" ] || return 1
  [ -z "$(find "$SHOP_DIR/src" "$SHOP_DIR/package-lock.json" "$SHOP_DIR/vite.config.ts" "$SHOP_DIR"/.env* \
      "$SHOP_DIR/../../docs/api/openapi.json" -newer "$stamp" -not -name schema.d.ts -print -quit 2>/dev/null)" ]
}

shop_npm_ci() {
  shop_ensure_node || return 1
  local stamp="$SHOP_DIR/node_modules/.package-lock.json"
  if [ -e "$stamp" ] && [ ! "$SHOP_DIR/package-lock.json" -nt "$stamp" ]; then return 0; fi
  shop_log "npm ci (src/WeChatMall.Shop)"
  (cd "$SHOP_DIR" && npm ci --no-audit --no-fund --loglevel=error)
}

# shop_build h5|h5:sandbox|mp-weixin [extra env assignments...]: builds into dist/build/<platform>, skipped when up to date.
shop_build() {
  local target="$1"; shift
  local out="$SHOP_DIR/dist/build/${target%%:*}"
  local stamp="$out/.built-$target"
  if shop_up_to_date "$stamp" && [ $# -eq 0 ]; then shop_log "$target build is up to date"; return 0; fi
  shop_npm_ci || return 1
  shop_log "building $target"
  rm -rf "$out"
  (cd "$SHOP_DIR" && env "$@" npm run --silent "build:$target" >"$SHOP_DIR/dist-build-$target.log" 2>&1) || {
    shop_log "build:$target failed; see $SHOP_DIR/dist-build-$target.log"; tail -20 "$SHOP_DIR/dist-build-$target.log" >&2; return 1; }
  touch "$stamp"
}
