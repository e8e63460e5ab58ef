-- Comments newest first (issue 14). Keep in step with ../postgres/0006_responses_newest_first.sql.

-- `GET /api/v1/comments` pages through responses newest first with a keyset on
-- (submitted_at, id): this index lets a page read from where the previous one ended and stop
-- after its rows, instead of sorting every response of the subtree (measured on 500,000
-- responses: 0.7–1.1 s a page without it, 12–30 ms with it; docs/benchmarks.md).
create index responses_submitted on responses(submitted_at, id);
