//! `GET /api/v1/nsi/report`: one life situation's НСИ KPIs for a year in an org's subtree
//! (`contract.md` §5), from the rollups and the stored measurements, targets and baselines.
//!
//! Quarters are sums of each institution's local months (the rollups' periods), so a response
//! counts in the quarter of its institution's own calendar. Satisfied is the share of «Да» and
//! «Скорее да» on question `process`, NPS that of question `nps`, over every questionnaire that
//! has them, at points bound to the life situation; `observation` never counts. Time is the
//! stored measurements in one unit (the target's, else the baseline's, else days): per quarter
//! their count, median and worst (longest), which is the KPI's value. Respondents' own reports
//! of the time (answers to a `number` question with a `time_unit`, usually an auxiliary one a
//! point added) come beside them as `reported`, per quarter from the rollups, in the same unit:
//! a separate, labelled figure that never enters the KPI's value. The improvement measures
//! about the situation come with them, dated, so the quarters read before/after.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use otklik_shared::access::Action;
use otklik_shared::answer::Likert4;
use otklik_shared::nsi::{Kpi, TimeUnit};
use otklik_shared::org::OrgPath;
use otklik_shared::questionnaire::QuestionKind;
use otklik_shared::score::{mean_median, Likert4Counts, NpsCounts};
use serde::{Deserialize, Serialize};

use super::{baselines_of, situation, targets_of, Baseline, Target, Versions};
use crate::auth::Caller;
use crate::db::orgs::OrgRow;
use crate::db::stats::CountFilter;
use crate::db::Database;
use crate::figures::StatsDeps;
use crate::improvements::MAX_LISTED;
use crate::orgs::manage::checked_org;
use crate::service_error::{ServiceError, ServiceResult};

/// Fewer process-time measurements than this at an institution in a quarter: a warning.
pub const MIN_MEASUREMENTS: usize = 10;

/// The warning of a quarter with an institution under [`MIN_MEASUREMENTS`].
pub const FEW_MEASUREMENTS: &str = "fewer_than_10_measurements";

/// The query string of the report.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportQuery {
    /// Org code: the region (or any org) whose subtree is reported.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// The year, `YYYY`.
    pub year: String,
}

/// The life situation as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct SituationRef {
    /// Code.
    pub code: String,
    /// Official number (ЖС-n).
    pub no: u32,
    /// Name.
    pub name: String,
}

/// The current baseline of a KPI.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineRef {
    /// Value.
    pub value: f64,
    /// Unit of a time baseline.
    pub unit: Option<String>,
    /// Period measured.
    pub period: String,
    /// Source.
    pub source: String,
    /// Version.
    pub version: i32,
}

/// The current approved target of a KPI for the year.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRef {
    /// Value.
    pub value: f64,
    /// Unit of a time target.
    pub unit: Option<String>,
    /// Method.
    pub method: String,
    /// Source.
    pub source: String,
    /// Who approved it.
    pub approved_by: String,
    /// When.
    pub approved_at: String,
    /// Version (how many edits it took).
    pub version: i32,
}

/// One quarter of a share or NPS KPI.
#[derive(Debug, Clone, Serialize)]
pub struct Quarter {
    /// `2026Q1`.
    pub quarter: String,
    /// Answers.
    pub n: u64,
    /// Share satisfied %, or NPS.
    pub value: f64,
    /// 95 % interval.
    pub ci95: Option<[f64; 2]>,
    /// Fewer answers than the server's minimum for a reliable figure.
    pub low_n: bool,
}

/// A share or NPS KPI.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreKpi {
    /// Long-term benchmark.
    pub benchmark: f64,
    /// Current baseline, if entered.
    pub baseline: Option<BaselineRef>,
    /// Current approved target for the year, if entered.
    pub target: Option<TargetRef>,
    /// Quarters with answers, oldest first.
    pub quarters: Vec<Quarter>,
    /// Whether the latest quarter reaches the target; null without a target or data.
    pub achieved: Option<bool>,
}

/// An institution short of measurements in a quarter.
#[derive(Debug, Clone, Serialize)]
pub struct ShortInstitution {
    /// Institution code.
    pub org: String,
    /// Its measurements that quarter.
    pub measurements: usize,
}

