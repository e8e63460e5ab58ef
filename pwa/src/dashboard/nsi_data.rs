//! «Данные НСИ» (officials and admins, who may enter targets): for the selected org, life
//! situation and year, the approved-target form (KPI, year, value, method, source, «Кем
//! утверждено», date; it proposes the `gap25` value from the current baseline and the
//! benchmark but saves what is typed), the baseline form, both version histories, and the
//! process-time measurement form (institution, optional stage, value, unit, date). Each save
//! is a new version on the server; a refusal is told in the interface's words, field by field
//! ([`rules`]).

mod rules;

use std::future::Future;

use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::Org;
use otklik_shared::nsi::{Kpi, Method, TimeUnit};

use super::client::nsi_data::{
    self as api, BaselineVersion, NewBaseline, NewMeasurement, NewTarget, TargetVersion, Versions,
};
use super::client::{self, Situation};
use super::nsi_filters::NsiFilters;
use super::nsi_rules::date_shown;
use super::sections::Section;
use super::session::use_session;
use super::tree::OrgTree;
use super::workspace::{failure, table_head, SectionContext};
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n, NsiDataStrings, NsiTerms};
use crate::numbers::{decimal, value1};
use rules::{parse_number, proposal, refusal, Proposal};

/// The page.
#[component]
pub fn NsiDataPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard.nsi_data;
    let view_state = ctx.view_state;
    let org = ctx.titled_org(Section::NsiData);
    let this_year = browser::now_local().year();
    let year = Memo::new(move |_| view_state.with(|v| v.year).unwrap_or(this_year));
    let token = ctx.session.token.clone();
    let situations = LocalResource::new({
        let token = token.clone();
        move || {
            let token = token.clone();
            async move { client::situations(&token).await }
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = situations.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let list = Signal::derive(move || situations.get().and_then(Result::ok).unwrap_or_default());
    let situation = Memo::new(move |_| {
        let code = view_state.with(|v| v.life_situation.clone())?;
        list.get().into_iter().find(|s| s.code == code)
    });
    let tree = ctx.tree.clone();
    let body = move || {
        let org = org.get()?;
        Some(match situation.get() {
            None => view! { <p class="notice">{t().pick_situation}</p> }.into_any(),
            Some(s) => view! {
                <NsiData token=token.clone() org=org situation=s year=year.get() tree=tree.clone() />
            }
            .into_any(),
        })
    };
    view! {
        <section class="nsi" aria-labelledby="nsi-data-title">
            <h1 id="nsi-data-title">{move || org.get().map(|o| o.name)}</h1>
            <p class="org-kind">{move || t().subtitle}</p>
            <div class="filters">
                <NsiFilters
                    view_state=view_state
                    situations=list
                    year=year
                    this_year=this_year
                    summary=t().pick_situation
                />
            </div>
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

    /// Says `problem` (a check before sending failed).
    fn refuse(self, problem: &str) {
        self.said.set(Some(Said::Problem(problem.to_owned())));
    }

    /// Sends `call`; then says `done` and bumps `reload`, or says why not (for a form about
    /// `kpi`).
    fn run(
        self,
        kpi: Kpi,
        done: &'static str,
        reload: RwSignal<u32>,
        call: impl Future<Output = Result<(), ApiError>> + 'static,
    ) {
        let i18n = use_i18n();
        let context = use_session();
        self.saving.set(true);
        self.said.set(None);
        spawn_local(async move {
            let result = call.await;
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

    /// The save button and what the form said.
    fn footer(self, label: &'static str, saving_label: &'static str) -> impl IntoView {
        let saving = self.saving;
        let said = self.said;
        view! {
            <button type="submit" class="button" disabled=saving>
                {move || if saving.get() { saving_label } else { label }}
            </button>
            {move || {
                said.get()
                    .map(|s| match s {
                        Said::Done(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                        Said::Problem(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
                    })
            }}
        }
    }
}

/// A labelled input of `kind` (`text`, `date`) bound to `value`.
fn field(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <input
                id=id
                class="field"
                type=kind
                autocomplete="off"
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// A labelled select of `options`, the chosen one's index in `chosen`.
fn choice(
    id: &'static str,
    label: &'static str,
    options: Vec<String>,
    chosen: RwSignal<usize>,
) -> impl IntoView {
    let options = options
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            view! { <option value=i.to_string() selected=move || chosen.get() == i>{name}</option> }
        })
        .collect_view();
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <select
                id=id
                class="field"
                on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))
            >
                {options}
            </select>
        </div>
    }
}

/// The names of `names`, owned, for [`choice`].
fn names(names: &[&'static str]) -> Vec<String> {
    names.iter().map(|&n| n.to_owned()).collect()
}

/// The forms and histories of `org` × `situation`.
#[component]
fn NsiData(
    token: String,
    org: Org,
    situation: Situation,
    year: i32,
    tree: std::sync::Arc<OrgTree>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let reload = RwSignal::new(0u32);
    let versions = LocalResource::new({
        let (token, org, ls) = (token.clone(), org.code.clone(), situation.code.clone());
        move || {
            reload.track();
            let (token, org, ls) = (token.clone(), org.clone(), ls.clone());
            async move {
                let targets = api::targets(&token, &org, &ls).await?;
                let baselines = api::baselines(&token, &org, &ls).await?;
                Ok::<_, ApiError>((targets, baselines))
            }
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = versions.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let baselines = Memo::new(move |_| {
        versions
            .get()
            .and_then(Result::ok)
            .map(|(_, b)| b.current)
            .unwrap_or_default()
    });
    let institutions: Vec<Org> = tree
        .institutions_under(&org.code)
        .into_iter()
        .cloned()
        .collect();
    let keys = Keys {
        token: StoredValue::new(token),
        org: StoredValue::new(org.code.clone()),
        situation: StoredValue::new(situation.code.clone()),
    };
    let histories = move || match versions.get() {
        None => view! { <p class="notice">{i18n.t().dashboard.loading}</p> }.into_any(),
        Some(Err(e)) => failure(e),
        Some(Ok((targets, baselines))) => histories(targets, baselines).into_any(),
    };
    let situation = StoredValue::new(situation);
    let institutions = StoredValue::new(institutions);
    move || {
        let t = i18n.t().dashboard.nsi_data;
        let terms = i18n.t().dashboard.nsi_terms;
        view! {
            {target_form(t, terms, keys, year, baselines, reload)}
            {baseline_form(t, terms, keys, year, reload)}
            {histories}
            {measurement_form(t, terms, keys, &situation.get_value(), &institutions.get_value(), reload)}
        }
    }
}

/// What every write names: the token, the org and the life situation.
#[derive(Clone, Copy)]
struct Keys {
    token: StoredValue<String>,
    org: StoredValue<String>,
    situation: StoredValue<String>,
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
) -> impl IntoView {
    let lang = use_i18n().lang();
    let kpi = RwSignal::new(0usize);
    let year_text = RwSignal::new(year.to_string());
    let value = RwSignal::new(String::new());
    let unit = RwSignal::new(0usize);
    let method = RwSignal::new(0usize);
    let source = RwSignal::new(String::new());
    let approved_by = RwSignal::new(String::new());
    let approved_at = RwSignal::new(browser::now_local().date_naive().to_string());
    let state = FormState::new();
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
            let text = fill(
                t.proposal,
                &[
                    ("value", &value1(lang, Some(v))),
                    ("baseline", &value1(lang, Some(baseline))),
                    ("benchmark", &value1(lang, Some(benchmark))),
                ],
            );
            view! {
                <p class="hint">{text}</p>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| {
                        value.set(decimal(lang, v, 1));
                        method.set(0);
                    }
                >
                    {t.use_proposal}
                </button>
            }
            .into_any()
        }
        Proposal::NoneForTime => view! { <p class="hint">{t.no_proposal_time}</p> }.into_any(),
        Proposal::NoBaseline => view! { <p class="hint">{t.no_baseline}</p> }.into_any(),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = Kpi::ALL[kpi.get_untracked()];
        let Some(v) = parse_number(&value.get_untracked()) else {
            return state.refuse(t.not_a_number);
        };
        let Ok(y) = year_text.get_untracked().trim().parse::<i32>() else {
            return state.refuse(t.bad_year);
        };
        let body = NewTarget {
            org: keys.org.get_value(),
            life_situation: keys.situation.get_value(),
            kpi: k.as_str().to_owned(),
            year: y,
            value: v,
            unit: (k == Kpi::Time).then(|| TimeUnit::ALL[unit.get_untracked()].as_str().to_owned()),
            method: Method::ALL[method.get_untracked()].as_str().to_owned(),
            source: source.get_untracked(),
            approved_by: approved_by.get_untracked(),
            approved_at: approved_at.get_untracked(),
        };
        let token = keys.token.get_value();
        state.run(k, t.saved[0], reload, async move {
            api::put_target(&token, &body).await
        });
    };
    let is_time = move || kpi.get() == 2;
    view! {
        <form class="nsi-form" aria-labelledby="nsi-target-title" on:submit=on_submit novalidate>
            <h2 id="nsi-target-title">{t.target_title}</h2>
            <div class="filters">
                {choice("t-kpi", t.kpi, names(&terms.kpis), kpi)}
                {field("t-year", terms.year, "text", year_text)}
                {field("t-value", t.value, "text", value)}
                {move || is_time().then(|| choice("t-unit", t.unit, names(&terms.units), unit))}
                {choice("t-method", t.method, names(&terms.methods), method)}
            </div>
            {hint}
            <div class="filters">
                {field("t-source", t.source, "text", source)}
                {field("t-approved-by", t.approved_by, "text", approved_by)}
                {field("t-approved-at", t.approved_at, "date", approved_at)}
            </div>
            {state.footer(t.save[0], t.saving)}
        </form>
    }
}

/// The baseline form.
fn baseline_form(
    t: &'static NsiDataStrings,
    terms: &'static NsiTerms,
    keys: Keys,
    year: i32,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let kpi = RwSignal::new(0usize);
    let value = RwSignal::new(String::new());
    let unit = RwSignal::new(0usize);
    let period = RwSignal::new((year - 1).to_string());
    let source = RwSignal::new(String::new());
    let state = FormState::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = Kpi::ALL[kpi.get_untracked()];
        let Some(v) = parse_number(&value.get_untracked()) else {
            return state.refuse(t.not_a_number);
        };
        let body = NewBaseline {
            org: keys.org.get_value(),
            life_situation: keys.situation.get_value(),
            kpi: k.as_str().to_owned(),
            value: v,
            unit: (k == Kpi::Time).then(|| TimeUnit::ALL[unit.get_untracked()].as_str().to_owned()),
            period: period.get_untracked(),
            source: source.get_untracked(),
        };
        let token = keys.token.get_value();
        state.run(k, t.saved[1], reload, async move {
            api::put_baseline(&token, &body).await
        });
    };
    view! {
        <form class="nsi-form" aria-labelledby="nsi-baseline-title" on:submit=on_submit novalidate>
            <h2 id="nsi-baseline-title">{t.baseline_title}</h2>
            <div class="filters">
                {choice("b-kpi", t.kpi, names(&terms.kpis), kpi)}
                {field("b-value", t.value, "text", value)}
                {move || (kpi.get() == 2).then(|| choice("b-unit", t.unit, names(&terms.units), unit))}
                {field("b-period", t.period, "text", period)}
                {field("b-source", t.source, "text", source)}
            </div>
            <p class="hint">{t.period_hint}</p>
            {state.footer(t.save[1], t.saving)}
        </form>
    }
}

/// The process-time measurement form.
fn measurement_form(
    t: &'static NsiDataStrings,
    terms: &'static NsiTerms,
    keys: Keys,
    situation: &Situation,
    institutions: &[Org],
    reload: RwSignal<u32>,
) -> impl IntoView {
    if institutions.is_empty() {
        return view! { <p class="notice">{t.no_institutions}</p> }.into_any();
    }
    let codes: Vec<String> = institutions.iter().map(|o| o.code.clone()).collect();
    let stage_codes: Vec<String> = situation.stages.iter().map(|s| s.code.clone()).collect();
    let mut stage_names = vec![t.no_stage.to_owned()];
    stage_names.extend(situation.stages.iter().map(|s| s.name.clone()));
    let institution = RwSignal::new(0usize);
    let stage = RwSignal::new(0usize);
    let value = RwSignal::new(String::new());
    let unit = RwSignal::new(0usize);
    let measured_at = RwSignal::new(browser::now_local().date_naive().to_string());
    let state = FormState::new();
    let (codes, stage_codes) = (StoredValue::new(codes), StoredValue::new(stage_codes));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(v) = parse_number(&value.get_untracked()) else {
            return state.refuse(t.not_a_number);
        };
        let body = NewMeasurement {
            org: codes.with_value(|c| c[institution.get_untracked()].clone()),
            life_situation: keys.situation.get_value(),
            stage: stage
                .get_untracked()
                .checked_sub(1)
                .and_then(|i| stage_codes.with_value(|c| c.get(i).cloned())),
            value: v,
            unit: TimeUnit::ALL[unit.get_untracked()].as_str().to_owned(),
            measured_at: measured_at.get_untracked(),
        };
        let token = keys.token.get_value();
        state.run(Kpi::Time, t.saved[2], reload, async move {
            api::add_measurement(&token, &body).await
        });
    };
    let names_of: Vec<String> = institutions.iter().map(|o| o.name.clone()).collect();
    view! {
        <form class="nsi-form" aria-labelledby="nsi-measurement-title" on:submit=on_submit novalidate>
            <h2 id="nsi-measurement-title">{t.measurement_title}</h2>
            <div class="filters">
                {choice("m-org", t.institution, names_of, institution)}
                {choice("m-stage", t.stage, stage_names, stage)}
                {field("m-value", t.value, "text", value)}
                {choice("m-unit", t.unit, names(&terms.units), unit)}
                {field("m-date", t.measured_at, "date", measured_at)}
            </div>
            {state.footer(t.save[2], t.saving)}
        </form>
    }
    .into_any()
}

/// The version histories of the targets and the baselines.
fn histories(
    targets: Versions<TargetVersion>,
    baselines: Versions<BaselineVersion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, terms) = (i18n.t().dashboard.nsi_data, i18n.t().dashboard.nsi_terms);
    let entered = |by: &str, at: &str| format!("{by}, {}", date_shown(at));
    let target_rows = targets
        .history
        .into_iter()
        .map(|v| {
            view! {
                <tr>
                    <th scope="row">{terms.kpi(&v.kpi)}</th>
                    <td>{v.year}</td>
                    <td>{v.version}</td>
                    <td>{with_unit(terms, v.value, v.unit.as_deref())}</td>
                    <td>{terms.method(&v.method)}</td>
                    <td>{v.source}</td>
                    <td>{v.approved_by}</td>
                    <td>{date_shown(&v.approved_at)}</td>
                    <td>{entered(&v.entered_by, &v.entered_at)}</td>
                </tr>
            }
        })
        .collect_view();
    let baseline_rows = baselines
        .history
        .into_iter()
        .map(|v| {
            view! {
                <tr>
                    <th scope="row">{terms.kpi(&v.kpi)}</th>
                    <td>{v.version}</td>
                    <td>{with_unit(terms, v.value, v.unit.as_deref())}</td>
                    <td>{v.period}</td>
                    <td>{v.source}</td>
                    <td>{entered(&v.entered_by, &v.entered_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-labelledby="nsi-targets-history" tabindex="0">
            <table class="nsi-table">
                <caption id="nsi-targets-history">{t.targets_history}</caption>
                {table_head(&[t.kpi, terms.year, t.version, t.value, t.method, t.source, t.approved_by, t.approved_at, t.entered])}
                <tbody>{target_rows}</tbody>
            </table>
        </div>
        <div class="table-scroll" role="region" aria-labelledby="nsi-baselines-history" tabindex="0">
            <table class="nsi-table">
                <caption id="nsi-baselines-history">{t.baselines_history}</caption>
                {table_head(&[t.kpi, t.version, t.value, t.period, t.source, t.entered])}
                <tbody>{baseline_rows}</tbody>
            </table>
        </div>
    }
}
