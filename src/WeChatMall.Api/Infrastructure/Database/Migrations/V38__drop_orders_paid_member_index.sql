-- Segments no longer group the orders of a window (V37 keeps what they need in member_stats): the covering index V34
-- added for that is read by nothing, and every order write paid for it.
ALTER TABLE orders DROP INDEX IF EXISTS ix_orders_paid_member;
