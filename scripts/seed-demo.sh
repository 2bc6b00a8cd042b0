#!/usr/bin/env bash
# Seeds demo data through the public admin API and the sandbox, idempotently (run it as often as you like):
# auto-reply rules (welcome, a channel welcome for QR scene "store-1", keywords "hello" and "menu", a default reply,
# a menu-click reply), the custom menu (published through the API), a small tea catalog, two member tiers, a followers
# segment and a welcome journey. Add further demo data as
# more functions below.
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

# Published by the app (PUT /admin/channels/menu → WeChat's menu/create, i.e. the sandbox); the same menu each time.
seed_menu() {
  admin -X PUT "$API_URL/admin/channels/menu" -d '{"button":[
    {"type":"click","name":"Today'\''s offer","key":"TODAY_OFFER"},
    {"name":"Shop","sub_button":[{"type":"view","name":"Mall","url":"https://example.com/"}]}]}' >/dev/null
  log "menu published"
}

# A category with two products (names are the idempotency key); stock is topped up to at least 100 on each run.
seed_catalog() {
  local category product
  category=$(admin "$API_URL/admin/catalog/categories" | jq -r '.[] | select(.name == "Demo tea") | .id' | head -1)
  if [ -z "$category" ]; then
    category=$(admin -X POST "$API_URL/admin/catalog/categories" -d '{"name":"Demo tea"}' | jq -r .id)
    log "category 'Demo tea' created"
  fi
  demo_product "$category" "West Lake Longjing 250g" '[{"spec":[{"name":"grade","value":"Mingqian"}],"priceFen":16800,"stock":100,"code":"DEMO-LJ-MQ"},{"spec":[{"name":"grade","value":"Yuqian"}],"priceFen":9800,"stock":100,"code":"DEMO-LJ-YQ"}]'
  demo_product "$category" "Anji white tea 100g" '[{"spec":[{"name":"size","value":"100g"}],"priceFen":6800,"stock":100,"code":"DEMO-AJ-100"}]'
}

demo_product() {
  local category="$1" title="$2" skus="$3"
  if admin -G "$API_URL/admin/catalog/products" --data-urlencode "q=$title" | jq -e --arg t "$title" 'any(.items[]; .title == $t)' >/dev/null; then
    log "product '$title' exists"
  else
    admin -X POST "$API_URL/admin/catalog/products" -d "$(jq -nc --argjson c "$category" --arg t "$title" --argjson s "$skus" \
      '{categoryId: $c, title: $t, subtitle: "Demo product", images: ["https://img.example.com/tea.jpg"], onShelf: true, skus: $s}')" >/dev/null
    log "product '$title' created"
  fi
}

# Tiers by lifetime spend: Silver from 500 yuan (5 % off), Gold from 2,000 yuan (10 % off, ×1.5 points).
seed_tiers() {
  tier silver '{"code":"silver","name":"Silver","rank":10,"minSpendFen":50000,"discountBasisPoints":500,"pointsMultiplierPercent":100}'
  tier gold '{"code":"gold","name":"Gold","rank":20,"minSpendFen":200000,"discountBasisPoints":1000,"pointsMultiplierPercent":150}'
}

tier() {
  if admin "$API_URL/admin/tiers" | jq -e --arg c "$1" 'any(.[]; .code == $c)' >/dev/null; then
    log "tier '$1' exists"
  else
    admin -X POST "$API_URL/admin/tiers" -d "$2" >/dev/null
    log "tier '$1' created"
  fi
}

# A segment of the followers, and a welcome journey (docs/journeys.md): a member who follows the Official Account gets
# a customer-service text inside WeChat's one-minute window after the follow. To see it in the sandbox: open
# $API_URL/api/oauth/authorize?scope=userinfo&returnUrl=/shop/ (web OAuth signs you in as the sandbox's first demo
# follower, which makes that follower a member), then follow as that follower on the sandbox's follower page: the
# welcome arrives within a few seconds. (The journey reaches members: a follower who never signed in becomes one only
# when the follow links it by UnionID to a mini-program member, docs/members.md.)
seed_journeys() {
  if admin "$API_URL/admin/segments" | jq -e 'any(.[]; .name == "demo: followers")' >/dev/null; then
    log "segment 'demo: followers' exists"
  else
    admin -X POST "$API_URL/admin/segments" -d '{"name":"demo: followers","rule":{"field":"following","op":"=","value":true}}' >/dev/null
    log "segment 'demo: followers' created"
  fi
  if admin "$API_URL/admin/journeys" | jq -e 'any(.[]; .name == "demo: welcome journey")' >/dev/null; then
    log "journey 'demo: welcome journey' exists"
    return
  fi
  local id
  id=$(admin -X POST "$API_URL/admin/journeys" -d '{"name":"demo: welcome journey","trigger":{"type":"followed"},"steps":[
    {"type":"send","channels":["text"],"content":{"text":"欢迎关注，您已是会员！回复 menu 看看我们能做什么。"}}]}' | jq -r .id)
  admin -X POST "$API_URL/admin/journeys/$id/activate" >/dev/null
  log "journey 'demo: welcome journey' created and active"
}

seed_auto_replies
seed_menu
seed_catalog
seed_tiers
seed_journeys
