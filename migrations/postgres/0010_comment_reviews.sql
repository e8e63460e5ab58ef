-- The comment loop (issue 16 item 5): officials' reviews of citizens' comments and improvement
-- measures. Keep in step with ../sqlite/0010_comment_reviews.sql, which explains each table.

-- Reviews: a `PUT` appends the next version of its comment's key; the current is the highest.
create table comment_reviews (
    response_id uuid not null references responses(id),
    question text not null,
    version integer not null,
    status text not null check (status in ('new', 'in_progress', 'done')),
    stage text,
    loss text check (loss in ('waiting', 'duplicate_actions', 'rework', 'excess_effort',
        'redundant_steps')),
    public_answer text check (public_answer is null or char_length(public_answer) <= 500),
    reviewed_by bigint not null references users(id),
    reviewed_at text not null,
    submitted_at timestamptz not null,
    check (status <> 'done' or char_length(trim(coalesce(public_answer, ''))) > 0),
    primary key (response_id, question, version)
);
create index comment_reviews_by_status
    on comment_reviews (status, submitted_at desc, response_id desc);

-- Improvement measures; `done_on` is a local date.
create table improvements (
    id bigserial primary key,
    org_id bigint not null references orgs(id),
    life_situation text references life_situations(code),
    stage text,
    title text not null check (char_length(title) between 1 and 300),
    done_on text not null,
    created_by bigint not null references users(id),
    created_at text not null,
    check (stage is null or life_situation is not null)
);
create index improvements_by_org on improvements (org_id, done_on);

-- Versions and measures are history (append_only() is 0001's).
create trigger comment_reviews_append_only before update or delete on comment_reviews
    for each row execute function append_only();
create trigger improvements_append_only before update or delete on improvements
    for each row execute function append_only();
