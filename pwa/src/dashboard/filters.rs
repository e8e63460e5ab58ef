//! The selection the result sections share: the quarter («Период», the current one by
//! default) and the questionnaire (when the subtree runs several), both read from and written
//! to the address, with the pickers that change them. The overview and the ranking show the
//! same pickers, so a view keeps its period and questionnaire when the section changes.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use otklik_shared::access::{allows, Action};

use super::address::ViewState;
use super::client;
use super::period::Quarter;
use super::period_select::PeriodSelect;
use super::session::{use_session, Session};
use crate::api::ApiError;
use crate::browser;
use crate::i18n::use_i18n;

/// The questionnaire ids the interface names, in the order it lists them (the same in every
/// language).
fn known_questionnaires() -> impl Iterator<Item = &'static str> {
    crate::i18n::dashboard::RU
        .questionnaires
        .iter()
        .map(|(id, _)| *id)
}

/// The questionnaires a subtree runs, as the picker lists them: the ones the interface names
/// in its order (the default is the first: НСИ before НОК), then any others by id.
fn in_menu_order(mut ran: Vec<String>) -> Vec<String> {
    let mut ordered: Vec<String> = known_questionnaires()
        .filter(|id| ran.iter().any(|r| r == id))
        .map(str::to_owned)
        .collect();
    ran.retain(|r| !ordered.contains(r));
    ran.sort();
    ordered.extend(ran);
    ordered
}

/// The quarter and questionnaire of the view, with what the questionnaire picker offers.
#[derive(Clone, Copy)]
pub struct Selection {
    /// The current quarter, the default and the newest the picker offers.
    pub this_quarter: Quarter,
    /// The selected quarter.
    pub quarter: Memo<Quarter>,
    /// The questionnaires the selected subtree runs, once known.
    pub questionnaires: Signal<Option<Result<Vec<String>, ApiError>>>,
    /// The selected questionnaire (the address's when the subtree runs it, else the first).
    pub questionnaire: Memo<Option<String>>,
}

impl Selection {
    /// The selection of `view_state` for the org `selected`. The questionnaires come from the
    /// subtree's points where the role lists points; a role that does not (an observer) is
    /// offered every questionnaire the interface knows.
    pub fn new(
        view_state: Memo<ViewState>,
        selected: Memo<Option<String>>,
        session: &Session,
    ) -> Self {
        let context = use_session();
        let this_quarter = Quarter::containing(browser::now_local().date_naive());
        let quarter = Memo::new(move |_| view_state.with(|v| v.period).unwrap_or(this_quarter));
        let known = || {
            known_questionnaires()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let questionnaires: Signal<Option<Result<Vec<String>, ApiError>>> =
            if allows(session.role, Action::ListPoints) {
                let token = session.token.clone();
                let ran = LocalResource::new(move || {
                    let token = token.clone();
                    let code = selected.get();
                    async move {
                        let Some(code) = code else {
                            return Ok(known());
                        };
                        let ran = client::questionnaires(&token, &code).await?;
                        // A subtree without points yet is offered everything (its figures are
                        // empty).
                        Ok(if ran.is_empty() {
                            known()
                        } else {
                            in_menu_order(ran)
                        })
                    }
                });
                Signal::derive(move || ran.get())
            } else {
                // Known at once: no request, and the figures need not wait for one.
                Signal::derive(move || Some(Ok(known())))
            };
        Effect::new(move || {
            if let Some(Err(e)) = questionnaires.get() {
                client::expire_if_refused(&e, context);
            }
        });
        let questionnaire = Memo::new(move |_| {
            let list = questionnaires.get()?.ok()?;
            let wanted = view_state.with(|v| v.questionnaire.clone());
            wanted
                .filter(|w| list.contains(w))
                .or_else(|| list.first().cloned())
        });
        Self {
            this_quarter,
            quarter,
            questionnaires,
            questionnaire,
        }
    }
}

/// The period picker and, when the subtree runs several questionnaires, the questionnaire
/// picker; a choice navigates to the view's address with it.
#[component]
pub fn Filters(selection: Selection, view_state: Memo<ViewState>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let navigate = use_navigate();
    let go = move |view: ViewState| {
        navigate(
            &view.href(),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_questionnaire = move |ev: leptos::ev::Event| {
        go(view_state
            .get_untracked()
            .with_questionnaire(&event_target_value(&ev)));
    };
    view! {
        <div class="filters">
            <PeriodSelect view_state=view_state this_quarter=selection.this_quarter />
            {move || {
                let list = selection.questionnaires.get().and_then(Result::ok).unwrap_or_default();
                (list.len() > 1)
                    .then(|| {
                        let chosen = selection.questionnaire.get();
                        let on_questionnaire = on_questionnaire.clone();
                        view! {
                            <div class="filter">
                                <label for="questionnaire">{t().questionnaire}</label>
                                <select id="questionnaire" class="field" on:change=on_questionnaire>
                                    {list
                                        .into_iter()
                                        .map(|id| {
                                            let selected = chosen.as_deref() == Some(id.as_str());
                                            view! {
                                                <option value=id.clone() selected=selected>
                                                    {t().questionnaire_name(&id)}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_lists_known_questionnaires_first_in_menu_order() {
        let ran = [
            "zz-local",
            "nok-social",
            "express",
            "nsi-satisfaction",
            "aa-local",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            in_menu_order(ran),
            [
                "nsi-satisfaction",
                "express",
                "nok-social",
                "aa-local",
                "zz-local"
            ]
        );
        assert!(in_menu_order(Vec::new()).is_empty());
    }
}
