-- The comment loop (issue 16 item 5, domain.md §4 «Negative answers»): officials' reviews of
-- citizens' comments and the improvement measures an institution carries out.
-- Keep in step with ../postgres/0010_comment_reviews.sql.

-- One row per version of the review of one comment, the comment being a response's comment on
-- (or free-text answer to) one question. A `PUT` never updates in place: it appends the next
-- `version`, so who moved a comment where and when stays readable; the current review is the
-- highest version, and a comment without any row is `new`. `stage` is a stage of the life
-- situation of the response's point, `loss` a lean loss; `public_answer` is the official's own
-- short text (masked like comments), required once the comment is `done`, and the only text of
-- the loop the public page shows. `submitted_at` is the response's, copied by the insert from
-- `responses` (never from the client): the comments list pages a status newest first by
-- `(submitted_at, response_id)` down `comment_reviews_by_status`, as it pages every comment
-- down `responses_submitted`.
create table comment_reviews (
    response_id blob not null references responses(id),
    question text not null,
    version integer not null,
    status text not null check (status in ('new', 'in_progress', 'done')),
    stage text,
    loss text check (loss in ('waiting', 'duplicate_actions', 'rework', 'excess_effort',
        'redundant_steps')),
    public_answer text check (public_answer is null or length(public_answer) <= 500),
    reviewed_by integer not null references users(id),
    reviewed_at text not null,
    submitted_at text not null,
    check (status <> 'done' or length(trim(coalesce(public_answer, ''))) > 0),
    primary key (response_id, question, version)
);
create index comment_reviews_by_status
    on comment_reviews (status, submitted_at desc, response_id desc);

-- Improvement measures: what an org did, on which date, optionally for one life situation and
-- one of its stages; the НСИ report lists them so its quarters read before/after, and the
-- public page of the org shows them under «Вы сказали — мы сделали». `done_on` is a local date.
create table improvements (
    id integer primary key,
    org_id integer not null references orgs(id),
    life_situation text references life_situations(code),
    stage text,
    title text not null check (length(title) between 1 and 300),
    done_on text not null,
    created_by integer not null references users(id),
    created_at text not null,
    check (stage is null or life_situation is not null)
);
create index improvements_by_org on improvements (org_id, done_on);

-- Versions and measures are history: nothing is edited or removed once stored.
create trigger comment_reviews_append_only_update before update on comment_reviews
begin
    select raise(abort, 'comment_reviews is append-only');
end;
create trigger comment_reviews_append_only_delete before delete on comment_reviews
begin
    select raise(abort, 'comment_reviews is append-only');
end;
create trigger improvements_append_only_update before update on improvements
begin
    select raise(abort, 'improvements is append-only');
end;
create trigger improvements_append_only_delete before delete on improvements
begin
    select raise(abort, 'improvements is append-only');
end;
