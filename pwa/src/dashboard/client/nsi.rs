//! The НСИ page's endpoints (`contract.md` §5 «НСИ»): a life situation's report for a year
//! (`/nsi/report`, and its workbook `/export/nsi-report.xlsx` with the same parameters), the
//! stages ranked by negative answers (`/nsi/stages`) and the region-wide summary
//! (`/nsi/overview`). The shapes are the part of each reply the page reads; fields a server
//! may not send yet (`improvements`, the stage view) default to empty.
//!
//! The replies are read from a `serde_json::Value` by hand ([`Read`]) rather than derived:
//! a derived decoder per shape cost the results bundle about 9 KB (brotli) for these twenty
//! structs.

use serde_json::Value;

use super::{encode, Read};

/// The life situation as the report names it.
#[derive(Debug, Clone, PartialEq)]
pub struct SituationRef {
    /// Code.
    pub code: String,
    /// Official number (ЖС-n).
    pub no: u32,
    /// Name.
    pub name: String,
}

/// The current baseline of a KPI.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineRef {
    /// Value (a time one in `unit`).
    pub value: f64,
    /// Unit of a time baseline.
    pub unit: Option<String>,
    /// Period measured (`2025`, `2025Q4`, `2025-11`).
    pub period: String,
    /// Source.
    pub source: String,
}

/// The current approved target of a KPI for the year.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRef {
    /// Value (a time one in `unit`).
    pub value: f64,
    /// Unit of a time target.
    pub unit: Option<String>,
    /// `gap25`, `position` or `manual`.
    pub method: String,
    /// Who approved it.
    pub approved_by: String,
    /// When (`YYYY-MM-DD` or RFC 3339).
    pub approved_at: String,
}

/// One quarter of the share satisfied or of NPS.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreQuarter {
    /// `2026Q1`.
    pub quarter: String,
    /// Answers.
    pub n: u64,
    /// Share satisfied % or NPS.
    pub value: Option<f64>,
    /// 95 % interval.
    pub ci95: Option<[f64; 2]>,
    /// Below the minimum n: shown greyed with «мало ответов».
    pub low_n: bool,
}

/// The share satisfied or NPS of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreKpi {
    /// The long-term benchmark (90 or 30).
    pub benchmark: Option<f64>,
    /// Current baseline.
    pub baseline: Option<BaselineRef>,
    /// Current approved target for the year.
    pub target: Option<TargetRef>,
    /// Quarters with answers, oldest first.
    pub quarters: Vec<ScoreQuarter>,
    /// Whether the latest quarter reaches the target; null without a target or data.
    pub achieved: Option<bool>,
}

/// An institution short of measurements in a quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortInstitution {
    /// Institution code.
    pub org: String,
    /// Its measurements that quarter.
    pub measurements: u64,
}

/// One quarter of the process time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeQuarter {
    /// `2026Q1`.
    pub quarter: String,
    /// Measurements.
    pub measurements: u64,
    /// The longest: the KPI's value.
    pub worst: f64,
    /// The median.
    pub median: f64,
    /// `fewer_than_10_measurements` when an institution has fewer than ten.
    pub warning: Option<String>,
    /// The institutions with fewer than ten.
    pub short: Vec<ShortInstitution>,
}

/// One quarter of the time respondents reported, in the report's unit.
#[derive(Debug, Clone, PartialEq)]
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

/// The process time of the report, in one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeKpi {
    /// `days`, `hours` or `minutes`: the unit of every value here.
    pub unit: String,
    /// Current baseline.
    pub baseline: Option<BaselineRef>,
    /// Current approved target for the year.
    pub target: Option<TargetRef>,
    /// Quarters with measurements, oldest first.
    pub quarters: Vec<TimeQuarter>,
    /// Whether the latest worst value is at or below the target.
    pub achieved: Option<bool>,
    /// Respondents' own reports of the time, by quarter: a figure apart from the KPI.
    pub reported: Vec<ReportedQuarter>,
}

/// The three main KPIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpis {
    /// Share satisfied.
    pub satisfied: ScoreKpi,
    /// NPS.
    pub nps: ScoreKpi,
    /// Process time.
    pub time: TimeKpi,
}

/// Answers and value over the latest quarter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// Answers.
    pub n: u64,
    /// Share satisfied % or NPS; null without answers.
    pub value: Option<f64>,
}

/// Satisfied and NPS of a group of institutions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Share satisfied.
    pub satisfied: Figure,
    /// NPS.
    pub nps: Figure,
}

