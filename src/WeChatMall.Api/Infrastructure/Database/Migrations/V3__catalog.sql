-- Catalog (issue #8). Sort columns order ascending (smaller first). Money is BIGINT fen, times are UTC.
-- Every statement is re-runnable: MariaDB DDL commits implicitly, so a half-applied script must be safe to retry.

CREATE TABLE IF NOT EXISTS catalog_categories (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    parent_id   BIGINT        NULL,                          -- NULL = top level
    name        VARCHAR(64)   NOT NULL,
    sort        INT           NOT NULL DEFAULT 0,
    icon_url    VARCHAR(512)  NULL,
    created_at  DATETIME(3)   NOT NULL,
    updated_at  DATETIME(3)   NOT NULL,
    KEY ix_catalog_categories_parent (parent_id, sort),
    CONSTRAINT fk_catalog_categories_parent FOREIGN KEY (parent_id) REFERENCES catalog_categories (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A product (SPU). Orders must snapshot title/spec/price: products and SKUs are deleted for real.
CREATE TABLE IF NOT EXISTS catalog_products (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    category_id      BIGINT        NOT NULL,
    title            VARCHAR(128)  NOT NULL,
    subtitle         VARCHAR(256)  NULL,
    images           LONGTEXT      NOT NULL CHECK (JSON_VALID(images)),   -- JSON array of URLs; the first is the cover
    description      MEDIUMTEXT    NULL,
    on_shelf         TINYINT(1)    NOT NULL DEFAULT 0,
    sort             INT           NOT NULL DEFAULT 0,
    points_per_yuan  INT           NULL,                     -- points-earning override; NULL = the store-wide rule
    min_price_fen    BIGINT        NOT NULL DEFAULT 0,       -- lowest SKU price, kept in step for sorting by price
    sales            INT           NOT NULL DEFAULT 0,       -- maintained by orders
    created_at       DATETIME(3)   NOT NULL,
    updated_at       DATETIME(3)   NOT NULL,
    KEY ix_catalog_products_category (category_id, on_shelf, sort),
    KEY ix_catalog_products_sales (on_shelf, sales),
    KEY ix_catalog_products_price (on_shelf, min_price_fen),
    KEY ix_catalog_products_newest (on_shelf, created_at),
    CONSTRAINT fk_catalog_products_category FOREIGN KEY (category_id) REFERENCES catalog_categories (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A sellable variant. spec_key is the canonical "name=value;..." (names sorted) so one product cannot have the
-- same spec twice (the collation makes it case-insensitive). stock >= 0 is the last guard against overselling.
-- Tier prices (members issue) will be a separate catalog_sku_tier_prices (sku_id, tier_id, price_fen) table.
CREATE TABLE IF NOT EXISTS catalog_skus (
    id                  BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    product_id          BIGINT        NOT NULL,
    spec                LONGTEXT      NOT NULL CHECK (JSON_VALID(spec)),  -- JSON array of {name, value}, display order
    spec_key            VARCHAR(400)  NOT NULL,
    price_fen           BIGINT        NOT NULL CHECK (price_fen > 0),
    original_price_fen  BIGINT        NULL CHECK (original_price_fen IS NULL OR original_price_fen > 0),
    stock               INT           NOT NULL DEFAULT 0 CHECK (stock >= 0),
    code                VARCHAR(64)   NULL,
    sort                INT           NOT NULL DEFAULT 0,
    created_at          DATETIME(3)   NOT NULL,
    updated_at          DATETIME(3)   NOT NULL,
    UNIQUE KEY ux_catalog_skus_spec (product_id, spec_key),
    UNIQUE KEY ux_catalog_skus_code (code),
    CONSTRAINT fk_catalog_skus_product FOREIGN KEY (product_id) REFERENCES catalog_products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Manual stock changes by the merchant, with the reason (orders write their own records).
CREATE TABLE IF NOT EXISTS catalog_stock_adjustments (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku_id       BIGINT        NOT NULL,
    delta        INT           NOT NULL,
    stock_after  INT           NOT NULL,
    reason       VARCHAR(255)  NOT NULL,
    created_at   DATETIME(3)   NOT NULL,
    KEY ix_catalog_stock_adjustments_sku (sku_id, id),
    CONSTRAINT fk_catalog_stock_adjustments_sku FOREIGN KEY (sku_id) REFERENCES catalog_skus (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
