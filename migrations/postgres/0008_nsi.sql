-- НСИ baselines, approved targets and process-time measurements (issue 16, contract §5 «НСИ»).
-- Keep in step with ../sqlite/0008_nsi.sql, which explains each table.

-- Targets: a `PUT` appends the next version of its key; the current value is the highest.
create table nsi_targets (
    org_id bigint not null references orgs(id),
    life_situation text not null,
    kpi text not null check (kpi in ('satisfied', 'nps', 'time')),
    year integer not null,
    version integer not null,
    value double precision not null,
    unit text check (unit in ('days', 'hours', 'minutes')),
    method text not null check (method in ('gap25', 'position', 'manual')),
    source text not null,
    approved_by text not null,
    approved_at text not null,
    entered_by text not null,
    entered_at text not null,
    check ((kpi = 'time') = (unit is not null)),
    primary key (org_id, life_situation, kpi, year, version)
);

-- Baselines, versioned the same way.
create table nsi_baselines (
    org_id bigint not null references orgs(id),
    life_situation text not null,
    kpi text not null check (kpi in ('satisfied', 'nps', 'time')),
    version integer not null,
    value double precision not null,
    unit text check (unit in ('days', 'hours', 'minutes')),
    period text not null,
    source text not null,
    entered_by text not null,
    entered_at text not null,
    check ((kpi = 'time') = (unit is not null)),
    primary key (org_id, life_situation, kpi, version)
);

-- Process-time measurements; `measured_on` is the institution's local date.
create table nsi_time_measurements (
    id bigserial primary key,
    org_id bigint not null references orgs(id),
    life_situation text not null,
    stage text,
    value double precision not null check (value > 0),
    unit text not null check (unit in ('days', 'hours', 'minutes')),
    measured_on text not null,
    entered_by text not null,
    entered_at text not null
);
create index nsi_time_measurements_by_situation
    on nsi_time_measurements (life_situation, measured_on);

-- Versions are history: nothing is edited or removed once stored (append_only() is 0001's).
create trigger nsi_targets_append_only before update or delete on nsi_targets
    for each row execute function append_only();
create trigger nsi_baselines_append_only before update or delete on nsi_baselines
    for each row execute function append_only();
