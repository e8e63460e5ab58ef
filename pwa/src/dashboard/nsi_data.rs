//! «Данные НСИ» (officials and admins, who may enter targets): for the selected org, life
//! situation and year, the approved-target form (KPI, year, value, method, source, «Кем
//! утверждено», date; it proposes the `gap25` value from the current baseline and the
//! benchmark but saves what is typed), the baseline form, both version histories, and the
//! process-time measurement form (institution, optional stage, value, unit, date). Each save
//! is a new version on the server; a refusal is told in the interface's words, field by field
//! ([`rules`]).

mod rules;

use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::Org;
use otklik_shared::nsi::{Kpi, Method, TimeUnit};
use serde_json::Value;

use super::client::nsi_data::{
    self as api, baselines_of, targets_of, versions_paths, BaselineVersion, TargetVersion, Versions,
};
use super::client::{self, Situation};
use super::grid::{grid, Cell, Grid, Row};
use super::nsi_filters::{read_with_situations, NsiFilters};
use super::nsi_rules::date_shown;
use super::sections::Section;
use super::session::use_session;
use super::workspace::{failure, SectionContext};
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n, NsiDataStrings, NsiTerms};
use crate::numbers::{decimal, value1};
use rules::{parse_number, proposal, refusal, Proposal};

/// The targets' and baselines' versions of the chosen situation.
type Stored = (Versions<TargetVersion>, Versions<BaselineVersion>);

/// The page. What it reads (the catalogue on the first visit, then the versions) comes through
/// one resource, read again after each save.
#[component]
pub fn NsiDataPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let view_state = ctx.view_state;
    let org = ctx.titled_org(Section::NsiData);
    let this_year = browser::now_local().year();
    let year = Memo::new(move |_| view_state.with(|v| v.year).unwrap_or(this_year));
    let code = Memo::new(move |_| view_state.with(|v| v.life_situation.clone()));
    let situations = RwSignal::new(Vec::<Situation>::new());
    let situation = Memo::new(move |_| {
        let code = code.get()?;
        situations.with(|l| l.iter().find(|s| s.code == code).cloned())
    });
    let reload = RwSignal::new(0u32);
    let token = StoredValue::new(ctx.session.token.clone());
    let stored = LocalResource::new(move || {
        reload.track();
        let keys = org.get().map(|o| o.code).zip(code.get());
        async move {
            let token = token.get_value();
            let paths = keys
                .as_ref()
                .map(|(org, ls)| versions_paths(org, ls).to_vec())
                .unwrap_or_default();
            let mut replies = read_with_situations(&token, paths, situations).await;
            let result = match (replies.next(), replies.next()) {
                (Some(targets), Some(baselines)) => targets
                    .and_then(|t| baselines.map(|b| Some((targets_of(&t), baselines_of(&b))))),
                _ => Ok(None),
            };
            if let Err(e) = &result {
                client::expire_if_refused(e, context);
            }
            result
        }
    });
    let tree = ctx.tree.clone();
    let body = move || {
        let (org, situation) = (org.get()?, situation.get());
        let t = i18n.t().dashboard.nsi_data;
        let Some(situation) = situation else {
            return Some(view! { <p class="notice">{t.pick_situation}</p> }.into_any());
        };
        let institutions: Vec<Org> = tree
            .institutions_under(&org.code)
            .into_iter()
            .cloned()
            .collect();
        let keys = Keys {
            token,
            org: StoredValue::new(org.code),
            situation: StoredValue::new(situation.code.clone()),
        };
        let baselines = Memo::new(move |_| {
            stored
                .get()
                .and_then(Result::ok)
                .flatten()
                .map(|(_, b)| b.current)
                .unwrap_or_default()
        });
        let histories = move || match stored.get() {
            None => view! { <p class="notice">{i18n.t().dashboard.loading}</p> }.into_any(),
            Some(Err(e)) => failure(e),
            Some(Ok(None)) => ().into_any(),
            Some(Ok(Some(versions))) => histories(versions),
        };
        let terms = i18n.t().dashboard.nsi_terms;
        Some(
            view! {
                {target_form(t, terms, keys, year.get(), baselines, reload)}
                {baseline_form(t, terms, keys, year.get(), reload)}
                {histories}
                {measurement_form(t, terms, keys, &situation, &institutions, reload)}
            }
            .into_any(),
        )
    };
    let controls = move || {
        let t = i18n.t().dashboard.nsi_data;
        view! {
            <p class="org-kind">{t.subtitle}</p>
            <div class="filters">
                <NsiFilters
                    view_state=view_state
                    situations=situations.into()
                    year=year
                    this_year=this_year
                    summary=t.pick_situation
                />
            </div>
        }
    };
    view! {
        <section class="nsi" aria-labelledby="nsi-data-title">
            <h1 id="nsi-data-title">{move || org.get().map(|o| o.name)}</h1>
            {controls}
            {body}
        </section>
    }
}