/// One quarter of the time KPI.
#[derive(Debug, Clone, Serialize)]
pub struct TimeQuarter {
    /// `2026Q1`.
    pub quarter: String,
    /// Measurements.
    pub measurements: usize,
    /// The longest: the KPI's value.
    pub worst: f64,
    /// The median.
    pub median: f64,
    /// `fewer_than_10_measurements` when an institution in scope has fewer than ten.
    pub warning: Option<&'static str>,
    /// The institutions with fewer than ten (bound to the situation or measured).
    pub short: Vec<ShortInstitution>,
}

/// One quarter of the time respondents reported («со слов граждан»), in the KPI's unit.
#[derive(Debug, Clone, Serialize)]
pub struct ReportedQuarter {
    /// `2026Q1`.
    pub quarter: String,
    /// Answers.
    pub n: u64,
    /// The median answer.
    pub median: f64,
    /// The longest answer.
    pub longest: f64,
}

/// The time KPI.
#[derive(Debug, Clone, Serialize)]
pub struct TimeKpi {
    /// Unit of every value here.
    pub unit: &'static str,
    /// Current baseline, if entered (in its own unit).
    pub baseline: Option<BaselineRef>,
    /// Current approved target for the year, if entered.
    pub target: Option<TargetRef>,
    /// Quarters with measurements, oldest first.
    pub quarters: Vec<TimeQuarter>,
    /// Whether the latest worst value is at or below the target; null without either.
    pub achieved: Option<bool>,
    /// Quarters with respondents' own reports of the time, oldest first (empty where no
    /// questionnaire asks): a separate figure, not the KPI's value.
    pub reported: Vec<ReportedQuarter>,
}

/// The KPIs.
#[derive(Debug, Clone, Serialize)]
pub struct Kpis {
    /// Share satisfied.
    pub satisfied: ScoreKpi,
    /// NPS.
    pub nps: ScoreKpi,
    /// Process time.
    pub time: TimeKpi,
}

/// A figure over the latest quarter: answers and value (null without answers).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Figure {
    /// Answers.
    pub n: u64,
    /// Share satisfied % or NPS.
    pub value: Option<f64>,
}

/// Satisfied and NPS together.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Figures {
    /// Share satisfied.
    pub satisfied: Figure,
    /// NPS.
    pub nps: Figure,
}

/// One institution in the latest quarter.
#[derive(Debug, Clone, Serialize)]
pub struct InstitutionRow {
    /// Code.
    pub org: String,
    /// Name.
    pub name: String,
    /// `urban`, `rural` or null.
    pub settlement: Option<&'static str>,
    /// Share satisfied.
    pub satisfied: Figure,
    /// NPS.
    pub nps: Figure,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Org code.
    pub org: String,
    /// Life situation.
    pub life_situation: SituationRef,
    /// Year.
    pub year: i32,
    /// The quarter `institutions` and `settlement` give: the latest with answers.
    pub latest_quarter: Option<String>,
    /// KPIs.
    pub kpis: Kpis,
    /// Institutions with answers in the latest quarter, by code.
    pub institutions: Vec<InstitutionRow>,
    /// Urban and rural institutions in the latest quarter (those without a flag in neither).
    pub settlement: BTreeMap<&'static str, Figures>,
    /// The improvement measures about the life situation in the subtree done by the end of
    /// the year, oldest first: with the quarters they show what changed after what.
    pub improvements: Vec<ReportImprovement>,
}

/// An improvement measure as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportImprovement {
    /// The org that carried it out.
    pub org: String,
    /// Its name.
    pub org_name: String,
    /// What was done.
    pub title: String,
    /// Stage code, if the measure is about one stage.
    pub stage: Option<String>,
    /// That stage's name in the life situation.
    pub stage_name: Option<String>,
    /// When, `YYYY-MM-DD`.
    pub done_on: String,
}

/// Counts of one quarter: totals and per institution.
#[derive(Default)]
struct QuarterCounts {
    satisfied: Likert4Counts,
    nps: NpsCounts,
    by_institution: BTreeMap<i64, (Likert4Counts, NpsCounts)>,
}

