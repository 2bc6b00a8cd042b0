#!/usr/bin/env bash
# Seeds demo data through the public admin API and the sandbox, idempotently (run it as often as you like):
# auto-reply rules (welcome, a channel welcome for QR scene "store-1", keywords "hello" and "menu", a default reply,
# a menu-click reply) and the sandbox's custom menu. Add further demo data (e.g. a catalog) as more functions below.
#
#   API_URL [http://127.0.0.1:5080]   SANDBOX_URL [http://127.0.0.1:5090]   ADMIN_KEY [dev-admin-key-change-me]
set -euo pipefail
API_URL="${API_URL:-http://127.0.0.1:5080}"
SANDBOX_URL="${SANDBOX_URL:-http://127.0.0.1:5090}"
ADMIN_KEY="${ADMIN_KEY:-dev-admin-key-change-me}"

log() { echo "[seed] $*"; }
admin() { curl -fsS -H "X-Admin-Key: $ADMIN_KEY" -H 'Content-Type: application/json' "$@"; }

# Creates the rule unless one with the same name exists (names are the idempotency key of the demo data).
rule() {
  local name="$1" body="$2"
  if admin "$API_URL/admin/auto-replies" | jq -e --arg n "$name" 'any(.[]; .name == $n)' >/dev/null; then
    log "rule '$name' exists"
  else
    admin -X POST "$API_URL/admin/auto-replies" -d "$(jq -c --arg n "$name" '. + {name: $n}' <<<"$body")" >/dev/null
    log "rule '$name' created"
  fi
}

seed_auto_replies() {
  rule "demo: welcome" '{"trigger":"subscribe","replies":[{"type":"text","content":"Welcome to WeChatMall! Reply \"menu\" to see what we can do."}]}'
  rule "demo: store-1 welcome" '{"trigger":"subscribe","pattern":"store-1","replies":[{"type":"text","content":"Welcome, guest of store 1! Show this message at the till for a free sample."}]}'
  rule "demo: store-1 scan" '{"trigger":"scan","pattern":"store-1","replies":[{"type":"text","content":"Welcome back to store 1!"}]}'
  rule "demo: hello" '{"trigger":"keyword","matchType":"exact","pattern":"hello","replies":[{"type":"text","content":"Hi! How can we help you today?"}]}'
  rule "demo: menu" '{"trigger":"keyword","matchType":"exact","pattern":"menu","replies":[{"type":"text","content":"Reply \"hello\" to say hi, or tap \"Today'\''s offer\" in the menu."}]}'
  rule "demo: today offer" '{"trigger":"click","pattern":"TODAY_OFFER","replies":[{"type":"text","content":"Today'\''s offer: 20% off all green tea."}]}'
  rule "demo: default" '{"trigger":"default","replies":[{"type":"text","content":"Sorry, we did not catch that. Reply \"menu\" for options."}]}'
}

# Later the app creates the menu itself (cgi-bin/menu/create); for now the sandbox is told directly.
seed_menu() {
  curl -fsS -X PUT -H 'Content-Type: application/json' "$SANDBOX_URL/sandbox/menu" -d '{"button":[
    {"type":"click","name":"Today'\''s offer","key":"TODAY_OFFER"},
    {"name":"Shop","sub_button":[{"type":"view","name":"Mall","url":"https://example.com/"}]}]}' >/dev/null
  log "sandbox menu set"
}

seed_auto_replies
seed_menu
