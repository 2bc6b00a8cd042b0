#!/usr/bin/env bash
# Starts everything a newcomer needs to see the service: MariaDB + Redis (scripts/services.sh), then the API,
# which applies pending migrations at startup. Extra arguments pass through to the API, e.g.
#   scripts/start.sh --urls http://127.0.0.1:8080
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

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
base="${urls%%;*}"
echo "[start] API:            $base   (health: $base/health/ready)"
echo "[start] API reference:  $base/scalar"
echo "[start] OpenAPI:        $base/openapi/v1.json"
exec dotnet run --project "$ROOT/src/WeChatMall.Api" -c Release --no-build -- "${args[@]}"
