//! The demo data set of `serve --demo`: a region with institutions of every sector, points on
//! every built-in questionnaire, staff accounts, НОК expert checklists, and about five thousand
//! plausible responses over the last four quarters — generated deterministically and stored through the normal
//! ingest path, so rollups and the audit chain are exactly as in production.
//!
//! One kiosk tablet answers at its point with a gap in its `seq` (answers still on the tablet),
//! for the fleet view.
//!
//! The employment centres start near the 46 % satisfied that the НСИ pilot region measured
//! before the pilot (source 003) and improve slowly: the dashboard has a "below target" to show.
//! Their life situation, ЖС-8, has the region's baselines, approved targets (one with a
//! history) and this quarter's process-time measurements, the rural centre's under ten; the
//! urban centre asks people leaving its register how many days finding work took (the
//! report's time «со слов граждан»); its newest comments are reviewed in every status (one «сделано» with a public
//! answer) and it has dated improvement measures, which its public page `/r/czn-center` shows.

use chrono::{Datelike, Duration, FixedOffset, TimeZone, Utc};
use otklik_shared::answer::{Channel, NewResponse, RawAnswer};
use otklik_shared::questionnaire::{QuestionKind, Questionnaire};
use otklik_shared::validation::{parse_value, reachable};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::checklists;
use crate::comments::review::{put_review, ReviewInput};
use crate::comments::{self, CommentsQuery};
use crate::devices::{device_of, enrol, mint_code, NewCode};
use crate::improvements::{self, ImprovementInput};
use crate::ingest::{ingest_items, IngestDeps, ParsedItem, Sender};
use crate::nsi;
use crate::orgs::{add_orgs, NewOrg};
use crate::points::{add_point, NewPoint};
use crate::questionnaires;
use crate::service_error::ServiceResult;
use crate::users::add_user;

mod data;

pub use data::USERS;
use data::{
    CHECKLISTS, COMMENTS, KIOSK, LOOP_IMPROVEMENTS, LOOP_ORG, LOOP_REVIEWS, NSI_BASELINES,
    NSI_SITUATION, NSI_TARGETS, NSI_TIMES, ORGS, POINTS, REPORTED_TIME, SUGGESTIONS,
};