/// What a form last said.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    Done(String),
    Problem(String),
}

/// A form's state: what it said and whether it is saving.
#[derive(Clone, Copy)]
struct FormState {
    said: RwSignal<Option<Said>>,
    saving: RwSignal<bool>,
}

impl FormState {
    fn new() -> Self {
        Self {
            said: RwSignal::new(None),
            saving: RwSignal::new(false),
        }
    }

    /// The number in `field`, or `None` having said it is none.
    fn number(self, field: RwSignal<String>, t: &NsiDataStrings) -> Option<f64> {
        let number = parse_number(&field.get_untracked());
        if number.is_none() {
            self.said
                .set(Some(Said::Problem(t.not_a_number.to_owned())));
        }
        number
    }

    /// Sends `body` with `method` to `path`; then says `done` and bumps `reload`, or says why
    /// not (for a form about `kpi`).
    fn send(
        self,
        keys: Keys,
        (method, path): (&'static str, &'static str),
        body: Value,
        kpi: Kpi,
        done: &'static str,
        reload: RwSignal<u32>,
    ) {
        let i18n = use_i18n();
        let context = use_session();
        self.saving.set(true);
        self.said.set(None);
        spawn_local(async move {
            let result = api::send(&keys.token.get_value(), method, path, body).await;
            self.saving.set(false);
            let t = i18n.t().dashboard;
            self.said.set(Some(match result {
                Ok(()) => {
                    reload.update(|n| *n += 1);
                    Said::Done(done.to_owned())
                }
                Err(ApiError::Http { status: 422, body }) => {
                    Said::Problem(refusal(body.as_ref(), kpi, t.nsi_data))
                }
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    Said::Problem(client::explain(&e, t))
                }
            }));
        });
    }

    /// The save button and what the form said (a status, or an alert for a problem).
    fn footer(self, label: &'static str, saving_label: &'static str) -> impl IntoView {
        let (saving, said) = (self.saving, self.said);
        view! {
            <button type="submit" class="button" disabled=saving>
                {move || if saving.get() { saving_label } else { label }}
            </button>
            {move || {
                said.get()
                    .map(|s| {
                        let (class, role, text) = match s {
                            Said::Done(text) => ("notice", "status", text),
                            Said::Problem(text) => ("error", "alert", text),
                        };
                        view! { <p class=class role=role>{text}</p> }
                    })
            }}
        }
    }
}

/// A form's control.
enum Input {
    /// An input of a kind (`text`, `date`) bound to a text.
    Text(&'static str, RwSignal<String>),
    /// A select of options, the chosen one's index bound.
    Choice(Vec<String>, RwSignal<usize>),
}

/// A labelled control; `time_only` hides it unless that KPI choice is time.
struct Field {
    id: &'static str,
    label: &'static str,
    input: Input,
    time_only: Option<RwSignal<usize>>,
}

/// A field shown always.
fn field(id: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        id,
        label,
        input,
        time_only: None,
    }
}

