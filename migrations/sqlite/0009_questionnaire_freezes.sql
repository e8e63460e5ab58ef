-- Frozen measurement (issue 16, domain.md §4): once a baseline is recorded, the questionnaire
-- versions that measured it are frozen, so a re-measurement asks the same questions. A later
-- version of a frozen questionnaire keeps every core question as it was and may only append
-- «вспомогательные» (auxiliary) questions, each stamped with who approved it and when.
-- Keep in step with ../postgres/0009_questionnaire_freezes.sql.

-- One row per frozen version; the first baseline that froze it is kept (`on conflict do
-- nothing`), so this records when and why the measurement was frozen.
create table questionnaire_freezes (
    questionnaire text not null,
    version integer not null,
    life_situation text not null,
    org_id integer not null references orgs(id),
    frozen_by text not null,
    frozen_at text not null,
    primary key (questionnaire, version),
    foreign key (questionnaire, version) references questionnaires(id, version)
);
