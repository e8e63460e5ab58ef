//! The form that adds a survey point to the selected institution or department: its code, its
//! questionnaire, and optionally a life situation and one of that situation's stages (the
//! stage list follows the situation chosen, so a stage of another situation cannot be sent).
//! The code is checked here with the server's own rule; everything else the server checks,
//! and its 422 envelope is explained in Russian next to the form ([`fleet_rules::point_refusal`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::Org;

use super::client::{self, fleet::NewPoint, Situation};
use super::fleet_rules::{self, PointRefusal};
use super::session::use_session;
use crate::i18n::dashboard::FleetStrings;
use crate::i18n::{fill, use_i18n};

/// What the form says about the last attempt.
fn refusal_text(refusal: PointRefusal, f: &FleetStrings) -> String {
    match refusal {
        PointRefusal::BadCode => f.bad_code.to_owned(),
        PointRefusal::CodeTaken => f.code_taken.to_owned(),
        PointRefusal::BadOrg => f.bad_org.to_owned(),
        PointRefusal::BadQuestionnaire => f.bad_questionnaire.to_owned(),
        PointRefusal::BadSituation => f.bad_situation.to_owned(),
        PointRefusal::BadStage => f.bad_stage.to_owned(),
        PointRefusal::Other(reason) => fill(f.refused, &[("reason", &reason)]),
    }
}

/// The add-point form for `org`; `added` gets the new point's code.
#[component]
pub fn PointForm(
    org: Memo<Option<Org>>,
    situations: Signal<Vec<Situation>>,
    token: String,
    added: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let f = move || i18n.t().dashboard.fleet;
    let questionnaires = || {
        crate::i18n::dashboard::RU
            .questionnaires
            .iter()
            .map(|(id, _)| *id)
    };

    let code = RwSignal::new(String::new());
    let questionnaire = RwSignal::new(questionnaires().next().unwrap_or_default().to_owned());
    let situation = RwSignal::new(String::new());
    let stage = RwSignal::new(String::new());
    let error = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);
    let chosen = |value: String| (!value.is_empty()).then_some(value);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(target) = org.get_untracked() else {
            return;
        };
        let typed = code.get_untracked().trim().to_owned();
        if !fleet_rules::code_ok(&typed) {
            error.set(Some((true, f().bad_code.to_owned())));
            crate::browser::focus(&["#point-code"]);
            return;
        }
        let point = NewPoint {
            code: typed,
            org: target.code,
            questionnaire: questionnaire.get_untracked(),
            life_situation: chosen(situation.get_untracked()),
            stage: chosen(stage.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        let token = token.get_value();
        spawn_local(async move {
            let result = client::fleet::add_point(&token, &point).await;
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    code.set(String::new());
                    added.run(point.code);
                }
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    let on_code = matches!(
                        fleet_rules::point_refusal(&e),
                        Some(PointRefusal::BadCode | PointRefusal::CodeTaken)
                    );
                    let text = fleet_rules::point_refusal(&e).map_or_else(
                        || client::explain(&e, t()),
                        |refusal| refusal_text(refusal, f()),
                    );
                    let _ = error.try_set(Some((on_code, text)));
                }
            }
        });
    };
    let code_invalid = move || error.with(|e| e.as_ref().is_some_and(|(on_code, _)| *on_code));
    let stage_options = move || {
        situations.with(|all| {
            situation.with(|s| {
                client::stages(all, (!s.is_empty()).then_some(s.as_str()))
                    .iter()
                    .map(|st| view! { <option value=st.code.clone()>{st.name.clone()}</option> })
                    .collect_view()
            })
        })
    };

    let form = move || {
        let target = org.get()?;
        if !fleet_rules::holds_points(target.kind) {
            return Some(
                view! { <p class="hint">{f().new_point_needs_institution}</p> }.into_any(),
            );
        }
        Some(
            view! {
                <form class="point-form" on:submit=submit novalidate>
                    <p class="hint">{fill(f().new_point_org, &[("org", &target.name)])}</p>
                    <div class="filter">
                        <label for="point-code">{f().code}</label>
                        <input
                            id="point-code"
                            class="field"
                            type="text"
                            autocomplete="off"
                            spellcheck="false"
                            aria-describedby="point-code-hint point-form-error"
                            aria-invalid=move || code_invalid().then_some("true")
                            bind:value=code
                        />
                        <p id="point-code-hint" class="hint">{f().code_hint}</p>
                    </div>
                    <div class="filter">
                        <label for="point-questionnaire">{f().questionnaire}</label>
                        <select id="point-questionnaire" class="field" bind:value=questionnaire>
                            {questionnaires()
                                .map(|id| view! { <option value=id>{t().questionnaire_name(id)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="point-situation">{f().life_situation}</label>
                        <select
                            id="point-situation"
                            class="field"
                            on:change=move |ev| {
                                situation.set(event_target_value(&ev));
                                stage.set(String::new());
                            }
                        >
                            <option value="">{f().no_situation}</option>
                            {move || {
                                situations
                                    .get()
                                    .into_iter()
                                    .map(|s| {
                                        view! {
                                            <option value=s.code.clone()>
                                                {s.label()}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="point-stage">{f().stage}</label>
                        <select
                            id="point-stage"
                            class="field"
                            prop:value=move || stage.get()
                            on:change=move |ev| stage.set(event_target_value(&ev))
                            disabled=move || situation.with(String::is_empty)
                        >
                            <option value="">{f().no_stage}</option>
                            {stage_options}
                        </select>
                    </div>
                    <p id="point-form-error" class="error" role="alert">
                        {move || error.get().map(|(_, text)| text)}
                    </p>
                    <button type="submit" class="button primary" disabled=move || busy.get()>
                        {f().add_point}
                    </button>
                </form>
            }
            .into_any(),
        )
    };

    view! {
        <section class="new-point" aria-labelledby="new-point-title">
            <h2 id="new-point-title">{move || f().new_point}</h2>
            {form}
        </section>
    }
}