/// Loads the demo data unless the database already has orgs.
///
/// # Errors
/// Any failure of the underlying adds or ingest.
#[tracing::instrument(skip_all)]
pub async fn load_if_empty(deps: IngestDeps<'_>) -> ServiceResult<()> {
    let db = deps.db;
    if !db.list_orgs("/", None).await?.is_empty() {
        return Ok(());
    }
    let orgs: Vec<NewOrg> = ORGS
        .iter()
        .map(|&(code, name, kind, parent, sector, settlement)| NewOrg {
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            parent: parent.map(Into::into),
            sector: sector.map(Into::into),
            tz: Some("Europe/Moscow".into()),
            settlement: settlement.map(Into::into),
            bus_gov_id: None,
        })
        .collect();
    add_orgs(db, &orgs, |i| format!("demo org {i}")).await?;
    for (login, password, role, scope) in USERS {
        add_user(db, login, password, role, scope).await?;
    }
    let reported_time = serde_json::from_str(REPORTED_TIME.1)
        .map_err(|e| anyhow::anyhow!("demo questionnaire {}: {e}", REPORTED_TIME.0))?;
    questionnaires::publish(db, deps.catalog, None, reported_time).await?;
    // Paper questionnaires are keyed in by the demo official and walk-throughs by the demo
    // observer, in labelled batches, so the entries list and the walk-throughs' page have
    // something to show.
    let official = demo_staff(db, "official").await?;
    let observer = demo_staff(db, "observer").await?;
    let (kiosk_point, kiosk_name, kiosk_pin, kiosk_gap) = KIOSK;
    let mut rng = StdRng::seed_from_u64(2026);
    let now = Utc::now();
    let msk = FixedOffset::east_opt(3 * 3600).ok_or_else(|| anyhow::anyhow!("bad offset"))?;
    for &(code, org, questionnaire, life_situation, stage, count, before, after) in &POINTS {
        add_point(
            db,
            deps.catalog,
            &NewPoint {
                code: code.into(),
                org: org.into(),
                questionnaire: questionnaire.into(),
                life_situation: life_situation.map(Into::into),
                stage: stage.map(Into::into),
            },
        )
        .await?;
        let q = deps
            .catalog
            .get(db, questionnaire, None)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo questionnaire {questionnaire} is missing"))?;
        let mut items = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let age_days = rng.gen_range(0.0..365.0);
            let p = after - (after - before) * age_days / 365.0;
            let minutes = rng.gen_range(9 * 60..18 * 60);
            let day = (now - Duration::seconds((age_days * 86400.0) as i64))
                .with_timezone(&msk)
                .date_naive();
            let Some(local) = day.and_hms_opt(minutes / 60, minutes % 60, rng.gen_range(0..60))
            else {
                continue;
            };
            let Some(submitted_at) = msk
                .from_local_datetime(&local)
                .single()
                .filter(|t| *t <= now)
            else {
                continue;
            };
            let channel = match rng.gen_range(0..100) {
                _ if code == kiosk_point => Channel::Kiosk,
                0..=69 => Channel::Qr,
                70..=84 => Channel::Paper,
                85..=98 => Channel::Link,
                _ => Channel::Observation,
            };
            let random: [u8; 10] = rng.gen();
            let id = uuid::Builder::from_unix_timestamp_millis(
                submitted_at.timestamp_millis() as u64,
                &random,
            )
            .into_uuid();
            items.push(NewResponse {
                id,
                point: code.into(),
                questionnaire: q.id.clone(),
                version: q.version,
                channel,
                device: None,
                seq: None,
                submitted_at,
                answers: plausible_answers(&q, p, &mut rng),
            });
        }
        // The kiosk numbers its answers in the order it took them; a few never arrive.
        let kiosk = if code == kiosk_point {
            items.sort_by_key(|i| i.submitted_at);
            let device = demo_kiosk(db, org, code, kiosk_name, kiosk_pin).await?;
            let seqs = (1..).filter(|s| !kiosk_gap.contains(s));
            for (item, seq) in items.iter_mut().zip(seqs) {
                item.device = Some(device.id.clone());
                item.seq = Some(seq as u64);
            }
            Some(device)
        } else {
            None
        };
        // A kiosk uploads with its own token. Everything else is keyed in: paper by the
        // official in labelled batches, the walk-throughs by the expert group's observer in
        // one batch per point, so the walk-throughs' page lists who made them.
        let batches: Vec<(Sender<'_>, Vec<NewResponse>)> = match &kiosk {
            Some(device) => vec![(
                Sender {
                    ip: [127, 0, 0, 1].into(),
                    caller: None,
                    device: Some(device),
                    entry_batch: None,
                },
                items,
            )],
            None => {
                let (walkthroughs, keyed): (Vec<_>, Vec<_>) = items
                    .into_iter()
                    .partition(|i| i.channel == Channel::Observation);
                let keyed_in = |caller, label: String| Sender {
                    ip: [127, 0, 0, 1].into(),
                    caller: Some(caller),
                    device: None,
                    entry_batch: Some(label),
                };
                let mut batches: Vec<_> = keyed
                    .chunks(500)
                    .enumerate()
                    .map(|(n, chunk)| {
                        let label = format!("Пачка {code}-{}", n + 1);
                        (keyed_in(&official, label), chunk.to_vec())
                    })
                    .collect();
                if !walkthroughs.is_empty() {
                    let label = format!("Контрольная закупка {code}");
                    batches.push((keyed_in(&observer, label), walkthroughs));
                }
                batches
            }
        };
        for (sender, batch) in batches {
            for chunk in batch.chunks(500) {
                let raws: Vec<String> = chunk
                    .iter()
                    .map(|i| serde_json::to_string(i).unwrap_or_default())
                    .collect();
                let parsed = chunk
                    .iter()
                    .zip(&raws)
                    .map(|(item, raw)| ParsedItem::trusted(raw, item.clone()))
                    .collect();
                ingest_items(deps, parsed, &sender, None).await?;
            }
        }
    }
    let methodology = otklik_shared::catalog::nok_methodology()
        .map_err(|e| anyhow::anyhow!("the НОК methodology does not load: {e}"))?;
    for (org, body) in CHECKLISTS {
        for year in [now.year() - 1, now.year()] {
            let checklist = serde_json::from_str(body)
                .map_err(|e| anyhow::anyhow!("demo checklist of {org}: {e}"))?;
            checklists::put(db, &methodology, None, org, &year.to_string(), checklist).await?;
        }
    }
    let today = now.with_timezone(&msk).date_naive();
    load_nsi(db, &official, today).await?;
    load_loop(db, deps.catalog, &official, today).await?;
    tracing::info!("demo data loaded");
    Ok(())
}

