//! The survey flow: one question per screen, the final check, the save, and the thanks screen
//! with the delivery status. The citizen page (`pages::survey`) runs it as [`Mode::Citizen`],
//! the kiosk (kiosk bundle only) as `Mode::Kiosk`, one respondent after another.
//!
//! On «Отправить» the response is checked with the server's rules (`draft`), saved
//! (`submit`: committed to the outbox), and only then is the respondent thanked; the upload
//! follows (`sync`), and the status line follows the upload. The flow owns the screens and the
//! draft and delegates the rest: opening the point to [`PointLoader`] and `points`, and when a
//! new version may take over to `update` (through [`phase::moment`]).

mod loader;
mod phase;

use leptos::prelude::*;
use otklik_shared::answer::Channel;
use otklik_shared::api::PointInfo;
use otklik_shared::questionnaire::Questionnaire;
use uuid::Uuid;

use crate::browser;
use crate::components::question::QuestionView;
use crate::draft::{self, Answers, Entry, Origin, Readiness};
use crate::handoff::{self, Focus};
use crate::i18n::{fill, use_i18n};
use crate::submit::{self, Saved};
use crate::sync::{use_sync, Outcome};
use crate::update::{self, Moment};
pub use loader::PointLoader;
use phase::{moment, Delivery, Notice, Phase};

/// Who answers, and where the response goes.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// A citizen on their own device (`qr` or `link`): the outbox, or straight to the server
    /// when storage is unavailable.
    Citizen(Channel),
    /// An enrolled kiosk: the response gets the device's next `seq` as it is queued (never
    /// sent unnumbered); `saved` runs once it is safe.
    #[cfg(feature = "kiosk")]
    Kiosk {
        /// Called once the response is in the outbox.
        saved: Callback<()>,
    },
}