fn figure_satisfied(c: &Likert4Counts) -> Figure {
    Figure {
        n: c.n(),
        value: c.satisfied_pct(),
    }
}

fn figure_nps(c: &NpsCounts) -> Figure {
    Figure {
        n: c.n(),
        value: c.nps(),
    }
}

fn year_of(s: &str) -> ServiceResult<i32> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            ServiceError::bad_parameter(format!("year must be YYYY from 2000 to 2100, got {s:?}"))
        })
}

/// The first and last day of quarter `q` (1–4) of `year`.
fn quarter_days(year: i32, q: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?;
    let last = first.checked_add_months(Months::new(3))?.pred_opt()?;
    Some((first, last))
}

fn baseline_ref(b: &Baseline) -> BaselineRef {
    BaselineRef {
        value: b.value,
        unit: b.unit.clone(),
        period: b.period.clone(),
        source: b.source.clone(),
        version: b.version,
    }
}

fn target_ref(t: &Target) -> TargetRef {
    TargetRef {
        value: t.value,
        unit: t.unit.clone(),
        method: t.method.clone(),
        source: t.source.clone(),
        approved_by: t.approved_by.clone(),
        approved_at: t.approved_at.clone(),
        version: t.version,
    }
}

/// The report of a life situation for a year in the org's subtree.
///
/// # Errors
/// 400 for a malformed year; `unknown_org` (404); the caller may not read results there (403);
/// 422 for an unknown life situation; internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %q.org, life_situation = %q.life_situation))]
pub async fn report(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &ReportQuery,
) -> ServiceResult<Report> {
    let db = deps.db;
    let org = checked_org(db, Some(caller), Action::ReadResults, &q.org).await?;
    let ls = situation(db, &q.life_situation).await?;
    let year = year_of(&q.year)?;
    let orgs = subtree(db, &org).await?;

    let carriers = Carriers::of(deps).await?;
    let mut quarters: Vec<(String, QuarterCounts)> = Vec::new();
    let mut reported: Vec<(String, Vec<ReportedAnswers>)> = Vec::new();
    for qn in 1..=4 {
        let name = format!("{year}Q{qn}");
        let c = quarter_counts(deps, &org.path, &ls.code, (year, qn), &carriers).await?;
        quarters.push((name.clone(), c));
        let answers = reported_times(deps, &org.path, &ls.code, (year, qn), &carriers).await?;
        reported.push((name, answers));
    }

    let entered = Entered::of(db, &org, &ls.code, year).await?;

    let score_kpi = |k: Kpi| -> ScoreKpi {
        let list: Vec<Quarter> = quarters
            .iter()
            .filter_map(|(name, c)| {
                let (n, value, ci95) = match k {
                    Kpi::Nps => (c.nps.n(), c.nps.nps(), c.nps.ci95()),
                    _ => (
                        c.satisfied.n(),
                        c.satisfied.satisfied_pct(),
                        c.satisfied.ci95(),
                    ),
                };
                Some(Quarter {
                    quarter: name.clone(),
                    n,
                    value: value?,
                    ci95,
                    low_n: n < deps.min_n,
                })
            })
            .collect();
        let t = entered.target(k);
        ScoreKpi {
            benchmark: k.benchmark().unwrap_or_default(),
            baseline: entered.baseline(k).map(baseline_ref),
            achieved: reached(t, list.last().map(|latest| latest.value)),
            target: t.map(target_ref),
            quarters: list,
        }
    };
    let satisfied = score_kpi(Kpi::Satisfied);
    let nps = score_kpi(Kpi::Nps);

    // The latest quarter with answers (satisfied first, then NPS) for the breakdowns.
    let latest = satisfied
        .quarters
        .last()
        .or(nps.quarters.last())
        .map(|x| x.quarter.clone());
    let mut institutions = Vec::new();
    let mut settlement: BTreeMap<&'static str, (Likert4Counts, NpsCounts)> = BTreeMap::new();
    settlement.insert("urban", Default::default());
    settlement.insert("rural", Default::default());
    if let Some((_, c)) = quarters
        .iter()
        .find(|(name, _)| Some(name) == latest.as_ref())
    {
        for (id, (s, n)) in &c.by_institution {
            if s.n() == 0 && n.n() == 0 {
                continue;
            }
            let Some(o) = orgs.get(id) else { continue };
            let flag = o.settlement.map(|s| s.as_str());
            if let Some(slot) = flag.and_then(|f| settlement.get_mut(f)) {
                for v in Likert4::ALL {
                    slot.0.add(v, s.get(v));
                }
                slot.1.promoters += n.promoters;
                slot.1.passives += n.passives;
                slot.1.detractors += n.detractors;
            }
            institutions.push(InstitutionRow {
                org: o.code.clone(),
                name: o.name.clone(),
                settlement: flag,
                satisfied: figure_satisfied(s),
                nps: figure_nps(n),
            });
        }
        institutions.sort_by(|a, b| a.org.cmp(&b.org));
    }
    let settlement = settlement
        .into_iter()
        .map(|(k, (s, n))| {
            (
                k,
                Figures {
                    satisfied: figure_satisfied(&s),
                    nps: figure_nps(&n),
                },
            )
        })
        .collect();

    let time = time_kpi(deps, (&org, &orgs), &ls.code, year, &entered, &reported).await?;
    let year_end = format!("{year}-12-31");
    let mut improvements: Vec<ReportImprovement> = db
        .improvements(&org.path, Some(&ls.code), MAX_LISTED)
        .await?
        .into_iter()
        .filter(|m| m.done_on <= year_end)
        .map(|m| ReportImprovement {
            stage_name: m.stage.as_ref().and_then(|code| {
                let stage = ls.stages.iter().find(|s| &s.code == code)?;
                Some(stage.name.clone())
            }),
            org: m.org,
            org_name: m.org_name,
            title: m.title,
            stage: m.stage,
            done_on: m.done_on,
        })
        .collect();
    improvements.reverse();

    Ok(Report {
        org: org.code,
        life_situation: SituationRef {
            code: ls.code,
            no: ls.no,
            name: ls.name,
        },
        year,
        latest_quarter: latest,
        kpis: Kpis {
            satisfied,
            nps,
            time,
        },
        institutions,
        settlement,
        improvements,
    })
}

