//! `/q/<point>`: the questionnaire of a survey point, one question per screen.
//!
//! Loading prefers the cached copy of the point (instant on weak mobile data, and works
//! offline) and refreshes it in the background; every published questionnaire version stays
//! answerable, so a slightly older cached copy is still a valid questionnaire. On «Отправить»
//! the response is checked with the server's rules, committed to the outbox, and only then is
//! the respondent thanked; the upload follows.
//!
//! The kiosk (`pages::kiosk`, kiosk bundle only) runs the same [`Survey`] in `Mode::Kiosk`.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use otklik_shared::answer::Channel;
use otklik_shared::api::PointInfo;
use otklik_shared::questionnaire::Questionnaire;
use uuid::Uuid;

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::question::QuestionView;
use crate::draft::{self, Answers, Entry, Origin, Readiness};
use crate::handoff::{self, Focus};
use crate::i18n::{fill, use_i18n, Strings};
#[cfg(feature = "kiosk")]
use crate::storage::device;
use crate::storage::{outbox, points};
use crate::sync::{self, use_sync, Outcome};
use crate::update::{self, Moment};

/// Where loading the point got to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Load {
    Loading,
    Ready(Box<PointInfo>),
    NotFound,
    Offline,
    Failed,
}

/// Who answers, and where the response goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mode {
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

/// Where the respondent is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Answering,
    /// Writing the response to the outbox; the buttons wait.
    Saving,
    /// The response is safe (queued, or receipted when storage was unavailable).
    Thanks(Uuid),
}

/// What the status region says about the response.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Delivery {
    Sending,
    Sent,
    Queued,
    Refused,
}

impl Delivery {
    fn text(self, t: &Strings) -> &'static str {
        match self {
            Self::Sending => t.status_sending,
            Self::Sent => t.status_sent,
            Self::Queued => t.status_queued,
            Self::Refused => t.status_refused,
        }
    }
}

/// Where the respondent is, for the update flow: a new version of the app may take over
/// before the first answer or once thanked, never in between (`update`). «Thanked» includes
/// the delivery attempt having settled (see [`Moment::Done`]).
fn moment(phase: Phase, nothing_entered: bool, delivery: Option<Delivery>) -> Moment {
    match phase {
        Phase::Thanks(_) if delivery == Some(Delivery::Sending) => Moment::Busy,
        Phase::Thanks(_) => Moment::Done,
        Phase::Answering | Phase::Saving if nothing_entered => Moment::Idle,
        Phase::Answering | Phase::Saving => Moment::Busy,
    }
}

/// A message about the last action, shown as an alert.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Notice {
    /// The final check found a problem with the question now shown.
    CheckAnswer,
    /// The response could be neither queued nor sent.
    SaveFailed,
}

/// The page: reads the point code and channel from the address.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let channel = Memo::new(move |_| match query.read().get("ch").as_deref() {
        Some("link") => Channel::Link,
        _ => Channel::Qr,
    });
    // A different point is a different survey: start afresh.
    move || {
        let mode = Mode::Citizen(channel.get_untracked());
        view! {
            <PointLoader
                code=code.get()
                show=move |info| view! { <Survey info=info mode=mode /> }.into_any()
            />
        }
    }
}

/// Cached copy first (refreshed in the background), else the network.
pub(crate) async fn load_point(code: &str) -> Load {
    match points::get(code).await {
        Ok(Some(info)) => {
            let code = code.to_owned();
            spawn_local(async move {
                if let Ok(fresh) = api::get_point(&code).await {
                    cache(&code, &fresh).await;
                }
            });
            return Load::Ready(Box::new(info));
        }
        Ok(None) => {}
        Err(e) => warn!("point cache unavailable: {e}"),
    }
    match api::get_point(code).await {
        Ok(info) => {
            cache(code, &info).await;
            Load::Ready(Box::new(info))
        }
        Err(ApiError::Http { status: 404, .. }) => Load::NotFound,
        Err(ApiError::Network(_)) => Load::Offline,
        Err(e) => {
            warn!("cannot load point {code}: {e}");
            Load::Failed
        }
    }
}

