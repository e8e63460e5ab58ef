-- TRUNCATE of the append-only tables (issue 17 item 2). Keep in step with
-- ../postgres/0011_refuse_truncate.sql.

-- Nothing to add here, and the number is kept so both directories move together. SQLite has no
-- TRUNCATE; its nearest, `delete from responses` without a where clause, would be run by the
-- "truncate optimisation" that skips row triggers, but SQLite turns that optimisation off for a
-- table with triggers, so 0001's `before delete` row triggers refuse it like any delete
-- (tested: tests/api/integrity.rs). The one statement below does nothing.
select 1;
