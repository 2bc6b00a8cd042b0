-- 限购 (issue #13): most units of a SKU one member may hold in orders that are not cancelled (paid or unpaid).
-- NULL = no limit. Checked by PurchaseLimits inside the order transaction, after the member row is locked.
-- Re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

ALTER TABLE catalog_skus ADD COLUMN IF NOT EXISTS purchase_limit INT NULL CHECK (purchase_limit IS NULL OR purchase_limit > 0) AFTER stock;