/// The names of `names`, owned, for an [`Input::Choice`].
fn names(names: &[&'static str]) -> Vec<String> {
    names.iter().map(|&n| n.to_owned()).collect()
}

/// Draws a row of fields. One drawing for every field of every form: each distinct `view!`
/// shape costs the bundle its own code.
fn fields(list: Vec<Field>) -> AnyView {
    let drawn = list
        .into_iter()
        .map(|f| {
            let id = f.id;
            let control = match f.input {
                Input::Text(kind, value) => view! {
                    <input
                        id=id
                        class="field"
                        type=kind
                        autocomplete="off"
                        prop:value=value
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                }
                .into_any(),
                Input::Choice(options, chosen) => {
                    let options = options
                        .into_iter()
                        .enumerate()
                        .map(|(i, name)| {
                            view! { <option value=i.to_string() selected=move || chosen.get() == i>{name}</option> }
                        })
                        .collect_view();
                    view! {
                        <select
                            id=id
                            class="field"
                            on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                        >
                            {options}
                        </select>
                    }
                    .into_any()
                }
            };
            let time_only = f.time_only;
            view! {
                <div class="filter" hidden=move || time_only.is_some_and(|k| k.get() != 2)>
                    <label for=id>{f.label}</label>
                    {control}
                </div>
            }
        })
        .collect_view();
    view! { <div class="filters">{drawn}</div> }.into_any()
}

/// A form: headed `title` (its `h2` has `id` and names the form), `top` fields, `middle`,
/// `bottom` fields, the `save` button and what the form said.
struct FormView {
    id: &'static str,
    title: &'static str,
    top: Vec<Field>,
    middle: AnyView,
    bottom: Vec<Field>,
    save: &'static str,
}

impl FormState {
    /// Draws `f`, which this state speaks for; `submit` runs on «Enter» or the button.
    fn draw(self, f: FormView, saving: &'static str, submit: Callback<()>) -> AnyView {
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            submit.run(());
        };
        view! {
            <form class="nsi-form" aria-labelledby=f.id on:submit=on_submit novalidate>
                <h2 id=f.id>{f.title}</h2>
                {fields(f.top)}
                {f.middle}
                {fields(f.bottom)}
                {self.footer(f.save, saving)}
            </form>
        }
        .into_any()
    }
}

/// What every write names: the token, the org and the life situation.
#[derive(Clone, Copy)]
struct Keys {
    token: StoredValue<String>,
    org: StoredValue<String>,
    situation: StoredValue<String>,
}

impl Keys {
    /// The fields every write carries: org, life situation, KPI, value, and for a time its
    /// unit (`unit`, an index into `TimeUnit::ALL`). Built by hand: `json!` would compile a
    /// serializer per field type into the bundle.
    fn body(self, kpi: Kpi, value: f64, unit: usize) -> Value {
        let mut body = Value::Object(serde_json::Map::new());
        body["org"] = self.org.get_value().into();
        body["life_situation"] = self.situation.get_value().into();
        body["kpi"] = kpi.as_str().into();
        body["value"] = value.into();
        if kpi == Kpi::Time {
            body["unit"] = TimeUnit::ALL[unit].as_str().into();
        }
        body
    }
}

/// A value with its unit when it has one («18,0 дни»).
fn with_unit(terms: &NsiTerms, value: f64, unit: Option<&str>) -> String {
    let lang = use_i18n().lang();
    match unit {
        Some(u) => format!("{} {}", value1(lang, Some(value)), terms.unit(u)),
        None => value1(lang, Some(value)),
    }
}

