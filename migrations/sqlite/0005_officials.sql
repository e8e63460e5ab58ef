-- The officials' side (issue 14). Keep in step with ../postgres/0005_officials.sql.

-- Disabling a user or changing their password refuses every token issued before, at once and
-- on every instance: a token carries the generation it was issued under, and each request
-- compares it with this row (one primary-key read).
alter table users add column active integer not null default 1;
alter table users add column token_generation integer not null default 0;

-- Who keyed in a staff-channel response (paper, phone, interview, observation) and the batch
-- label they gave it. Kept beside the response, outside its hashed payload, written in the same
-- transaction as the response it describes.
create table entries (
    response_id blob primary key references responses(id),
    entered_by integer not null references users(id),
    entry_batch text
);
create index entries_batch on entries(entry_batch);
