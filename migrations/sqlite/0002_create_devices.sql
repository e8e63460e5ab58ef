-- Kiosk devices (contract §6). Keep in step with ../postgres/0002_create_devices.sql.

-- One-time enrolment codes minted by an official or operator. `pin_hash` is the operator PIN
-- the kiosk will ask for, as sha256(code ':' pin) until the device is enrolled.
create table enrolment_codes (
    code text primary key,
    org_id integer not null references orgs(id),
    point_id integer references points(id),
    pin text not null,
    expires_at text not null,
    used_at text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Enrolled tablets. The bearer token is kept only as its SHA-256.
create table devices (
    id text primary key,
    name text not null,
    org_id integer not null references orgs(id),
    point_id integer references points(id),
    token_hash blob not null unique,
    enrolled_at text not null,
    last_seen text,
    revoked_at text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

create index responses_device_seq on responses(device, seq) where device is not null;
