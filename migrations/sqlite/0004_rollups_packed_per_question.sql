-- Rollups packed per question: one row per point, questionnaire, grain, period, channel and
-- question, holding every value's count as one JSON object ({"yes": 12, "no": 3}; the response
-- count is question '' with value ''). A batch used to upsert one row per value; it now
-- upserts one per question, and stats read as many fewer rows. Same change on PostgreSQL.
alter table rollups rename to rollups_by_value;

create table rollups (
    point_id integer not null references points(id),
    questionnaire text not null,
    grain text not null check (grain in ('day', 'month', 'year')),
    period text not null,
    channel text not null,
    question text not null,
    counts text not null,
    primary key (point_id, questionnaire, grain, period, channel, question)
) without rowid;

insert into rollups (point_id, questionnaire, grain, period, channel, question, counts)
select point_id, questionnaire, grain, period, channel, question, json_group_object(value, count)
from rollups_by_value
group by point_id, questionnaire, grain, period, channel, question;

drop table rollups_by_value;