/// One institution in the latest quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct InstitutionRow {
    /// Code.
    pub org: String,
    /// Name.
    pub name: String,
    /// `urban`, `rural` or null.
    pub settlement: Option<String>,
    /// Share satisfied.
    pub satisfied: Figure,
    /// NPS.
    pub nps: Figure,
}

/// An improvement measure, dated so the quarters read before/after.
#[derive(Debug, Clone, PartialEq)]
pub struct Improvement {
    /// The institution's code.
    pub org: String,
    /// What was done.
    pub title: String,
    /// The stage it improved, if one.
    pub stage: Option<String>,
    /// When it was done (`YYYY-MM-DD`).
    pub done_on: String,
}

/// `GET /nsi/report`.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The life situation.
    pub life_situation: SituationRef,
    /// The year.
    pub year: i32,
    /// The quarter the institutions and the urban/rural split give.
    pub latest_quarter: Option<String>,
    /// The KPIs.
    pub kpis: Kpis,
    /// Institutions with answers in the latest quarter.
    pub institutions: Vec<InstitutionRow>,
    /// `urban` and `rural` in the latest quarter.
    pub settlement: Vec<(String, Figures)>,
    /// Improvement measures (absent from servers without the comment loop).
    pub improvements: Vec<Improvement>,
}

/// The comments on a stage tagged with each kind of loss.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Losses {
    /// Ожидание.
    pub waiting: u64,
    /// Повторные действия.
    pub duplicate_actions: u64,
    /// Переделка.
    pub rework: u64,
    /// Лишние усилия.
    pub excess_effort: u64,
    /// Лишние шаги.
    pub redundant_steps: u64,
}

impl Losses {
    /// The counts in the order the table's columns name them.
    pub fn counts(&self) -> [u64; 5] {
        [
            self.waiting,
            self.duplicate_actions,
            self.rework,
            self.excess_effort,
            self.redundant_steps,
        ]
    }
}

/// One stage of the life situation, as the stage view ranks it.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRow {
    /// Stage code.
    pub stage: String,
    /// Its name.
    pub name: String,
    /// Answers at the stage's points.
    pub n: u64,
    /// Negative answers («Нет», «Скорее нет»).
    pub negative: u64,
    /// Their share, %; null without answers.
    pub negative_pct: Option<f64>,
    /// Comments on the stage.
    pub comments: u64,
    /// Tagged comments by kind of loss.
    pub losses: Losses,
}

/// One KPI of a life situation in the summary: the latest quarter against the target.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewKpi {
    /// The latest quarter with data.
    pub quarter: Option<String>,
    /// Answers (measurements, for time) that quarter.
    pub n: Option<u64>,
    /// The value: % satisfied, NPS, or the worst time in `unit`.
    pub value: Option<f64>,
    /// Unit of a time value.
    pub unit: Option<String>,
    /// The approved target for the year.
    pub target: Option<f64>,
    /// Reached, not reached, or null.
    pub achieved: Option<bool>,
}

/// One life situation of the summary.
#[derive(Debug, Clone, PartialEq)]
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

fn situation_ref(v: &Value) -> SituationRef {
    SituationRef {
        code: v.text("code"),
        no: u32::try_from(v.count("no")).unwrap_or(0),
        name: v.text("name"),
    }
}

fn baseline_ref(v: &Value) -> BaselineRef {
    BaselineRef {
        value: v.num("value").unwrap_or(0.0),
        unit: v.opt_text("unit"),
        period: v.text("period"),
        source: v.text("source"),
    }
}

fn target_ref(v: &Value) -> TargetRef {
    TargetRef {
        value: v.num("value").unwrap_or(0.0),
        unit: v.opt_text("unit"),
        method: v.text("method"),
        approved_by: v.text("approved_by"),
        approved_at: v.text("approved_at"),
    }
}

fn interval_of(v: &Value) -> Option<[f64; 2]> {
    match v.at("ci95").as_array()?.as_slice() {
        [lo, hi] => Some([lo.as_f64()?, hi.as_f64()?]),
        _ => None,
    }
}

fn score_kpi(v: &Value) -> ScoreKpi {
    ScoreKpi {
        benchmark: v.num("benchmark"),
        baseline: v.object("baseline", baseline_ref),
        target: v.object("target", target_ref),
        quarters: v.list("quarters", |q| ScoreQuarter {
            quarter: q.text("quarter"),
            n: q.count("n"),
            value: q.num("value"),
            ci95: interval_of(q),
            low_n: q.at("low_n").as_bool().unwrap_or(false),
        }),
        achieved: v.at("achieved").as_bool(),
    }
}