/// The approved-target form.
fn target_form(
    t: &'static NsiDataStrings,
    terms: &'static NsiTerms,
    keys: Keys,
    year: i32,
    baselines: Memo<Vec<BaselineVersion>>,
    reload: RwSignal<u32>,
) -> AnyView {
    let lang = use_i18n().lang();
    let (kpi, unit, method) = (
        RwSignal::new(0usize),
        RwSignal::new(0usize),
        RwSignal::new(0usize),
    );
    let year_text = RwSignal::new(year.to_string());
    let value = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let approved_by = RwSignal::new(String::new());
    let approved_at = RwSignal::new(browser::now_local().date_naive().to_string());
    let state = FormState::new();
    // The proposal, and the button that puts it in the value field (hidden without one).
    let suggested = Memo::new(move |_| {
        let k = Kpi::ALL[kpi.get()];
        let base = baselines.with(|b| b.iter().find(|b| b.kpi == k.as_str()).map(|b| b.value));
        proposal(k, base)
    });
    let hint = move || match suggested.get() {
        Proposal::Gap25 {
            value: v,
            baseline,
            benchmark,
        } => {
            let shown = |x| value1(lang, Some(x));
            fill(
                t.proposal,
                &[
                    ("value", &shown(v)),
                    ("baseline", &shown(baseline)),
                    ("benchmark", &shown(benchmark)),
                ],
            )
        }
        Proposal::NoneForTime => t.no_proposal_time.to_owned(),
        Proposal::NoBaseline => t.no_baseline.to_owned(),
    };
    let fill_in = move |_| {
        if let Proposal::Gap25 { value: v, .. } = suggested.get_untracked() {
            value.set(decimal(lang, v, 1));
            method.set(0);
        }
    };
    let middle = view! {
        <p class="hint">{hint}</p>
        <button
            type="button"
            class="button secondary"
            hidden=move || !matches!(suggested.get(), Proposal::Gap25 { .. })
            on:click=fill_in
        >
            {t.use_proposal}
        </button>
    };
    let submit = Callback::new(move |()| {
        let k = Kpi::ALL[kpi.get_untracked()];
        let Some(v) = state.number(value, t) else {
            return;
        };
        let Ok(y) = year_text.get_untracked().trim().parse::<i32>() else {
            return state.said.set(Some(Said::Problem(t.bad_year.to_owned())));
        };
        let mut body = keys.body(k, v, unit.get_untracked());
        body["year"] = y.into();
        body["method"] = Method::ALL[method.get_untracked()].as_str().into();
        body["source"] = source.get_untracked().into();
        body["approved_by"] = approved_by.get_untracked().into();
        body["approved_at"] = approved_at.get_untracked().into();
        state.send(keys, ("PUT", api::TARGETS), body, k, t.saved[0], reload);
    });
    let top = vec![
        field("t-kpi", t.kpi, Input::Choice(names(&terms.kpis), kpi)),
        field("t-year", terms.year, Input::Text("text", year_text)),
        field("t-value", t.value, Input::Text("text", value)),
        Field {
            time_only: Some(kpi),
            ..field("t-unit", t.unit, Input::Choice(names(&terms.units), unit))
        },
        field(
            "t-method",
            t.method,
            Input::Choice(names(&terms.methods), method),
        ),
    ];
    let bottom = vec![
        field("t-source", t.source, Input::Text("text", source)),
        field(
            "t-approved-by",
            t.approved_by,
            Input::Text("text", approved_by),
        ),
        field(
            "t-approved-at",
            t.approved_at,
            Input::Text("date", approved_at),
        ),
    ];
    let f = FormView {
        id: "nsi-target-title",
        title: t.target_title,
        top,
        middle: middle.into_any(),
        bottom,
        save: t.save[0],
    };
    state.draw(f, t.saving, submit)
}

/// The baseline form.
fn baseline_form(
    t: &'static NsiDataStrings,
    terms: &'static NsiTerms,
    keys: Keys,
    year: i32,
    reload: RwSignal<u32>,
) -> AnyView {
    let (kpi, unit) = (RwSignal::new(0usize), RwSignal::new(0usize));
    let value = RwSignal::new(String::new());
    let period = RwSignal::new((year - 1).to_string());
    let source = RwSignal::new(String::new());
    let state = FormState::new();
    let submit = Callback::new(move |()| {
        let k = Kpi::ALL[kpi.get_untracked()];
        let Some(v) = state.number(value, t) else {
            return;
        };
        let mut body = keys.body(k, v, unit.get_untracked());
        body["period"] = period.get_untracked().into();
        body["source"] = source.get_untracked().into();
        state.send(keys, ("PUT", api::BASELINES), body, k, t.saved[1], reload);
    });
    let top = vec![
        field("b-kpi", t.kpi, Input::Choice(names(&terms.kpis), kpi)),
        field("b-value", t.value, Input::Text("text", value)),
        Field {
            time_only: Some(kpi),
            ..field("b-unit", t.unit, Input::Choice(names(&terms.units), unit))
        },
        field("b-period", t.period, Input::Text("text", period)),
        field("b-source", t.source, Input::Text("text", source)),
    ];
    let f = FormView {
        id: "nsi-baseline-title",
        title: t.baseline_title,
        top,
        middle: view! { <p class="hint">{t.period_hint}</p> }.into_any(),
        bottom: Vec::new(),
        save: t.save[1],
    };
    state.draw(f, t.saving, submit)
}

