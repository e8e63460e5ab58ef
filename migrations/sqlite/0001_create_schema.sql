-- Otklik schema, SQLite dialect. Keep in step with ../postgres/0001_create_schema.sql.

create table settings (
    key text primary key,
    value text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The org tree. `path` is the materialised path of ids ('/1/4/9/') so that a subtree is one
-- indexed prefix match on both backends.
create table orgs (
    id integer primary key,
    code text not null unique,
    name text not null,
    kind text not null,
    parent_id integer references orgs(id),
    path text not null unique,
    sector text,
    tz text not null,
    settlement text,
    bus_gov_id text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
create index orgs_parent on orgs(parent_id);

create table users (
    id integer primary key,
    login text not null unique,
    password_hash text not null,
    role text not null,
    scope_org_id integer references orgs(id),
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Every published questionnaire version, immutable. `definition` is the JSON of shared's
-- `Questionnaire`.
create table questionnaires (
    id text not null,
    version integer not null,
    definition text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (id, version)
);

create table life_situations (
    code text primary key,
    definition text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A survey point: the QR target. `institution_id` is the institution the point reports to (its
-- org, or the org's parent for a department), resolved once so stats need no tree walk.
create table points (
    id integer primary key,
    code text not null unique,
    org_id integer not null references orgs(id),
    institution_id integer not null references orgs(id),
    questionnaire text not null,
    life_situation text references life_situations(code),
    stage text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
create index points_org on points(org_id);

-- Raw responses, append-only. `id` is the client's UUID: the idempotency key, unique by the
-- primary key; `raw` is the item exactly as submitted; `payload_hash` is the SHA-256 of its
-- canonical form (what "identical" means for duplicates).
create table responses (
    id blob primary key,
    point_id integer not null references points(id),
    questionnaire text not null,
    version integer not null,
    channel text not null,
    device text,
    seq integer,
    submitted_at text not null,
    local_date text not null,
    received_at text not null,
    raw text not null,
    payload_hash blob not null
);
create index responses_point_date on responses(point_id, local_date);

-- The response log: one record per committed batch, listing the ids of the responses it
-- created (16 bytes each, in id order) and sealed in a hash chain:
-- chain_hash = sha256(previous chain_hash || log_seq || for each response: id || payload_hash).
-- One record per batch rather than per response keeps the log off the ingest hot path.
create table response_log (
    log_seq integer primary key,
    response_ids blob not null,
    chain_hash blob not null
);

create trigger responses_append_only_update before update on responses
begin
    select raise(abort, 'responses are append-only');
end;
create trigger responses_append_only_delete before delete on responses
begin
    select raise(abort, 'responses are append-only');
end;
create trigger response_log_append_only_update before update on response_log
begin
    select raise(abort, 'the response log is append-only');
end;
create trigger response_log_append_only_delete before delete on response_log
begin
    select raise(abort, 'the response log is append-only');
end;

-- Head of the hash chain: the last log_seq and its chain hash. Updating this one row is the
-- lock that serialises appends to the log, so the chain never forks.
create table chain_head (
    id integer primary key check (id = 1),
    log_seq integer not null,
    chain_hash blob not null
);
insert into chain_head (id, log_seq, chain_hash) values (1, 0, zeroblob(32));

-- Rollup counts maintained in the ingest transaction: per point, questionnaire, grain (day,
-- month, year of the institution's local date; `period` is the grain's first day), channel,
-- question and value. Question '' counts responses. Stats read whole years, then whole months,
-- then days at the ragged edges, so a query touches a bounded number of rows.
create table rollups (
    point_id integer not null references points(id),
    questionnaire text not null,
    grain text not null check (grain in ('day', 'month', 'year')),
    period text not null,
    channel text not null,
    question text not null,
    value text not null,
    count integer not null,
    primary key (point_id, questionnaire, grain, period, channel, question, value)
) without rowid;

-- НОК checklists entered by experts per institution and year (contract §5).
create table nok_checklists (
    org_id integer not null references orgs(id),
    year integer not null,
    data text not null,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    primary key (org_id, year)
);
