#!/usr/bin/env bash
# Rewrites the phone-size screenshots of the shop's main pages in docs/shop/ (referenced from docs/shop.md): runs the
# shop's browser tests (tests/WeChatMall.Browser.Tests: ShopTests, and OffersShopTests for sign-in, the coupon centre,
# my coupons, the points mall and checkout with a coupon) with SHOP_SCREENSHOTS_DIR=docs/shop. Needs what
# scripts/test.sh needs (MariaDB + Redis via scripts/services.sh, chromium, Node); installs a CJK font when missing so
# the Chinese text renders. Commit the result.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"
# shellcheck source=lib/shop.sh
source "$ROOT/scripts/lib/shop.sh"
"$ROOT/scripts/services.sh" start >/dev/null
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-wqy-microhei >/dev/null
fi
command -v chromium >/dev/null 2>&1 || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; }
shop_build h5:sandbox
SHOP_SCREENSHOTS_DIR="$ROOT/docs/shop" dotnet test "$ROOT/tests/WeChatMall.Browser.Tests" --filter "FullyQualifiedName~ShopTests" -v q
echo "[shop-screenshots] wrote $(ls "$ROOT/docs/shop"/*.png | wc -l) screenshots to docs/shop/"
