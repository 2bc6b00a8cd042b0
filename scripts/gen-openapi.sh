#!/usr/bin/env bash
# Rewrites docs/api/openapi.json from the API as it is now (the console's and the shop's typed clients are generated
# from that file). Needs the test servers (scripts/services.sh start); commit the result.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/services.sh" start >/dev/null
UPDATE_OPENAPI=1 dotnet test "$ROOT/tests/WeChatMall.Api.Tests" --filter "FullyQualifiedName~OpenApiSnapshotTests" -v q
echo "[gen-openapi] wrote docs/api/openapi.json"
