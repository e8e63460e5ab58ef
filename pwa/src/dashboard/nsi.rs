//! «НСИ»: a life situation's quarterly НСИ report for the selected org and year
//! (`/nsi/report`, `contract.md` §5 «НСИ»), as a regional service commissioner attaches it to
//! the quarterly letter: the baseline, the approved target and the long-term benchmark of each
//! KPI with its verdict; each KPI's four quarters with n, value, interval and the improvement
//! measures done that quarter (so the figures read before/after); the time in its own unit
//! with its count, median and worst and the warning under ten measurements; the institutions
//! and the urban/rural split of the latest quarter; the [`stages`] ranked by negative answers;
//! «Скачать XLSX» (the same report as a workbook) and «Печать» (A4 landscape). Without a life
//! situation the page is the region-wide [`summary`].

mod stages;
mod summary;

use std::rc::Rc;

use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::access::{allows, Action};
use otklik_shared::nsi::Kpi;

use super::client::nsi::{
    overview_of, stages_of, Figure, Improvement, OverviewRow, Reads, Report, ScoreKpi, StageRow,
    TargetRef, TimeKpi,
};
use super::client::{self, exports};
use super::exports::download_failed;
use super::grid::{grid, Cell, Grid, Row};
use super::nsi_filters::{read_with_situations, NsiFilters};
use super::nsi_rules::{date_shown, quarter_of, quarters_of, Verdict};
use super::period::Quarter;
use super::sections::Section;
use super::session::use_session;
use super::tree::OrgTree;
use super::workspace::{failure, SectionContext};
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n, Lang, NsiStrings, NsiTerms};
use crate::numbers::{interval, value1};
use stages::stages;
use summary::summary;

/// What the page shows once read: the summary, or a situation's report with its stage view
/// (whose failure, e.g. a server without it, only replaces that part).
enum Shown {
    Summary(Vec<OverviewRow>),
    Report(Box<Report>, Result<Vec<StageRow>, ApiError>),
}