/// The orgs of `org`'s subtree by id.
async fn subtree(db: &Database, org: &OrgRow) -> ServiceResult<HashMap<i64, OrgRow>> {
    Ok(db
        .list_orgs(&org.path.to_string(), None)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// The current targets of a year and baselines of a life situation at an org.
struct Entered {
    targets: Versions<Target>,
    baselines: Versions<Baseline>,
}

impl Entered {
    async fn of(
        db: &Database,
        org: &OrgRow,
        life_situation: &str,
        year: i32,
    ) -> ServiceResult<Self> {
        Ok(Self {
            targets: targets_of(db, org, life_situation, Some(year)).await?,
            baselines: baselines_of(db, org, life_situation).await?,
        })
    }

    fn target(&self, k: Kpi) -> Option<&Target> {
        self.targets.current.iter().find(|t| t.kpi == k.as_str())
    }

    fn baseline(&self, k: Kpi) -> Option<&Baseline> {
        self.baselines.current.iter().find(|b| b.kpi == k.as_str())
    }
}

/// The questionnaires that carry `process` (the 4-point scale), those that carry `nps`, and
/// the questions that ask for the situation's time: (questionnaire, question, unit).
struct Carriers {
    process: Vec<String>,
    nps: Vec<String>,
    reported_time: Vec<(String, String, TimeUnit)>,
}

impl Carriers {
    /// From the catalog as the database has it (refreshed: another instance may have published
    /// the questionnaire that asks).
    async fn of(deps: StatsDeps<'_>) -> ServiceResult<Self> {
        deps.catalog.refresh(deps.db).await?;
        let mut c = Carriers {
            process: Vec::new(),
            nps: Vec::new(),
            reported_time: Vec::new(),
        };
        for id in deps.catalog.ids() {
            let questions = deps.catalog.pooled_questions(&id);
            let has = |qid: &str, kind: QuestionKind| {
                questions.iter().any(|x| x.id == qid && x.kind == kind)
            };
            for x in &questions {
                if let (QuestionKind::Number, Some(unit)) = (x.kind, x.time_unit) {
                    c.reported_time.push((id.clone(), x.id.clone(), unit));
                }
            }
            if has("process", QuestionKind::Likert4) {
                c.process.push(id.clone());
            }
            if has("nps", QuestionKind::Nps) {
                c.nps.push(id);
            }
        }
        Ok(c)
    }
}

/// The rollups of a questionnaire at the points bound to the life situation in the subtree,
/// local days `from` to `to`.
fn situation_filter<'a>(
    under: &'a OrgPath,
    questionnaire: &'a str,
    life_situation: &'a str,
    (from, to): (NaiveDate, NaiveDate),
) -> CountFilter<'a> {
    CountFilter {
        under,
        questionnaire,
        point: None,
        life_situation: Some(life_situation),
        stage: None,
        from: Some(from),
        to: Some(to),
    }
}