fn time_kpi(v: &Value) -> TimeKpi {
    TimeKpi {
        unit: v.opt_text("unit").unwrap_or_else(|| "days".to_owned()),
        baseline: v.object("baseline", baseline_ref),
        target: v.object("target", target_ref),
        quarters: v.list("quarters", |q| TimeQuarter {
            quarter: q.text("quarter"),
            measurements: q.count("measurements"),
            worst: q.num("worst").unwrap_or(0.0),
            median: q.num("median").unwrap_or(0.0),
            warning: q.opt_text("warning"),
            short: q.list("short", |s| ShortInstitution {
                org: s.text("org"),
                measurements: s.count("measurements"),
            }),
        }),
        achieved: v.at("achieved").as_bool(),
        reported: v.list("reported", |q| ReportedQuarter {
            quarter: q.text("quarter"),
            n: q.count("n"),
            median: q.num("median").unwrap_or(0.0),
            longest: q.num("longest").unwrap_or(0.0),
        }),
    }
}

fn figure(v: &Value) -> Figure {
    Figure {
        n: v.count("n"),
        value: v.num("value"),
    }
}

impl Report {
    /// The report of a `/nsi/report` reply.
    pub fn of(v: &Value) -> Self {
        let kpis = v.at("kpis");
        let settlement = v
            .at("settlement")
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, f)| {
                        let figures = Figures {
                            satisfied: figure(f.at("satisfied")),
                            nps: figure(f.at("nps")),
                        };
                        (k.clone(), figures)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Report {
            life_situation: situation_ref(v.at("life_situation")),
            year: i32::try_from(v.count("year")).unwrap_or(0),
            latest_quarter: v.opt_text("latest_quarter"),
            kpis: Kpis {
                satisfied: score_kpi(kpis.at("satisfied")),
                nps: score_kpi(kpis.at("nps")),
                time: time_kpi(kpis.at("time")),
            },
            institutions: v.list("institutions", |i| InstitutionRow {
                org: i.text("org"),
                name: i.text("name"),
                settlement: i.opt_text("settlement"),
                satisfied: figure(i.at("satisfied")),
                nps: figure(i.at("nps")),
            }),
            settlement,
            improvements: v.list("improvements", |m| Improvement {
                org: m.text("org"),
                title: m.text("title"),
                stage: m.opt_text("stage"),
                done_on: m.text("done_on"),
            }),
        }
    }
}

fn stage_row(v: &Value) -> StageRow {
    let l = v.at("losses");
    StageRow {
        stage: v.text("stage"),
        name: v.text("name"),
        n: v.count("n"),
        negative: v.count("negative"),
        negative_pct: v.num("negative_pct"),
        comments: v.count("comments"),
        losses: Losses {
            waiting: l.count("waiting"),
            duplicate_actions: l.count("duplicate_actions"),
            rework: l.count("rework"),
            excess_effort: l.count("excess_effort"),
            redundant_steps: l.count("redundant_steps"),
        },
    }
}

fn overview_kpi(v: &Value) -> OverviewKpi {
    OverviewKpi {
        quarter: v.opt_text("quarter"),
        n: v.at("n").as_u64(),
        value: v.num("value"),
        unit: v.opt_text("unit"),
        target: v.num("target"),
        achieved: v.at("achieved").as_bool(),
    }
}

fn overview_row(v: &Value) -> OverviewRow {
    OverviewRow {
        life_situation: situation_ref(v.at("life_situation")),
        satisfied: overview_kpi(v.at("satisfied")),
        nps: overview_kpi(v.at("nps")),
        time: overview_kpi(v.at("time")),
    }
}

/// The query of the report and of its workbook.
fn report_query(org: &str, life_situation: &str, year: i32) -> String {
    format!(
        "org={}&life_situation={}&year={year}",
        encode(org),
        encode(life_situation)
    )
}

/// The path of the report's workbook (`GET /export/nsi-report.xlsx`, the report's parameters).
pub fn xlsx_path(org: &str, life_situation: &str, year: i32) -> String {
    format!(
        "/export/nsi-report.xlsx?{}",
        report_query(org, life_situation, year)
    )
}

/// What the НСИ page reads for one view: the summary of a year, or a situation's report and
/// stage view. The page fetches the paths one after another through one call site (one
/// request state machine in the bundle, not one per endpoint) and reads each reply here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// `GET /nsi/overview` of `org` for `year`.
    Summary {
        /// The org.
        org: String,
        /// The year.
        year: i32,
    },
    /// `GET /nsi/report` and `GET /nsi/stages` of a life situation.
    Report {
        /// The org.
        org: String,
        /// The life situation's code.
        life_situation: String,
        /// The year.
        year: i32,
    },
}

