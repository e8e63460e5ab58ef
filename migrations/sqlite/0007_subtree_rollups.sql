-- Subtree rollups (issue 14). Keep in step with ../postgres/0007_subtree_rollups.sql.

-- A trend of a region over three years summed one rollup row per point, channel and month:
-- 144,000 rows for 2,000 institutions, 423 ms (docs/benchmarks.md). Each org now also holds the
-- citizens' counts (observation left out, as in every citizen figure) of its whole subtree per
-- month and year, added by ingest in the same transaction as `rollups`, so a trend reads one row
-- per period however large the region. Periods are each institution's local months, as in
-- `rollups`.
create table subtree_rollups (
    org_id integer not null references orgs(id),
    questionnaire text not null,
    grain text not null check (grain in ('month', 'year')),
    period text not null,
    question text not null,
    counts text not null,
    primary key (org_id, questionnaire, grain, period, question)
) without rowid;

-- Every point with each org its counts roll up into: its own org and every org above it.
create temp table point_subtrees as
select pt.id as point_id, a.id as org_id
from points pt
join orgs o on o.id = pt.org_id
join orgs a on substr(o.path, 1, length(a.path)) = a.path;

insert into subtree_rollups (org_id, questionnaire, grain, period, question, counts)
select org_id, questionnaire, grain, period, question, json_group_object(key, n)
from (
    select s.org_id, r.questionnaire, r.grain, r.period, r.question, j.key, sum(j.value) as n
    from rollups r
    join point_subtrees s on s.point_id = r.point_id
    cross join json_each(r.counts) j
    where r.grain in ('month', 'year') and r.channel <> 'observation'
    group by s.org_id, r.questionnaire, r.grain, r.period, r.question, j.key
)
group by org_id, questionnaire, grain, period, question;

drop table point_subtrees;