/// The page. Everything it reads comes through one resource (one async state machine in the
/// bundle instead of one per table).
#[component]
pub fn NsiPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let view_state = ctx.view_state;
    let org = ctx.titled_org(Section::Nsi);
    let this_year = browser::now_local().year();
    let year = Memo::new(move |_| view_state.with(|v| v.year).unwrap_or(this_year));
    let situation = Memo::new(move |_| view_state.with(|v| v.life_situation.clone()));
    let situations = RwSignal::new(Vec::new());
    let token = StoredValue::new(ctx.session.token.clone());
    let page = LocalResource::new(move || {
        let code = org.get().map(|o| o.code);
        let reads = code.map(|org| match situation.get() {
            None => Reads::Summary {
                org,
                year: year.get(),
            },
            Some(life_situation) => Reads::Report {
                org,
                life_situation,
                year: year.get(),
            },
        });
        async move {
            let token = token.get_value();
            let paths = reads.as_ref().map(Reads::paths).unwrap_or_default();
            let mut replies = read_with_situations(&token, paths, situations).await;
            let mut next = || {
                replies
                    .next()
                    .unwrap_or(Err(ApiError::Decode("no reply".into())))
            };
            let result = match reads {
                None => Ok(None),
                Some(Reads::Summary { .. }) => {
                    next().map(|v| Some(Rc::new(Shown::Summary(overview_of(&v)))))
                }
                Some(Reads::Report { .. }) => {
                    let report = replies
                        .next()
                        .unwrap_or(Err(ApiError::Decode(String::new())));
                    let stage_rows = replies
                        .next()
                        .unwrap_or(Err(ApiError::Decode(String::new())));
                    report.map(|r| {
                        let rows = stage_rows.map(|v| stages_of(&v));
                        Some(Rc::new(Shown::Report(Box::new(Report::of(&r)), rows)))
                    })
                }
            };
            if let Err(e) = &result {
                client::expire_if_refused(e, context);
            }
            result
        }
    });
    let tree = ctx.tree.clone();
    let body = move || match page.get() {
        None => view! { <p class="notice">{t().loading}</p> }.into_any(),
        Some(Err(e)) => failure(e),
        Some(Ok(None)) => ().into_any(),
        Some(Ok(Some(shown))) => match &*shown {
            Shown::Summary(rows) => {
                let name = org.get_untracked().map(|o| o.name).unwrap_or_default();
                summary(rows, &name, year.get_untracked(), view_state)
            }
            Shown::Report(report, stage_rows) => view! {
                {report_view(report, &tree, i18n.lang())}
                {stages(stage_rows, report.year)}
            }
            .into_any(),
        },
    };
    let enters = allows(ctx.session.role, Action::EnterTargets);
    let rel = (!Section::NsiData.in_this_bundle()).then_some("external");
    // «Скачать XLSX»: the report's own workbook, with the same parameters.
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let download = move |_| {
        let (Some(code), Some(ls)) = (
            org.get_untracked().map(|o| o.code),
            situation.get_untracked(),
        ) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let year = year.get_untracked();
        let path = client::nsi::xlsx_path(&code, &ls, year);
        let name = format!("otklik-nsi-{code}-{ls}-{year}.xlsx");
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            let result = exports::save(&path, &token.get_value(), &name).await;
            busy.set(false);
            if let Err(e) = result {
                client::expire_if_refused(&e, context);
                failed.set(Some(e));
            }
        });
    };
    // The controls are drawn anew when the language changes (one closure for all their words).
    let controls = move || {
        let d = t();
        let edit = enters.then(|| {
            let href = move || view_state.with(|v| v.with_section(Section::NsiData).href());
            view! {
                <p class="nsi-edit">
                    <a href=href rel=rel>{d.nsi.edit}</a>
                </p>
            }
        });
        view! {
            <p class="org-kind">{d.nsi.subtitle}</p>
            <div class="filters">
                <NsiFilters
                    view_state=view_state
                    situations=situations.into()
                    year=year
                    this_year=this_year
                    summary=d.nsi.all_situations
                />
            </div>
            {edit}
            <div class="exports nsi-actions" role="group" aria-label=d.nsi.actions>
                <button
                    type="button"
                    class="button secondary"
                    hidden=move || situation.with(Option::is_none)
                    on:click=download
                >
                    {d.ranking.xlsx}
                </button>
                <button type="button" class="button secondary" on:click=move |_| browser::print()>
                    {d.nsi.print}
                </button>
                <p class="hint" role="status">{move || busy.get().then_some(d.ranking.downloading)}</p>
                {move || {
                    failed
                        .get()
                        .map(|e| view! { <p class="error" role="alert">{download_failed(&e, d)}</p> })
                }}
            </div>
        }
    };
    view! {
        <section class="nsi" aria-labelledby="nsi-title">
            <h1 id="nsi-title">{move || org.get().map(|o| o.name)}</h1>
            {controls}
            {body}
        </section>
    }
}

/// A KPI's name in a table, with the unit of a time («Время процесса, дни»).
fn kpi_name(terms: &NsiTerms, kpi: Kpi, unit: &str) -> String {
    match kpi {
        Kpi::Time => format!("{}, {}", terms.kpis[2], terms.unit(unit)),
        Kpi::Satisfied => terms.kpis[0].to_owned(),
        Kpi::Nps => terms.kpis[1].to_owned(),
    }
}

/// The cell of a verdict, marked by its class (in print too, beside its word).
fn verdict_cell(t: &NsiStrings, v: Verdict) -> Cell {
    let class = match v {
        Verdict::Achieved => "verdict achieved",
        Verdict::NotAchieved => "verdict missed",
        Verdict::NoTarget | Verdict::NoData => "verdict",
    };
    Cell::new(t.verdicts[v.index()]).class(class)
}