/// The counts of quarter `qn` (1–4) of `year` at the points bound to the life situation in
/// the subtree: totals and per institution.
async fn quarter_counts(
    deps: StatsDeps<'_>,
    under: &OrgPath,
    life_situation: &str,
    (year, qn): (i32, u32),
    carriers: &Carriers,
) -> ServiceResult<QuarterCounts> {
    let mut c = QuarterCounts::default();
    let Some((from, to)) = quarter_days(year, qn) else {
        return Ok(c);
    };
    for (ids, question) in [(&carriers.process, "process"), (&carriers.nps, "nps")] {
        for questionnaire in ids {
            let filter = situation_filter(under, questionnaire, life_situation, (from, to));
            for row in deps.db.question_counts(&filter, question).await? {
                let inst = c.by_institution.entry(row.institution_id).or_default();
                for (key, n) in &row.counts {
                    if question == "process" {
                        if let Some(v) = Likert4::parse(key) {
                            c.satisfied.add(v, *n);
                            inst.0.add(v, *n);
                        }
                    } else if let Some(score) = key.parse::<u8>().ok().filter(|s| *s <= 10) {
                        c.nps.add(score, *n);
                        inst.1.add(score, *n);
                    }
                }
            }
        }
    }
    Ok(c)
}

/// Answers giving one reported time: the value, its question's unit, how many gave it.
type ReportedAnswers = (f64, TimeUnit, u64);

/// Respondents' reported times in quarter `qn` of `year` at the points bound to the life
/// situation in the subtree.
async fn reported_times(
    deps: StatsDeps<'_>,
    under: &OrgPath,
    life_situation: &str,
    (year, qn): (i32, u32),
    carriers: &Carriers,
) -> ServiceResult<Vec<ReportedAnswers>> {
    let mut out = Vec::new();
    let Some((from, to)) = quarter_days(year, qn) else {
        return Ok(out);
    };
    for (questionnaire, question, unit) in &carriers.reported_time {
        let filter = situation_filter(under, questionnaire, life_situation, (from, to));
        for row in deps.db.question_counts(&filter, question).await? {
            for (key, n) in &row.counts {
                if let Ok(v) = key.parse::<f64>() {
                    out.push((v, *unit, *n));
                }
            }
        }
    }
    Ok(out)
}

/// Respondents' reported times per quarter in `unit`; quarters without answers are left out.
fn reported_quarters(
    reported: &[(String, Vec<ReportedAnswers>)],
    unit: TimeUnit,
) -> Vec<ReportedQuarter> {
    reported
        .iter()
        .filter_map(|(quarter, answers)| {
            let values: Vec<(f64, u64)> = answers
                .iter()
                .map(|(v, from, n)| (from.convert(*v, unit), *n))
                .collect();
            let (_, median) = mean_median(&values)?;
            Some(ReportedQuarter {
                quarter: quarter.clone(),
                n: values.iter().map(|(_, n)| n).sum(),
                median,
                longest: values.iter().map(|(v, _)| *v).fold(f64::MIN, f64::max),
            })
        })
        .collect()
}

