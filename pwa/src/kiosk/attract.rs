//! The attract screen between respondents: the questionnaire's title and an invitation, or why
//! there is none yet; «Начать опрос» and the way to the operator.

use leptos::prelude::*;

use super::Text;
use crate::browser;
use crate::i18n::use_i18n;
use crate::points::Load;

/// The screen for the kiosk's point as loaded so far (`None`: no point chosen yet). `start`
/// asks for a questionnaire (the repeated-tap guard may refuse it, then `wait_hint` shows),
/// `retry` loads the point again, `operator` opens the PIN gate.
#[component]
pub fn Attract(
    load: RwSignal<Option<Load>>,
    wait_hint: RwSignal<bool>,
    start: Callback<()>,
    retry: Callback<()>,
    operator: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        browser::set_document_title(t.kiosk.kiosk_title);
        let ready = move || matches!(load.get(), Some(Load::Ready(_)));
        view! {
            <section class="kiosk-attract">
                {move || match load.get() {
                    Some(Load::Ready(info)) => view! {
                        <h1 class="survey-title">{info.questionnaire.title.clone()}</h1>
                        <p class="org-name">{info.org.name.clone()}</p>
                        <p>{t.kiosk.kiosk_invite}</p>
                    }.into_any(),
                    other => {
                        let text: Text = match other {
                            None => |t| t.kiosk.kiosk_no_point,
                            Some(Load::Loading) => |t| t.loading,
                            Some(Load::NotFound) => |t| t.point_not_found,
                            Some(Load::Offline) => |t| t.load_offline,
                            _ => |t| t.load_failed,
                        };
                        let retry_shown = matches!(other, Some(Load::Offline | Load::Failed));
                        view! {
                            <h1>{t.kiosk.kiosk_title}</h1>
                            <p class="notice">{text(t)}</p>
                            {retry_shown.then(|| view! {
                                <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                                    {t.retry}
                                </button>
                            })}
                        }.into_any()
                    }
                }}
                <button
                    type="button"
                    class="button primary kiosk-start"
                    disabled=move || !ready()
                    on:click=move |_| start.run(())
                >
                    {t.kiosk.kiosk_start}
                </button>
                <p class="hint" aria-live="polite">
                    {move || wait_hint.get().then_some(t.kiosk.kiosk_wait)}
                </p>
                <button type="button" class="button secondary kiosk-operator" on:click=move |_| operator.run(())>
                    {t.kiosk.operator}
                </button>
            </section>
        }
    }
}