/// The report's tables.
fn report_view(r: &Report, tree: &OrgTree, lang: Lang) -> impl IntoView {
    let i18n = use_i18n();
    let d = i18n.t().dashboard;
    let (t, terms) = (d.nsi, d.nsi_terms);
    let situation = format!("ЖС-{} · {}", r.life_situation.no, r.life_situation.name);
    let year_text = r.year.to_string();
    let unit = r.kpis.time.unit.clone();
    let latest = r
        .latest_quarter
        .as_deref()
        .and_then(Quarter::parse)
        .map(|q| q.label(d));
    let score_ref = |kpi: Kpi, k: &ScoreKpi| Reference {
        name: kpi_name(terms, kpi, ""),
        baseline: k
            .baseline
            .as_ref()
            .map(|b| (b.value, b.period.clone(), b.source.clone())),
        target: k.target.clone(),
        benchmark: k.benchmark,
        latest: k.quarters.last().and_then(|q| q.value),
        achieved: k.achieved,
    };
    let time = &r.kpis.time;
    let references = [
        score_ref(Kpi::Satisfied, &r.kpis.satisfied),
        score_ref(Kpi::Nps, &r.kpis.nps),
        Reference {
            name: kpi_name(terms, Kpi::Time, &unit),
            baseline: time
                .baseline
                .as_ref()
                .map(|b| (b.value, b.period.clone(), b.source.clone())),
            target: time.target.clone(),
            benchmark: None,
            latest: time.quarters.last().map(|q| q.worst),
            achieved: time.achieved,
        },
    ];
    let mut tables = vec![Grid {
        id: "nsi-reference".into(),
        caption: fill(
            t.reference_caption,
            &[("situation", &situation), ("year", &year_text)],
        ),
        columns: vec![t.kpi, t.baseline, t.target, t.benchmark, t.latest, t.result],
        groups: vec![references
            .into_iter()
            .map(|x| reference_row(lang, t, terms, x))
            .collect()],
    }];
    for (kpi, k) in [(Kpi::Satisfied, &r.kpis.satisfied), (Kpi::Nps, &r.kpis.nps)] {
        tables.push(score_grid(
            lang,
            kpi_name(terms, kpi, ""),
            kpi,
            k,
            r.year,
            &r.improvements,
        ));
    }
    tables.push(time_grid(
        lang,
        kpi_name(terms, Kpi::Time, &unit),
        time,
        r.year,
        &r.improvements,
        tree,
    ));
    if !time.reported.is_empty() {
        tables.push(reported_grid(lang, &terms.unit(&unit), time, r.year));
    }
    if let Some(quarter) = &latest {
        let columns = [terms.kpis[0], t.answers, terms.kpis[1], t.answers];
        let figures = |f: &Figure| [Cell::new(value1(lang, f.value)), Cell::new(f.n.to_string())];
        let institutions = r
            .institutions
            .iter()
            .map(|i| {
                let place = i
                    .settlement
                    .as_deref()
                    .and_then(|s| ["urban", "rural"].iter().position(|&k| k == s))
                    .map_or(crate::numbers::NONE, |p| t.settlements[p]);
                let mut cells = vec![Cell::new(place)];
                cells.extend(figures(&i.satisfied));
                cells.extend(figures(&i.nps));
                Row::new(i.name.clone(), cells)
            })
            .collect();
        tables.push(Grid {
            id: "nsi-institutions".into(),
            caption: fill(t.institutions_caption, &[("quarter", quarter)]),
            columns: [&[t.institution, t.settlement][..], &columns].concat(),
            groups: vec![institutions],
        });
        let split = t
            .settlements
            .iter()
            .zip(["urban", "rural"])
            .filter_map(|(name, key)| {
                let (_, f) = r.settlement.iter().find(|(k, _)| k == key)?;
                let mut cells = figures(&f.satisfied).to_vec();
                cells.extend(figures(&f.nps));
                Some(Row::new(*name, cells))
            })
            .collect();
        tables.push(Grid {
            id: "nsi-settlement".into(),
            caption: fill(t.settlement_caption, &[("quarter", quarter)]),
            columns: [&[t.settlement][..], &columns].concat(),
            groups: vec![split],
        });
    }
    let heading = format!(
        "{situation}, {}",
        fill(terms.year_value, &[("year", &year_text)])
    );
    view! {
        <h2 class="nsi-situation">{heading}</h2>
        {latest.map(|q| view! { <p class="hint">{fill(t.latest_note, &[("quarter", &q)])}</p> })}
        {tables.into_iter().map(grid).collect_view()}
    }
}

