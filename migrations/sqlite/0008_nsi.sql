-- НСИ baselines, approved targets and process-time measurements (issue 16, contract §5 «НСИ»).
-- Keep in step with ../postgres/0008_nsi.sql.

-- Targets are approved data (domain.md §4): per KPI × life situation × scope (the org) × year.
-- A `PUT` never updates in place: it appends the next `version` of its key, so the history of
-- who approved what and when stays readable, and the current value is the highest version.
-- `unit` is set for the time KPI only (a duration in its own unit, never a percentage).
create table nsi_targets (
    org_id integer not null references orgs(id),
    life_situation text not null,
    kpi text not null check (kpi in ('satisfied', 'nps', 'time')),
    year integer not null,
    version integer not null,
    value real not null,
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

-- Baselines per KPI × life situation × org, versioned the same way; `period` is what was
-- measured (`2025Q4`, or a year for an imported external value).
create table nsi_baselines (
    org_id integer not null references orgs(id),
    life_situation text not null,
    kpi text not null check (kpi in ('satisfied', 'nps', 'time')),
    version integer not null,
    value real not null,
    unit text check (unit in ('days', 'hours', 'minutes')),
    period text not null,
    source text not null,
    entered_by text not null,
    entered_at text not null,
    check ((kpi = 'time') = (unit is not null)),
    primary key (org_id, life_situation, kpi, version)
);

-- Process-time measurements per institution × life situation × optional stage: each is one
-- person's path timed, in its unit; `measured_on` is the institution's local date, which puts
-- it in a quarter the same way responses are.
create table nsi_time_measurements (
    id integer primary key,
    org_id integer not null references orgs(id),
    life_situation text not null,
    stage text,
    value real not null check (value > 0),
    unit text not null check (unit in ('days', 'hours', 'minutes')),
    measured_on text not null,
    entered_by text not null,
    entered_at text not null
);
create index nsi_time_measurements_by_situation
    on nsi_time_measurements (life_situation, measured_on);

-- Versions are history: nothing is edited or removed once stored.
create trigger nsi_targets_append_only_update before update on nsi_targets
begin
    select raise(abort, 'nsi_targets is append-only');
end;
create trigger nsi_targets_append_only_delete before delete on nsi_targets
begin
    select raise(abort, 'nsi_targets is append-only');
end;
create trigger nsi_baselines_append_only_update before update on nsi_baselines
begin
    select raise(abort, 'nsi_baselines is append-only');
end;
create trigger nsi_baselines_append_only_delete before delete on nsi_baselines
begin
    select raise(abort, 'nsi_baselines is append-only');
end;