/// Caches `info`, then, in the background, the other points of its institution that are not
/// cached at their current version, so that they open offline too (`points`).
async fn cache(code: &str, info: &PointInfo) {
    if let Err(e) = points::put(code, info).await {
        warn!("cannot cache point {code}: {e}");
    }
    let siblings = info.siblings.clone();
    spawn_local(async move {
        let stale = match points::stale(&siblings).await {
            Ok(stale) => stale,
            Err(e) => return warn!("point cache unavailable: {e}"),
        };
        // One at a time: a respondent on weak mobile data is using the same connection.
        for code in stale {
            match api::get_point(&code).await {
                Ok(sibling) => {
                    if let Err(e) = points::put(&code, &sibling).await {
                        return warn!("cannot cache point {code}: {e}");
                    }
                }
                // Offline again: the next visit finishes the job.
                Err(ApiError::Network(_)) => return,
                Err(e) => warn!("cannot cache point {code}: {e}"),
            }
        }
    });
}

/// Loads the point and shows it with `show`, or says why it cannot.
#[component]
pub(crate) fn PointLoader(
    code: String,
    show: impl Fn(PointInfo) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    // A first visit's page carries the point (`handoff`): shown at once, and cached for offline.
    let embedded = handoff::embedded_point(&code);
    let load = RwSignal::new(
        embedded
            .clone()
            .map_or(Load::Loading, |info| Load::Ready(Box::new(info))),
    );
    let start = StoredValue::new(code);
    let fetch = move || {
        load.set(Load::Loading);
        let code = start.get_value();
        spawn_local(async move {
            let _ = load.try_set(load_point(&code).await);
        });
    };
    match embedded {
        Some(info) => spawn_local(async move { cache(&start.get_value(), &info).await }),
        None => fetch(),
    }
    let failure = move |text: fn(&Strings) -> &'static str, retry: bool| {
        // The page still needs its level-one heading (WCAG 2.4.6; axe `page-has-heading-one`).
        view! {
            <h1>{move || i18n.t().app_name}</h1>
            <div class="notice" role="alert">
                <p>{move || text(i18n.t())}</p>
                {retry.then(|| view! {
                    <button type="button" class="button primary" on:click=move |_| fetch()>
                        {move || i18n.t().retry}
                    </button>
                })}
            </div>
        }
    };
    move || match load.get() {
        Load::Loading => view! { <p class="notice">{move || i18n.t().loading}</p> }.into_any(),
        Load::Ready(info) => show(*info),
        Load::NotFound => failure(|t| t.point_not_found, false).into_any(),
        Load::Offline => failure(|t| t.load_offline, true).into_any(),
        Load::Failed => failure(|t| t.load_failed, true).into_any(),
    }
}

/// The question screens, the submission and the thanks screen.
#[component]
pub(crate) fn Survey(info: PointInfo, mode: Mode) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    browser::set_document_title(&format!("{} — {}", info.questionnaire.title, info.org.name));
    let title = info.questionnaire.title.clone();
    let org_name = info.org.name.clone();
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
        spawn_local(async move {
            let queued = match mode {
                Mode::Citizen(_) => outbox::push(&response).await,
                #[cfg(feature = "kiosk")]
                Mode::Kiosk { .. } => device::push_numbered(response.clone()).await.map(drop),
            };
            match queued {
                Ok(()) => {
                    waiting_since.set_value(sync.generation_untracked());
                    delivery.set(Some(Delivery::Sending));
                    phase.set(Phase::Thanks(response.id));
                    browser::request_persistent_storage();
                    sync.request();
                    #[cfg(feature = "kiosk")]
                    if let Mode::Kiosk { saved } = mode {
                        saved.run(());
                    }
                }
                Err(e) => {
                    warn!("cannot queue the response: {e}");
                    // A kiosk answer cannot leave without its number; a citizen's may go now.
                    let citizen = matches!(mode, Mode::Citizen(_));
                    if citizen && sync::deliver_now(&response).await {
                        delivery.set(Some(Delivery::Sent));
                        phase.set(Phase::Thanks(response.id));
                    } else {
                        notice.set(Some(Notice::SaveFailed));
                        phase.set(Phase::Answering);
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_versions_only_before_the_first_answer_or_once_delivery_settled() {
        let thanks = Phase::Thanks(Uuid::nil());
        assert_eq!(moment(Phase::Answering, true, None), Moment::Idle);
        assert_eq!(moment(Phase::Answering, false, None), Moment::Busy);
        assert_eq!(moment(Phase::Saving, false, None), Moment::Busy);
        assert_eq!(moment(thanks, false, Some(Delivery::Sending)), Moment::Busy);
        for settled in [Delivery::Sent, Delivery::Queued, Delivery::Refused] {
            assert_eq!(moment(thanks, false, Some(settled)), Moment::Done);
        }
    }
}