/// The process-time measurement form.
fn measurement_form(
    t: &'static NsiDataStrings,
    terms: &'static NsiTerms,
    keys: Keys,
    situation: &Situation,
    institutions: &[Org],
    reload: RwSignal<u32>,
) -> AnyView {
    if institutions.is_empty() {
        return view! { <p class="notice">{t.no_institutions}</p> }.into_any();
    }
    let codes: Vec<String> = institutions.iter().map(|o| o.code.clone()).collect();
    let org_names: Vec<String> = institutions.iter().map(|o| o.name.clone()).collect();
    let stage_codes: Vec<String> = situation.stages.iter().map(|s| s.code.clone()).collect();
    let mut stage_names = vec![t.no_stage.to_owned()];
    stage_names.extend(situation.stages.iter().map(|s| s.name.clone()));
    let (institution, stage, unit) = (
        RwSignal::new(0usize),
        RwSignal::new(0usize),
        RwSignal::new(0usize),
    );
    let value = RwSignal::new(String::new());
    let measured_at = RwSignal::new(browser::now_local().date_naive().to_string());
    let state = FormState::new();
    let (codes, stage_codes) = (StoredValue::new(codes), StoredValue::new(stage_codes));
    let submit = Callback::new(move |()| {
        let Some(v) = state.number(value, t) else {
            return;
        };
        let stage = stage
            .get_untracked()
            .checked_sub(1)
            .and_then(|i| stage_codes.with_value(|c| c.get(i).cloned()));
        let mut body = keys.body(Kpi::Time, v, unit.get_untracked());
        body["org"] = codes
            .with_value(|c| c[institution.get_untracked()].clone())
            .into();
        body["stage"] = stage.into();
        body["measured_at"] = measured_at.get_untracked().into();
        state.send(
            keys,
            ("POST", api::MEASUREMENTS),
            body,
            Kpi::Time,
            t.saved[2],
            reload,
        );
    });
    let top = vec![
        field(
            "m-org",
            t.institution,
            Input::Choice(org_names, institution),
        ),
        field("m-stage", t.stage, Input::Choice(stage_names, stage)),
        field("m-value", t.value, Input::Text("text", value)),
        field("m-unit", t.unit, Input::Choice(names(&terms.units), unit)),
        field("m-date", t.measured_at, Input::Text("date", measured_at)),
    ];
    let f = FormView {
        id: "nsi-measurement-title",
        title: t.measurement_title,
        top,
        middle: ().into_any(),
        bottom: Vec::new(),
        save: t.save[2],
    };
    state.draw(f, t.saving, submit)
}

/// The version histories of the targets and the baselines.
fn histories((targets, baselines): Stored) -> AnyView {
    let i18n = use_i18n();
    let (t, terms) = (i18n.t().dashboard.nsi_data, i18n.t().dashboard.nsi_terms);
    let entered = |by: &str, at: &str| Cell::new(format!("{by}, {}", date_shown(at)));
    let target_rows = targets
        .history
        .iter()
        .map(|v| {
            let cells = vec![
                Cell::new(v.year.to_string()),
                Cell::new(v.version.to_string()),
                Cell::new(with_unit(terms, v.value, v.unit.as_deref())),
                Cell::new(terms.method(&v.method)),
                Cell::new(v.source.clone()),
                Cell::new(v.approved_by.clone()),
                Cell::new(date_shown(&v.approved_at)),
                entered(&v.entered_by, &v.entered_at),
            ];
            Row::new(terms.kpi(&v.kpi), cells)
        })
        .collect();
    let baseline_rows = baselines
        .history
        .iter()
        .map(|v| {
            let cells = vec![
                Cell::new(v.version.to_string()),
                Cell::new(with_unit(terms, v.value, v.unit.as_deref())),
                Cell::new(v.period.clone()),
                Cell::new(v.source.clone()),
                entered(&v.entered_by, &v.entered_at),
            ];
            Row::new(terms.kpi(&v.kpi), cells)
        })
        .collect();
    [
        Grid {
            id: "nsi-targets-history".into(),
            caption: t.targets_history.into(),
            columns: vec![
                t.kpi,
                terms.year,
                t.version,
                t.value,
                t.method,
                t.source,
                t.approved_by,
                t.approved_at,
                t.entered,
            ],
            groups: vec![target_rows],
        },
        Grid {
            id: "nsi-baselines-history".into(),
            caption: t.baselines_history.into(),
            columns: vec![t.kpi, t.version, t.value, t.period, t.source, t.entered],
            groups: vec![baseline_rows],
        },
    ]
    .into_iter()
    .map(grid)
    .collect_view()
    .into_any()
}
