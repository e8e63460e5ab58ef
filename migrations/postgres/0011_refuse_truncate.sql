-- TRUNCATE of the append-only tables (issue 17 item 2). Keep in step with
-- ../sqlite/0011_refuse_truncate.sql.

-- 0001, 0008 and 0010 refuse UPDATE and DELETE row by row, but TRUNCATE fires no row trigger:
-- one statement emptied `responses` and the log with every promise on them unbroken. A
-- statement-level trigger is the only kind TRUNCATE fires; append_only() (0001) names the table.
create trigger responses_no_truncate before truncate on responses
    for each statement execute function append_only();
create trigger response_log_no_truncate before truncate on response_log
    for each statement execute function append_only();
create trigger nsi_targets_no_truncate before truncate on nsi_targets
    for each statement execute function append_only();
create trigger nsi_baselines_no_truncate before truncate on nsi_baselines
    for each statement execute function append_only();
create trigger comment_reviews_no_truncate before truncate on comment_reviews
    for each statement execute function append_only();
create trigger improvements_no_truncate before truncate on improvements
    for each statement execute function append_only();