/// A KPI's baseline, target, benchmark and latest value, for the reference table.
struct Reference {
    name: String,
    baseline: Option<(f64, String, String)>,
    target: Option<TargetRef>,
    benchmark: Option<f64>,
    latest: Option<f64>,
    achieved: Option<bool>,
}

/// A KPI's row of the reference table.
fn reference_row(lang: Lang, t: &NsiStrings, terms: &NsiTerms, x: Reference) -> Row {
    let baseline = x.baseline.map_or_else(
        || Cell::new(crate::numbers::NONE),
        |(value, period, source)| {
            let detail = fill(
                t.baseline_detail,
                &[("period", &period), ("source", &source)],
            );
            Cell::new(value1(lang, Some(value))).detail(Some(detail))
        },
    );
    let verdict = Verdict::of(x.achieved, x.target.is_some());
    let target = x.target.map_or_else(
        || Cell::new(crate::numbers::NONE),
        |tr| {
            let detail = fill(
                t.target_detail,
                &[
                    ("method", &terms.method(&tr.method)),
                    ("by", &tr.approved_by),
                    ("date", &date_shown(&tr.approved_at)),
                ],
            );
            Cell::new(value1(lang, Some(tr.value))).detail(Some(detail))
        },
    );
    let benchmark = x
        .benchmark
        .map_or_else(|| t.no_benchmark.to_owned(), |b| value1(lang, Some(b)));
    Row::new(
        x.name,
        vec![
            baseline,
            target,
            Cell::new(benchmark),
            Cell::new(value1(lang, x.latest)),
            verdict_cell(t, verdict),
        ],
    )
}