/// The question screens, the submission and the thanks screen.
#[component]
pub fn Survey(info: PointInfo, mode: Mode) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    browser::set_document_title(&format!("{} — {}", info.questionnaire.title, info.org.name));
    let title = info.questionnaire.title.clone();
    let org_name = info.org.name.clone();
    // What the institution did about comments (`/r/<org>`, a server page: `rel="external"` so
    // the router lets the browser load it). Not on a kiosk, whose respondents must not leave it.
    // Its text is read when the thanks screen is drawn, not bound reactively: the screen is
    // redrawn whole when the language changes, and a reactive text costs the citizen bundle
    // ≈ 100 bytes more (brotli).
    let public_page = matches!(mode, Mode::Citizen(_)).then(|| format!("/r/{}", info.org.code));
    let point = StoredValue::new(info.point.code);
    let questionnaire: StoredValue<Questionnaire> = StoredValue::new(info.questionnaire);

    // The first question may have been answered on the server-rendered page already.
    let handoff = handoff::take(&point.get_value()).unwrap_or_default();
    let mut start = Answers::new();
    if handoff.entry != Entry::default() {
        let first =
            questionnaire.with_value(|q| draft::reachable_ids(q, &start).into_iter().next());
        if let Some(first) = first {
            start.insert(first, handoff.entry.clone());
        }
    }
    let answers = RwSignal::new(start);
    let step = RwSignal::new(0usize);
    let phase = RwSignal::new(Phase::Answering);
    let notice = RwSignal::new(None::<Notice>);
    let delivery = RwSignal::new(None::<Delivery>);
    let waiting_since = StoredValue::new(0u64);

    let reachable = Memo::new(move |_| {
        questionnaire.with_value(|q| answers.with(|a| draft::reachable_ids(q, a)))
    });
    // (index, count): the step, clamped in case a changed filter answer shortened the list.
    let position = Memo::new(move |_| {
        let count = reachable.with(Vec::len);
        (step.get().min(count.saturating_sub(1)), count)
    });
    let current = Memo::new(move |_| reachable.with(|ids| ids.get(position.get().0).cloned()));
    let readiness = Memo::new(move |_| {
        let Some(id) = current.get() else {
            return Readiness::Ready;
        };
        questionnaire.with_value(|q| {
            answers.with(|a| {
                q.question(&id).map_or(Readiness::Ready, |question| {
                    draft::readiness(question, a.get(&id))
                })
            })
        })
    });
    let required = Memo::new(move |_| {
        current.get().is_some_and(|id| {
            questionnaire.with_value(|q| q.question(&id).is_some_and(|question| question.required))
        })
    });
    let is_last = |(index, count): (usize, usize)| index + 1 >= count;
    let done = Memo::new(move |_| matches!(phase.get(), Phase::Thanks(_)));

    Effect::new(move |_| {
        update::set_moment(moment(
            phase.get(),
            answers.with(Answers::is_empty),
            delivery.get(),
        ));
    });
    on_cleanup(|| update::set_moment(Moment::Idle));

    // The status region follows the response through the sync runs after it was queued.
    Effect::new(move |_| {
        let report = sync.last_run();
        let Phase::Thanks(id) = phase.get_untracked() else {
            return;
        };
        let waiting = matches!(
            delivery.get_untracked(),
            Some(Delivery::Sending | Delivery::Queued)
        );
        if waiting && report.generation > waiting_since.get_value() {
            delivery.set(Some(match report.outcome(id) {
                Some(Outcome::Delivered) => Delivery::Sent,
                Some(Outcome::Refused) => Delivery::Refused,
                None => Delivery::Queued,
            }));
        }
    });

    let submit = move || {
        let origin = Origin {
            point: point.get_value(),
            channel: match mode {
                Mode::Citizen(channel) => channel,
                #[cfg(feature = "kiosk")]
                Mode::Kiosk { .. } => Channel::Kiosk,
            },
            submitted_at: browser::now_local(),
        };
        let built = questionnaire.with_value(|q| {
            answers.with_untracked(|a| draft::build_response(Uuid::now_v7(), q, a, origin))
        });
        let response = match built {
            Ok(response) => response,
            Err(e) => {
                // Cannot happen through the screens; if it does, show the question at fault.
                if let Some(index) = reachable.get_untracked().iter().position(|id| *id == e.q) {
                    step.set(index);
                }
                notice.set(Some(Notice::CheckAnswer));
                return;
            }
        };
        phase.set(Phase::Saving);
        let id = response.id;
        submit::save(response, sync, move |outcome| match outcome {
            Some(Saved::Queued { since }) => {
                waiting_since.set_value(since);
                delivery.set(Some(Delivery::Sending));
                phase.set(Phase::Thanks(id));
                #[cfg(feature = "kiosk")]
                if let Mode::Kiosk { saved } = mode {
                    saved.run(());
                }
            }
            Some(Saved::Sent) => {
                delivery.set(Some(Delivery::Sent));
                phase.set(Phase::Thanks(id));
            }
            None => {
                notice.set(Some(Notice::SaveFailed));
                phase.set(Phase::Answering);
            }
        });
    };
    let next = move || {
        if phase.get_untracked() != Phase::Answering
            || readiness.get_untracked() != Readiness::Ready
        {
            return;
        }
        notice.set(None);
        if is_last(position.get_untracked()) {
            submit();
        } else {
            step.set(position.get_untracked().0 + 1);
        }
    };
    let back = move || {
        notice.set(None);
        step.set(position.get_untracked().0.saturating_sub(1));
    };

    // «Далее» pressed before the app ran: go on now (if the answer allows it).
    if handoff.advance {
        next();
    }
    // Focus in the rendered question stays in the question, or moves on with «Далее».
    let target: &[&str] = match handoff.focus {
        Focus::Outside => &[],
        _ if handoff.advance => &[".survey-form .progress"],
        Focus::Comment => &[".survey-form textarea"],
        Focus::Question => &[".survey-form input:checked", ".survey-form input"],
    };
    if !target.is_empty() {
        Effect::new(move |_| browser::focus(target));
    }

    // Keyboard and screen-reader users land on the new question's position after each step.
    let progress_ref = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |previous: Option<usize>| {
        let index = position.get().0;
        if previous.is_some_and(|p| p != index) {
            if let Some(heading) = progress_ref.get_untracked() {
                let _ = heading.focus();
            }
        }
        index
    });

    let form = move || {
        view! {
            <form
                class="survey-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    next();
                }
            >
                <h2 class="progress" tabindex="-1" node_ref=progress_ref>
                    {move || {
                        let (index, count) = position.get();
                        let (n, total) = ((index + 1).to_string(), count.to_string());
                        fill(i18n.t().progress, &[("n", &n), ("total", &total)])
                    }}
                </h2>
                <progress
                    class="progress-bar"
                    aria-hidden="true"
                    max=move || position.get().1
                    value=move || position.get().0 + 1
                ></progress>
                {move || {
                    // Re-created per question and per language; the draft keeps the answers.
                    let _ = i18n.lang();
                    let question = current.get().and_then(|id| questionnaire.with_value(|q| q.question(&id).cloned()));
                    question.map(|question| view! { <QuestionView question=question answers=answers /> })
                }}
                <p class="hint">
                    {move || match (readiness.get(), required.get()) {
                        (Readiness::Missing, _) => Some(i18n.t().required_hint),
                        (Readiness::Ready, false) => Some(i18n.t().optional_hint),
                        _ => None,
                    }}
                </p>
                {move || notice.get().map(|n| {
                    let t = i18n.t();
                    let text = match n {
                        Notice::CheckAnswer => t.check_answer,
                        Notice::SaveFailed => t.save_failed,
                    };
                    view! { <p class="error" role="alert">{text}</p> }
                })}
                <div class="nav">
                    <Show when=move || { position.get().0 > 0 }>
                        <button type="button" class="button secondary" on:click=move |_| back()>
                            {move || i18n.t().back}
                        </button>
                    </Show>
                    <button
                        type="submit"
                        class="button primary"
                        disabled=move || {
                            readiness.get() != Readiness::Ready || phase.get() != Phase::Answering
                        }
                    >
                        {move || {
                            let t = i18n.t();
                            match phase.get() {
                                Phase::Saving => t.saving,
                                _ if is_last(position.get()) => t.submit,
                                _ => t.next,
                            }
                        }}
                    </button>
                </div>
            </form>
        }
    };
    let thanks = move || {
        let heading = NodeRef::<leptos::html::H2>::new();
        Effect::new(move |_| {
            if let Some(heading) = heading.get() {
                let _ = heading.focus();
            }
        });
        view! {
            <div class="thanks">
                <h2 class="thanks-title" tabindex="-1" node_ref=heading>{move || i18n.t().thanks}</h2>
                <p>{move || i18n.t().thanks_text}</p>
                {public_page.clone().map(|href| view! {
                    <p><a href=href rel="external">{i18n.t().public_answers}</a></p>
                })}
            </div>
        }
    };

    view! {
        <h1 class="survey-title">{title}</h1>
        <p class="org-name">{org_name}</p>
        {move || if done.get() { thanks().into_any() } else { form().into_any() }}
        <p class="status" role="status">{move || delivery.get().map(|d| d.text(i18n.t()))}</p>
    }
}
