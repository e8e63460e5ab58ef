-- Survey points are permanent: responses and rollups refer to them by id. On PostgreSQL this
-- rule replaces the per-row foreign-key checks of ingest (see its 0003 migration); here the
-- foreign keys stay (SQLite checks them cheaply), and the rule is the same on both backends.
create trigger points_no_delete before delete on points
begin
    select raise(abort, 'survey points are permanent: responses and rollups refer to them by id');
end;
create trigger points_keep_id before update of id on points when old.id is not new.id
begin
    select raise(abort, 'survey points are permanent: responses and rollups refer to them by id');
end;
