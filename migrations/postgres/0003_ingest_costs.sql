-- What ingest pays per row, cut to what it needs (measurements in docs/benchmarks.md).

-- 1. No per-row foreign-key checks. A foreign key is enforced by a trigger fired for every
-- inserted row (a lookup in `points` and a row lock on it): about 40 % of the cost of inserting
-- a response, paid again by every new rollup row. Ingest resolves each response's point in the
-- same request, so the reference cannot name a missing point as long as points are never
-- deleted or renumbered, which the triggers below make a rule of the database instead.
alter table responses drop constraint responses_point_id_fkey;
alter table rollups drop constraint rollups_point_id_fkey;

create function points_are_permanent() returns trigger language plpgsql as $$
begin
    raise exception 'survey points are permanent: responses and rollups refer to them by id';
end;
$$;
create trigger points_no_delete before delete on points
    for each row execute function points_are_permanent();
create trigger points_keep_id before update of id on points
    for each row when (old.id is distinct from new.id) execute function points_are_permanent();

-- 2. A log record's ids are 16 mostly random bytes each (8 KB per full batch): compression never
-- shrinks them, so PostgreSQL is told not to try (it did, on every record).
alter table response_log alter column response_ids set storage external;
