#!/usr/bin/env bash
# Runs every test of the solution against the real MariaDB and Redis (started if needed) and ends with one
# line "N passed, N failed, N skipped" totalled over all test projects, plus one check that `dotnet format` would change
# nothing (.editorconfig; SKIP_FORMAT_CHECK=1 skips it) and one that the shop's mini-program build is sound
# (scripts/check-shop-mp.sh; SKIP_SHOP_MP_CHECK=1 skips it). Extra arguments go to `dotnet test`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# --cluster: the integration tests against Galera + Redis Cluster instead (scripts/cluster-test.sh, docs/scale-out.md).
if [ "${1:-}" = "--cluster" ]; then shift; exec "$ROOT/scripts/cluster-test.sh" "$@"; fi
cd "$ROOT"
# MYSQL_PORT, REDIS_PORT, WECHATMALL_DATA_DIR … → the tests' WECHATMALL_TEST_MYSQL / WECHATMALL_TEST_REDIS (exported).
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"

"$ROOT/scripts/services.sh" start || { echo "could not start MariaDB/Redis"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# The browser test (tests/WeChatMall.Browser.Tests) drives Debian's chromium through Playwright; without it that
# test fails with a hint rather than skipping.
if ! command -v chromium >/dev/null 2>&1; then
  echo "[test] installing chromium with apt (for the browser test)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; } \
    || echo "[test] could not install chromium; the browser test will fail"
fi

# The shop's browser tests (ShopTests, OffersShopTests) drive the sandbox H5 build of src/WeChatMall.Shop (npm; skipped when up to date).
# shellcheck source=lib/shop.sh
source "$ROOT/scripts/lib/shop.sh"
shop_build h5:sandbox || echo "[test] the H5 shop could not be built; the shop's browser tests will fail"
# The console's browser tests need it built (Node.js and npm installed with apt if missing).
# shellcheck source=lib/console.sh
source "$ROOT/scripts/lib/console.sh"
build_console || echo "[test] the console did not build: its browser tests will fail"

log="$(mktemp)"
dotnet test "$ROOT/WeChatMall.sln" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# dotnet test prints one summary line per assembly, e.g. "Passed!  - Failed: 0, Passed: 6, Skipped: 0, Total: 6".
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!  - Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"
if [ "$rc" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi   # a build or runner failure counts as a failure

# Style is settled by .editorconfig: code that `dotnet format` would change counts as one failure (fix: dotnet format).
if [ "${SKIP_FORMAT_CHECK:-0}" != "1" ]; then
  if dotnet format "$ROOT/WeChatMall.sln" --verify-no-changes --no-restore >/dev/null 2>&1; then
    passed=$(( ${passed:-0} + 1 ))
  else
    echo "[test] dotnet format --verify-no-changes: files need formatting (run: dotnet format WeChatMall.sln)"
    failed=$(( ${failed:-0} + 1 )); rc=1
  fi
fi
# The mini-program build of the shop: every page in app.json exists, the API URL and AppID come from configuration.
if [ "${SKIP_SHOP_MP_CHECK:-0}" != "1" ]; then
  if bash "$ROOT/scripts/check-shop-mp.sh"; then passed=$(( ${passed:-0} + 1 )); else failed=$(( ${failed:-0} + 1 )); rc=1; fi
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$rc"