/// The improvement measures done in `quarter`, each «15.03.2026 — what».
fn measures_in(improvements: &[Improvement], quarter: Quarter) -> String {
    improvements
        .iter()
        .filter(|m| quarter_of(&m.done_on) == Some(quarter))
        .map(|m| format!("{} — {}", date_shown(&m.done_on), m.title))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One row per quarter of `year`, drawn by `row` from the quarter and its data in `quarters`
/// (found by `name`, `2026Q1`), if it has any.
fn by_quarter<Q>(
    year: i32,
    quarters: &[Q],
    name: impl Fn(&Q) -> &String,
    row: impl Fn(Quarter, Option<&Q>) -> Row,
) -> Vec<Row> {
    quarters_of(year)
        .into_iter()
        .map(|q| {
            let key = q.to_string();
            row(q, quarters.iter().find(|x| *name(x) == key))
        })
        .collect()
}

/// A share's or NPS's quarters of the year.
fn score_grid(
    lang: Lang,
    name: String,
    kpi: Kpi,
    k: &ScoreKpi,
    year: i32,
    improvements: &[Improvement],
) -> Grid {
    let i18n = use_i18n();
    let (d, t) = (i18n.t().dashboard, i18n.t().dashboard.nsi);
    let target = k.target.as_ref().map(|x| x.value);
    let rows = by_quarter(
        year,
        &k.quarters,
        |x| &x.quarter,
        |q, found| {
            let value = found.and_then(|x| x.value);
            let low_n = found.is_some_and(|x| x.low_n);
            let verdict = Verdict::of_value(kpi, value, target);
            Row {
                low_n,
                ..Row::new(
                    q.label(d),
                    vec![
                        Cell::new(found.map_or(0, |x| x.n).to_string()),
                        Cell::new(value1(lang, value)).detail(low_n.then(|| d.low_n.to_owned())),
                        Cell::new(interval(lang, found.and_then(|x| x.ci95))),
                        verdict_cell(t, verdict),
                        Cell::new(measures_in(improvements, q)),
                    ],
                )
            }
        },
    );
    Grid {
        id: format!("nsi-{}", kpi.as_str()),
        caption: fill(
            t.quarters_caption,
            &[("kpi", &name), ("year", &year.to_string())],
        ),
        columns: vec![
            t.quarter, t.answers, t.value, t.interval, t.result, t.measures,
        ],
        groups: vec![rows],
    }
}

/// The time respondents reported, by quarter of the year: answers, median, longest. No
/// verdict: the target is for the measured time.
fn reported_grid(lang: Lang, unit: &str, k: &TimeKpi, year: i32) -> Grid {
    let i18n = use_i18n();
    let (d, t) = (i18n.t().dashboard, i18n.t().dashboard.nsi);
    let rows = by_quarter(
        year,
        &k.reported,
        |x| &x.quarter,
        |q, found| {
            Row::new(
                q.label(d),
                vec![
                    Cell::new(found.map_or(0, |x| x.n).to_string()),
                    Cell::new(value1(lang, found.map(|x| x.median))),
                    Cell::new(value1(lang, found.map(|x| x.longest))),
                ],
            )
        },
    );
    Grid {
        id: "nsi-time-reported".into(),
        caption: fill(
            t.reported_caption,
            &[("unit", unit), ("year", &year.to_string())],
        ),
        columns: vec![t.quarter, t.answers, t.median, t.longest],
        groups: vec![rows],
    }
}

/// The time's quarters of the year: count, median, worst, the warning under ten.
fn time_grid(
    lang: Lang,
    name: String,
    k: &TimeKpi,
    year: i32,
    improvements: &[Improvement],
    tree: &OrgTree,
) -> Grid {
    let i18n = use_i18n();
    let (d, t) = (i18n.t().dashboard, i18n.t().dashboard.nsi);
    let target = k.target.as_ref().map(|x| x.value);
    let rows = by_quarter(
        year,
        &k.quarters,
        |x| &x.quarter,
        |q, found| {
            let verdict = Verdict::of_value(Kpi::Time, found.map(|x| x.worst), target);
            let warning = found
                .filter(|x| x.warning.is_some())
                .map_or_else(String::new, |x| {
                    let list = x
                        .short
                        .iter()
                        .map(|s| {
                            let name = tree.get(&s.org).map_or(s.org.as_str(), |o| o.name.as_str());
                            format!("{name} — {}", s.measurements)
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                    if list.is_empty() {
                        t.few_measurements.to_owned()
                    } else {
                        fill(t.few_at, &[("list", &list)])
                    }
                });
            Row::new(
                q.label(d),
                vec![
                    Cell::new(found.map_or(0, |x| x.measurements).to_string()),
                    Cell::new(value1(lang, found.map(|x| x.median))),
                    Cell::new(value1(lang, found.map(|x| x.worst))),
                    verdict_cell(t, verdict),
                    Cell::new(warning).class("warning"),
                    Cell::new(measures_in(improvements, q)),
                ],
            )
        },
    );
    Grid {
        id: "nsi-time".into(),
        caption: fill(
            t.quarters_caption,
            &[("kpi", &name), ("year", &year.to_string())],
        ),
        columns: vec![
            t.quarter,
            t.measurements,
            t.median,
            t.worst,
            t.result,
            t.warning,
            t.measures,
        ],
        groups: vec![rows],
    }
}
