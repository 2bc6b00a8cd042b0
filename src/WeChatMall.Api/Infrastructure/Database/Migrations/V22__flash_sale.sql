-- Issue #20: SKUs of a product flagged flash_sale go through the Redis stock gate (docs/flash-sale.md) before the
-- transactional stock decrement, and coupons never apply to them (docs/offers.md).
ALTER TABLE catalog_products ADD COLUMN IF NOT EXISTS flash_sale BOOL NOT NULL DEFAULT FALSE AFTER on_shelf;