/// Whether the latest value reaches the target (at least it); null without either.
fn reached(target: Option<&Target>, latest: Option<f64>) -> Option<bool> {
    Some(latest? >= target?.value)
}

/// The time KPI from the stored measurements of the year.
async fn time_kpi(
    deps: StatsDeps<'_>,
    (org, orgs): (&OrgRow, &HashMap<i64, OrgRow>),
    life_situation: &str,
    year: i32,
    entered: &Entered,
    reported: &[(String, Vec<ReportedAnswers>)],
) -> ServiceResult<TimeKpi> {
    let (target, baseline) = (entered.target(Kpi::Time), entered.baseline(Kpi::Time));
    let unit_of = |u: Option<&String>| u.and_then(|u| TimeUnit::parse(u));
    let unit = unit_of(target.and_then(|t| t.unit.as_ref()))
        .or(unit_of(baseline.and_then(|b| b.unit.as_ref())))
        .unwrap_or(TimeUnit::Days);
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ServiceError::bad_parameter("year out of range"));
    };
    let under = org.path.to_string();
    let rows = deps
        .db
        .nsi_measurements(&under, life_situation, (first, last))
        .await?;
    let bound: HashSet<i64> = deps
        .db
        .institutions_of_situation(&under, life_situation)
        .await?
        .into_iter()
        .collect();
    // Per quarter: every value in `unit`, and the count per institution.
    let mut per: BTreeMap<u32, (Vec<f64>, BTreeMap<i64, usize>)> = BTreeMap::new();
    for r in rows {
        let (Ok(day), Some(u)) = (
            NaiveDate::parse_from_str(&r.measured_on, "%Y-%m-%d"),
            TimeUnit::parse(&r.unit),
        ) else {
            continue;
        };
        let slot = per.entry(day.month0() / 3 + 1).or_default();
        slot.0.push(u.convert(r.value, unit));
        *slot.1.entry(r.org_id).or_default() += 1;
    }
    let mut quarters = Vec::new();
    for (qn, (values, counts)) in per {
        let pairs: Vec<(f64, u64)> = values.iter().map(|v| (*v, 1)).collect();
        let Some((_, median)) = mean_median(&pairs) else {
            continue;
        };
        let worst = values.iter().copied().fold(f64::MIN, f64::max);
        let mut scope: Vec<i64> = bound.iter().chain(counts.keys()).copied().collect();
        scope.sort_unstable();
        scope.dedup();
        let short: Vec<ShortInstitution> = scope
            .into_iter()
            .map(|id| (id, counts.get(&id).copied().unwrap_or(0)))
            .filter(|(_, n)| *n < MIN_MEASUREMENTS)
            .filter_map(|(id, n)| {
                Some(ShortInstitution {
                    org: orgs.get(&id)?.code.clone(),
                    measurements: n,
                })
            })
            .collect();
        let mut short = short;
        short.sort_by(|a, b| a.org.cmp(&b.org));
        quarters.push(TimeQuarter {
            quarter: format!("{year}Q{qn}"),
            measurements: values.len(),
            worst,
            median,
            warning: (!short.is_empty()).then_some(FEW_MEASUREMENTS),
            short,
        });
    }
    let achieved = match (target, quarters.last()) {
        (Some(t), Some(latest)) => {
            let tu = unit_of(t.unit.as_ref()).unwrap_or(TimeUnit::Days);
            Some(latest.worst <= tu.convert(t.value, unit))
        }
        _ => None,
    };
    Ok(TimeKpi {
        unit: unit.as_str(),
        baseline: baseline.map(baseline_ref),
        target: target.map(target_ref),
        quarters,
        achieved,
        reported: reported_quarters(reported, unit),
    })
}

/// `GET /api/v1/nsi/overview`: one line per life situation and KPI.
#[derive(Debug, Clone, Deserialize)]
pub struct OverviewQuery {
    /// Org code.
    pub org: String,
    /// The year, `YYYY`.
    pub year: String,
}

