#!/usr/bin/env bash
# A shopper's whole path through the running demo (scripts/start.sh), with the sandbox playing WeChat and WeChat Pay:
# wx.login → member session → cart → address → order → prepay (wx.requestPayment parameters) → the shopper pays in
# "WeChat" → signed notification → order paid, points earned, paid message → the merchant ships → WeChat receives the
# shipping info → the shopper confirms receipt. Prints each step; safe to run again (a new shopper each time).
#
#   API_URL [http://127.0.0.1:5080]   SANDBOX_URL [http://127.0.0.1:5090]   ADMIN_KEY [dev-admin-key-change-me]
set -euo pipefail
API_URL="${API_URL:-http://127.0.0.1:5080}"
SANDBOX_URL="${SANDBOX_URL:-http://127.0.0.1:5090}"
ADMIN_KEY="${ADMIN_KEY:-dev-admin-key-change-me}"

step() { printf '\n== %s\n' "$*"; }
json() { curl -fsS -H 'Content-Type: application/json' "$@"; }
member() { json -H "Authorization: Bearer $TOKEN" "$@"; }
admin() { json -H "X-Admin-Key: $ADMIN_KEY" "$@"; }

OPENID="o_demo_$(date +%s)_$RANDOM"
step "wx.login in the mini-program ($OPENID) → POST /api/auth/login"
CODE=$(json -X POST "$SANDBOX_URL/sandbox/miniprogram/codes" -d "{\"openId\":\"$OPENID\"}" | jq -r .code)
TOKEN=$(json -X POST "$API_URL/api/auth/login" -d "{\"code\":\"$CODE\"}" | tee /dev/stderr | jq -r .token)

step "browse: the demo Longjing (GET /api/catalog/products?q=Longjing)"
SKU=$(json "$API_URL/api/catalog/products?q=Longjing" | jq -r '.items[0].id' | xargs -I{} curl -fsS "$API_URL/api/catalog/products/{}" | jq -r '.skus[0].id')
echo "sku $SKU"

step "cart: 2 × SKU $SKU (POST /api/cart/items), address (POST /api/me/addresses)"
member -X POST "$API_URL/api/cart/items" -d "{\"skuId\":$SKU,\"quantity\":2}" >/dev/null
ADDRESS=$(member -X POST "$API_URL/api/me/addresses" -d '{"recipient":"Zhang San","phone":"13812345678","province":"Zhejiang","city":"Hangzhou","district":"Xihu","detail":"1 Longjing Road"}' | jq -r .id)
member "$API_URL/api/cart" | jq -c '{lines: [.lines[] | {skuId, quantity, priceFen, available}]}'

step "place the order (POST /api/orders, Idempotency-Key)"
ORDER=$(member -X POST -H "Idempotency-Key: demo-$OPENID" "$API_URL/api/orders" -d "{\"cartSkuIds\":[$SKU],\"addressId\":$ADDRESS}")
ORDER_NO=$(jq -r .orderNo <<<"$ORDER")
jq -c '{orderNo, status, goodsFen, discountFen, shippingFen, payableFen, expiresAt}' <<<"$ORDER"

step "pay (POST /api/orders/$ORDER_NO/pay) → wx.requestPayment parameters"
member -X POST "$API_URL/api/orders/$ORDER_NO/pay" | jq -c .

step "the shopper confirms in WeChat: the sandbox pays and posts a signed TRANSACTION.SUCCESS to /pay/notify"
json -X POST "$SANDBOX_URL/sandbox/pay/$ORDER_NO/pay" | jq -c .
for _ in $(seq 1 50); do
  STATUS=$(member "$API_URL/api/orders/$ORDER_NO" | jq -r .status)
  [ "$STATUS" = paid ] && break
  sleep 0.2
done
member "$API_URL/api/orders/$ORDER_NO" | jq -c '{orderNo, status, payableFen, pointsEarned, paidAt}'
member "$API_URL/api/me" | jq -c '{id, pointsBalance, inviteCode, loyalty}'
sleep 1
echo "messages the shopper received:"; curl -fsS "$SANDBOX_URL/sandbox/messages?openid=$OPENID" | jq -c '.[]' | cut -c1-300 | head -3

step "the merchant ships (POST /admin/orders/$ORDER_NO/ship) → shipping info uploaded to WeChat via the outbox"
admin -X POST "$API_URL/admin/orders/$ORDER_NO/ship" -d '{"carrier":"SF","trackingNo":"SF1234567890"}' | jq -c '{orderNo, status, carrier, trackingNo}'
sleep 2
curl -fsS "$SANDBOX_URL/sandbox/calls?route=/wxa/sec/order/upload_shipping_info" | jq -c '.[-1].body // .[-1]' | head -c 400; echo

step "the shopper confirms receipt (POST /api/orders/$ORDER_NO/confirm-receipt)"
member -X POST "$API_URL/api/orders/$ORDER_NO/confirm-receipt" | jq -c '{orderNo, status}'
