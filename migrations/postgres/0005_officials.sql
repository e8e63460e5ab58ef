-- The officials' side (issue 14); see the SQLite migration.
alter table users add column active boolean not null default true;
alter table users add column token_generation bigint not null default 0;

create table entries (
    response_id uuid primary key,
    entered_by bigint not null references users(id),
    entry_batch text
);
create index entries_batch on entries(entry_batch);
