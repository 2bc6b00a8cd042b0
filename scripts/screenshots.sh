#!/usr/bin/env bash
# Takes the console's screenshots into docs/console/ (the README shows them): builds the console, then runs the
# browser test ConsoleScreenshots with CONSOLE_SCREENSHOTS_DIR set, against real MariaDB + Redis and the sandbox.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/env.sh
source "$ROOT/scripts/lib/env.sh"
# shellcheck source=lib/console.sh
source "$ROOT/scripts/lib/console.sh"
"$ROOT/scripts/services.sh" start
build_console
CONSOLE_SCREENSHOTS_DIR="$ROOT/docs/console" dotnet test "$ROOT/tests/WeChatMall.Browser.Tests" -v q \
  --filter "FullyQualifiedName~ConsoleScreenshots"
echo "[screenshots] written to docs/console/"