/// The region's НСИ figures for ЖС-8 as its officials would have entered them: last year's
/// baselines, this year's approved targets (the satisfied share approved twice, so its history
/// shows) and this quarter's process-time measurements, spread over the quarter's days so far.
async fn load_nsi(
    db: &crate::db::Database,
    official: &Caller,
    today: chrono::NaiveDate,
) -> ServiceResult<()> {
    let year = today.year();
    for (kpi, value, unit) in NSI_BASELINES {
        let baseline = nsi::BaselineInput {
            org: "demo".into(),
            life_situation: NSI_SITUATION.into(),
            kpi: kpi.into(),
            value,
            unit: unit.map(Into::into),
            period: (year - 1).to_string(),
            source: "Опрос по методике НСИ, пилотный регион".into(),
        };
        nsi::put_baseline(db, Some(official), &baseline).await?;
    }
    for (n, (kpi, value, unit, method, approved_by)) in NSI_TARGETS.into_iter().enumerate() {
        let target = nsi::TargetInput {
            org: "demo".into(),
            life_situation: NSI_SITUATION.into(),
            kpi: kpi.into(),
            year,
            value,
            unit: unit.map(Into::into),
            method: method.into(),
            source: "Протокол регионального штаба".into(),
            approved_by: approved_by.into(),
            approved_at: format!("{}-{:02}-15", year, n + 1),
        };
        nsi::put_target(db, Some(official), &target).await?;
    }
    let quarter_start = chrono::NaiveDate::from_ymd_opt(year, today.month0() / 3 * 3 + 1, 1)
        .ok_or_else(|| anyhow::anyhow!("no first day of the quarter of {today}"))?;
    let days_so_far = (today - quarter_start).num_days();
    for (org, stage, values) in NSI_TIMES {
        for (i, &value) in values.iter().enumerate() {
            let offset = days_so_far * i as i64 / values.len() as i64;
            let measurement = nsi::MeasurementInput {
                org: org.into(),
                life_situation: NSI_SITUATION.into(),
                stage: stage.map(Into::into),
                value,
                unit: "days".into(),
                measured_at: (quarter_start + Duration::days(offset)).to_string(),
            };
            nsi::add_measurement(db, Some(official), &measurement).await?;
        }
    }
    Ok(())
}

/// The comment loop at the employment centre as its official would have worked it: the newest
/// comments on negative answers reviewed ([`LOOP_REVIEWS`]: every status, one done with a
/// public answer) and dated improvement measures, so `/r/czn-center` has a «сделано» item and
/// the stage view tagged comments.
async fn load_loop(
    db: &crate::db::Database,
    catalog: &Catalog,
    official: &Caller,
    today: chrono::NaiveDate,
) -> ServiceResult<()> {
    let query = CommentsQuery {
        org: LOOP_ORG.into(),
        questionnaire: None,
        point: None,
        question: None,
        from: None,
        to: None,
        negative: true,
        status: None,
        cursor: None,
        limit: Some(LOOP_REVIEWS.len() as u32),
    };
    let newest = comments::page(db, catalog, official, &query)
        .await?
        .comments;
    for (comment, (status, stage, loss, answer)) in newest.iter().zip(LOOP_REVIEWS) {
        let review = ReviewInput {
            status: status.into(),
            stage: stage.map(Into::into),
            loss: loss.map(Into::into),
            public_answer: answer.map(Into::into),
        };
        let key = (comment.response.to_string(), comment.question.clone());
        put_review(db, catalog, official, (&key.0, &key.1), &review).await?;
    }
    for (title, stage, days_ago) in LOOP_IMPROVEMENTS {
        let measure = ImprovementInput {
            org: LOOP_ORG.into(),
            life_situation: Some(NSI_SITUATION.into()),
            stage: stage.map(Into::into),
            title: title.into(),
            done_on: (today - Duration::days(days_ago)).to_string(),
        };
        improvements::add(db, official, &measure).await?;
    }
    Ok(())
}

