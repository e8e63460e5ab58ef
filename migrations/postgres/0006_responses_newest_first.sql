-- Comments newest first (issue 14). Keep in step with ../sqlite/0006_responses_newest_first.sql.

-- `GET /api/v1/comments` pages through responses newest first with a keyset on
-- (submitted_at, id): this index lets a page read from where the previous one ended and stop
-- after its rows, instead of sorting every response of the subtree (measured on 500,000
-- responses: 0.7–1.1 s a page without it, 12–30 ms with it; docs/benchmarks.md).
create index responses_submitted on responses(submitted_at, id);

-- Org paths hold only digits and '/', so the C collation orders them exactly as before; with
-- it the planner's statistics answer `path like '/1/%'` (a subtree) from the histogram. Under
-- a language collation they cannot, the planner guessed one org for any subtree and sorted a
-- whole region's responses for each comment page (0.35–0.6 s on 200,000–500,000 responses)
-- instead of walking `responses_submitted` (1 ms).
alter table orgs alter column path type text collate "C";