impl Reads {
    /// The paths to fetch, in order.
    pub fn paths(&self) -> Vec<String> {
        match self {
            Reads::Summary { org, year } => {
                vec![format!("/nsi/overview?org={}&year={year}", encode(org))]
            }
            Reads::Report {
                org,
                life_situation,
                year,
            } => vec![
                format!("/nsi/report?{}", report_query(org, life_situation, *year)),
                format!(
                    "/nsi/stages?org={}&life_situation={}&from={year}-01-01&to={year}-12-31",
                    encode(org),
                    encode(life_situation)
                ),
            ],
        }
    }
}

/// The summary's rows in a `/nsi/overview` reply, every life situation in number order.
pub fn overview_of(reply: &Value) -> Vec<OverviewRow> {
    reply.list("rows", overview_row)
}

/// The stages in a `/nsi/stages` reply, most negative first.
pub fn stages_of(reply: &Value) -> Vec<StageRow> {
    reply.list("stages", stage_row)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_contracts_report_reads_and_missing_parts_are_empty() {
        let reply = json!({"org": "reg", "life_situation": {"code": "job-via-employment-centre", "no": 8, "name": "Трудоустроиться"}, "year": 2026,
          "kpis": {
            "satisfied": {"benchmark": 90, "baseline": {"value": 46.0, "period": "2025Q4", "source": "опрос"},
                          "target": {"value": 57.0, "method": "gap25", "approved_by": "штаб", "approved_at": "2026-02-15"},
                          "quarters": [{"quarter": "2026Q1", "n": 412, "value": 58.7, "ci95": [53.9, 63.3], "low_n": false}],
                          "achieved": true},
            "nps": {"benchmark": 30, "baseline": null, "target": null, "quarters": [], "achieved": null},
            "time": {"unit": "days", "target": null, "quarters": [{"quarter": "2026Q1", "measurements": 12, "worst": 21, "median": 14, "warning": null}]}},
          "institutions": [{"org": "czn-1", "settlement": "urban", "satisfied": {"n": 200, "value": 61.0}, "nps": {"n": 190, "value": 12.1}}],
          "settlement": {"urban": {"satisfied": {"n": 300, "value": 60.3}}}});
        let r = Report::of(&reply);
        assert_eq!(r.life_situation.no, 8);
        let s = &r.kpis.satisfied;
        assert_eq!(s.benchmark, Some(90.0));
        assert_eq!(s.baseline.as_ref().map(|b| b.value), Some(46.0));
        assert_eq!(s.target.as_ref().map(|t| t.method.as_str()), Some("gap25"));
        assert_eq!(s.quarters[0].ci95, Some([53.9, 63.3]));
        assert_eq!(s.achieved, Some(true));
        assert_eq!(r.kpis.nps.target, None);
        assert_eq!(r.kpis.nps.achieved, None);
        assert_eq!(r.kpis.time.quarters[0].worst, 21.0);
        assert!(r.kpis.time.quarters[0].short.is_empty());
        assert!(r.kpis.time.reported.is_empty(), "no question asks");
        assert_eq!(r.institutions[0].nps.value, Some(12.1));
        // The contract's split may leave NPS out; it reads as no answers.
        assert_eq!(r.settlement[0].1.nps, Figure { n: 0, value: None });
        assert!(
            r.improvements.is_empty(),
            "a server without the comment loop"
        );
    }

    #[test]
    fn reported_times_read_apart_from_the_measurements() {
        let reply = json!({"kpis": {"time": {"unit": "hours", "quarters": [],
            "reported": [{"quarter": "2026Q2", "n": 31, "median": 36.5, "longest": 120}]}}});
        let time = Report::of(&reply).kpis.time;
        assert!(time.quarters.is_empty());
        assert_eq!(
            time.reported,
            [ReportedQuarter {
                quarter: "2026Q2".into(),
                n: 31,
                median: 36.5,
                longest: 120.0
            }]
        );
    }

    #[test]
    fn stages_read_with_their_losses_absent_ones_zero() {
        let reply = json!({"stages": [{"stage": "registration", "name": "Регистрация", "n": 40, "negative": 12, "negative_pct": 30.0,
            "comments": 5, "losses": {"waiting": 3, "rework": 1}}]});
        let rows = stages_of(&reply);
        assert_eq!(rows[0].losses.counts(), [3, 0, 1, 0, 0]);
        assert_eq!(rows[0].negative_pct, Some(30.0));
    }
}