/// Enrols the demo kiosk at its point as an administrator would (a code, then the tablet
/// trading it), and returns it as its token names it.
async fn demo_kiosk(
    db: &crate::db::Database,
    org: &str,
    point: &str,
    name: &str,
    pin: &str,
) -> ServiceResult<crate::db::devices::DeviceRow> {
    let minted = mint_code(
        db,
        None,
        &NewCode {
            org: org.into(),
            point: Some(point.into()),
            pin: Some(pin.into()),
            ttl_minutes: None,
        },
    )
    .await?;
    let enrolled = enrol(db, &minted.code, name).await?;
    device_of(db, Some(&enrolled.token))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo kiosk's token names no device").into())
}

/// The demo official (scoped to the demo region), who keys in the paper questionnaires.
async fn demo_staff(db: &crate::db::Database, login: &str) -> ServiceResult<Caller> {
    let user = db
        .user_by_login(login)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo {login} is missing"))?;
    let scope = user
        .scope_path
        .clone()
        .ok_or_else(|| anyhow::anyhow!("the demo {login} has no scope"))?;
    Ok(Caller {
        user_id: user.id,
        login: user.login,
        role: user.role,
        scope_code: user.scope,
        scope: otklik_shared::access::Scope::Subtree(scope),
    })
}

/// A plausible set of answers: satisfied with probability `p`, filters and skip rules honoured,
/// some comments on negative answers. Also used by the benchmarks to make realistic data.
pub fn plausible_answers(q: &Questionnaire, p: f64, rng: &mut StdRng) -> Vec<RawAnswer> {
    let mut raw: Vec<RawAnswer> = Vec::new();
    let mut typed = Vec::new();
    loop {
        let next = reachable(q, &typed)
            .into_iter()
            .find(|question| !raw.iter().any(|a| a.q == question.id));
        let Some(question) = next else { break };
        let happy = rng.gen_bool(p.clamp(0.0, 1.0));
        let (v, comment): (Value, Option<String>) = match question.kind {
            QuestionKind::Likert4 => {
                let v = match (happy, rng.gen_bool(0.6)) {
                    (true, true) => "yes",
                    (true, false) => "rather_yes",
                    (false, true) => "rather_no",
                    (false, false) => "no",
                };
                let comment = (!happy && rng.gen_bool(0.35))
                    .then(|| COMMENTS[rng.gen_range(0..COMMENTS.len())].to_owned());
                (json!(v), comment)
            }
            QuestionKind::Nps => (
                json!(if happy {
                    rng.gen_range(7..=10)
                } else {
                    rng.gen_range(0..=8)
                }),
                None,
            ),
            QuestionKind::YesNo => {
                let yes = match question.indicator.as_deref() {
                    Some("filter") if question.id == "disability" => rng.gen_bool(0.2),
                    Some("filter") => rng.gen_bool(0.55),
                    _ => happy,
                };
                (json!(yes), None)
            }
            QuestionKind::Choice => (
                json!(question.options[rng.gen_range(0..question.options.len())].id),
                None,
            ),
            // Days (or hours) a situation took: a week to two months, longer when unhappy.
            QuestionKind::Number if question.time_unit.is_some() => (
                json!(if happy {
                    rng.gen_range(7..=35)
                } else {
                    rng.gen_range(20..=60)
                }),
                None,
            ),
            QuestionKind::Number => {
                let lo = question.min.unwrap_or(0.0).max(18.0) as i64;
                let hi = question.max.unwrap_or(100.0).min(85.0) as i64;
                (json!(rng.gen_range(lo..=hi.max(lo))), None)
            }
            QuestionKind::Text => (
                json!(SUGGESTIONS[rng.gen_range(0..SUGGESTIONS.len())]),
                None,
            ),
        };
        let skip_optional = !question.required
            && rng.gen_bool(if question.kind == QuestionKind::Text {
                0.85
            } else {
                0.3
            });
        if skip_optional {
            // Mark it seen without answering, so the loop moves on.
            raw.push(RawAnswer {
                q: question.id.clone(),
                v: Value::Null,
                comment: None,
            });
            continue;
        }
        if let Ok(value) = parse_value(question, &v) {
            typed.push(otklik_shared::answer::Answer {
                q: question.id.clone(),
                value,
                comment: None,
            });
        }
        raw.push(RawAnswer {
            q: question.id.clone(),
            v,
            comment,
        });
    }
    raw.retain(|a| !a.v.is_null());
    raw
}
