# shellcheck shell=bash
# build_console: builds the merchant console (src/WeChatMall.Console) into its dist/, which the API serves under
# /console. Installs Node.js and npm with apt when missing (a fresh Debian has only .NET), runs `npm ci` when the lock
# file changed since the last install, and `npm run build` (typed client from docs/api/openapi.json, type check, Vite)
# when a source is newer than the last build. Answers non-zero when the build failed; the API still starts without it.
build_console() {
  local dir="$ROOT/src/WeChatMall.Console"
  if ! command -v npm >/dev/null 2>&1; then
    echo "[console] installing Node.js and npm with apt"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null; } \
      || { echo "[console] could not install Node.js/npm: the console is not built" >&2; return 1; }
  fi
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "[console] npm ci"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "[console] npm ci failed" >&2; return 1; }
  fi
  local stamp="$dir/dist/index.html"
  if [ -f "$stamp" ] && [ -z "$(find "$dir/src" "$dir/index.html" "$dir/package-lock.json" "$dir/vite.config.ts" \
        "$dir/tsconfig.json" "$ROOT/docs/api/openapi.json" -newer "$stamp" -not -name schema.d.ts -print -quit)" ]; then
    return 0
  fi
  echo "[console] npm run build"
  (cd "$dir" && npm run build --silent >"$dir/build.log" 2>&1) \
    || { echo "[console] build failed (see src/WeChatMall.Console/build.log)" >&2; tail -20 "$dir/build.log" >&2; return 1; }
}