/// One KPI of a life situation in the overview: the latest quarter against the target.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewKpi {
    /// The latest quarter with data, if any.
    pub quarter: Option<String>,
    /// Answers (or measurements, for time) that quarter.
    pub n: Option<u64>,
    /// The value that quarter: % satisfied, NPS, or the worst time in `unit`.
    pub value: Option<f64>,
    /// Unit of a time value.
    pub unit: Option<&'static str>,
    /// The current approved target for the year.
    pub target: Option<f64>,
    /// Reached, not reached, or null without a target or data.
    pub achieved: Option<bool>,
}

/// One life situation in the overview.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewRow {
    /// The life situation.
    pub life_situation: SituationRef,
    /// Share satisfied.
    pub satisfied: OverviewKpi,
    /// NPS.
    pub nps: OverviewKpi,
    /// Process time.
    pub time: OverviewKpi,
}

/// The region-wide table: every life situation × KPI, the latest quarter against its target.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// Org code.
    pub org: String,
    /// Year.
    pub year: i32,
    /// One row per life situation, in number order.
    pub rows: Vec<OverviewRow>,
}

/// A score KPI's line of the overview: its latest quarter with answers (name, answers, value)
/// against the target.
fn overview_score(latest: Option<(String, u64, f64)>, target: Option<&Target>) -> OverviewKpi {
    OverviewKpi {
        achieved: reached(target, latest.as_ref().map(|l| l.2)),
        target: target.map(|t| t.value),
        unit: None,
        value: latest.as_ref().map(|l| l.2),
        n: latest.as_ref().map(|l| l.1),
        quarter: latest.map(|l| l.0),
    }
}

/// Every life situation's KPIs in the org's subtree for a year: each row is what
/// [`report`] gives for its latest quarter.
///
/// Each situation's quarters are read from the fourth back, and no further than the latest
/// with answers to both `process` and `nps`: the quarter the row shows (usually one quarter's
/// rollups, where the report reads four).
///
/// # Errors
/// As [`report`].
#[tracing::instrument(skip_all, fields(org = %q.org))]
pub async fn overview(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &OverviewQuery,
) -> ServiceResult<Overview> {
    let db = deps.db;
    let org = checked_org(db, Some(caller), Action::ReadResults, &q.org).await?;
    let year = year_of(&q.year)?;
    let orgs = subtree(db, &org).await?;
    let carriers = Carriers::of(deps).await?;
    let mut situations = db.life_situations().await?;
    situations.sort_by_key(|ls| ls.no);
    let mut rows = Vec::new();
    for ls in situations {
        let entered = Entered::of(db, &org, &ls.code, year).await?;
        let (mut satisfied, mut nps) = (None, None);
        for qn in (1..=4).rev() {
            if satisfied.is_some() && nps.is_some() {
                break;
            }
            let c = quarter_counts(deps, &org.path, &ls.code, (year, qn), &carriers).await?;
            let name = format!("{year}Q{qn}");
            if satisfied.is_none() {
                satisfied = c
                    .satisfied
                    .satisfied_pct()
                    .map(|v| (name.clone(), c.satisfied.n(), v));
            }
            if nps.is_none() {
                nps = c.nps.nps().map(|v| (name, c.nps.n(), v));
            }
        }
        // The table gives the measured KPI only; respondents' reports are the report's.
        let time = time_kpi(deps, (&org, &orgs), &ls.code, year, &entered, &[]).await?;
        let latest_time = time.quarters.last();
        rows.push(OverviewRow {
            satisfied: overview_score(satisfied, entered.target(Kpi::Satisfied)),
            nps: overview_score(nps, entered.target(Kpi::Nps)),
            time: OverviewKpi {
                quarter: latest_time.map(|t| t.quarter.clone()),
                n: latest_time.map(|t| t.measurements as u64),
                value: latest_time.map(|t| t.worst),
                unit: Some(time.unit),
                target: time.target.as_ref().map(|t| t.value),
                achieved: time.achieved,
            },
            life_situation: SituationRef {
                code: ls.code,
                no: ls.no,
                name: ls.name,
            },
        });
    }
    Ok(Overview {
        org: org.code,
        year,
        rows,
    })
}
