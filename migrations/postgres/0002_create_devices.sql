-- Kiosk devices (contract §6); see the SQLite migration for the meaning of each column.

create table enrolment_codes (
    code text primary key,
    org_id bigint not null references orgs(id),
    point_id bigint references points(id),
    pin text not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
);

create table devices (
    id text primary key,
    name text not null,
    org_id bigint not null references orgs(id),
    point_id bigint references points(id),
    token_hash bytea not null unique,
    enrolled_at timestamptz not null,
    last_seen timestamptz,
    revoked_at timestamptz,
    created_at timestamptz not null default now()
);

create index responses_device_seq on responses(device, seq) where device is not null;
