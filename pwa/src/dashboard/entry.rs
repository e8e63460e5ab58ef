//! «Ввод анкет»: an operator (or an official, an admin) keys in paper questionnaires and
//! answers taken on the phone, and an expert (an observer, an official) the walk-throughs'
//! questionnaires («Наблюдение»), fast and from the keyboard alone.
//!
//! The whole questionnaire of the chosen «Точка» is on one screen, built from the same
//! question components as `/q/<point>` (so the radio groups have the same names); digits or
//! letters pick options and Enter moves on ([`keys`]), Enter on the last question saves, and
//! the form then starts afresh with the focus on its first question.
//!
//! A saved questionnaire goes into the same IndexedDB outbox as a citizen's or a kiosk's
//! (`submit::queue_keyed`), with its client-minted id and its «Пачка» label, and leaves it
//! only with the server's receipt, so a rural operator on a flaky line loses none and none is
//! stored twice. What authorises the upload is the operator's own token, which the sync
//! engine holds in memory for the session (see `SyncHandle::set_staff_token`, lent by
//! [`super::Dashboard`]) and which is never written to IndexedDB: answers keyed in and not yet
//! sent wait on disk for the next sign-in instead.

mod keys;

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::access::{action_to_key, allows};
use otklik_shared::answer::Channel;
use otklik_shared::api::{Point, PointInfo};
use otklik_shared::i18n::options;
use otklik_shared::org::Role;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use super::client;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::api::ApiError;
use crate::components::question::QuestionView;
use crate::draft::{self, Answers, Origin};
use crate::i18n::dashboard::entry::EntryStrings;
use crate::i18n::{fill, use_i18n};
use crate::points::{self, Load};
use crate::storage::outbox;
use crate::sync::{use_sync, SyncHandle};
use crate::{browser, numbers, submit};
use keys::Stop;

/// The staff channels, in the order of the strings' `channels`; each role is offered those
/// the permission table lets it key in (`access::action_to_key`): an operator paper, phone
/// and interview, an observer only walk-throughs («Наблюдение»), officials and admins all.
const CHANNELS: [Channel; 4] = [
    Channel::Paper,
    Channel::Phone,
    Channel::Interview,
    Channel::Observation,
];

/// The channels `role` is offered, each with its place in [`CHANNELS`] (and so its name's in
/// the strings' `channels`).
fn offered(role: Role) -> impl Iterator<Item = (usize, Channel)> {
    CHANNELS
        .into_iter()
        .enumerate()
        .filter(move |(_, c)| allows(role, action_to_key(*c)))
}

/// Longest «Пачка» label the server takes (`entry_batch`, `contract.md` §3).
const BATCH_MAX_CHARS: &str = "100";

/// The entry page over the scope's points.
///
/// Its texts are drawn once per language (the whole page is redrawn when the language
/// changes, keeping the point, channel, batch and count) rather than each through its own
/// reactive closure: the dashboard bundle has a size budget, and every reactive text costs
/// code.
#[component]
pub fn EntryPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let sync = use_sync();

    // The scope's points, for «Точка».
    let list = RwSignal::new(None::<Result<Vec<Point>, ApiError>>);
    let token = ctx.session.token.clone();
    let role = ctx.session.role;
    let selected = ctx.selected;
    Effect::new(move || {
        let (token, org) = (token.clone(), selected.get());
        spawn_local(async move {
            let points = match org {
                Some(org) => client::entry::points(&token, &org, role).await,
                None => Ok(Vec::new()),
            };
            if let Err(e) = &points {
                client::expire_if_refused(e, context);
            }
            list.set(Some(points));
        });
    });

    let point = RwSignal::new(String::new());
    // The first channel the role keys in (every role that opens the page has one).
    let channel = RwSignal::new(offered(role).next().map_or(Channel::Paper, |(_, c)| c));
    let batch = RwSignal::new(String::new());
    // The running count is the batch's: a new label starts it again.
    let saved = RwSignal::new(0u64);
    Effect::new(move || {
        batch.track();
        saved.set(0);
    });
    let waiting = RwSignal::new(None::<usize>);
    let count_waiting = move || spawn_local(async move { waiting.set(keyed_in_waiting().await) });
    // Every finished upload run may have sent some.
    Effect::new(move || {
        sync.last_run();
        count_waiting();
    });

    // The chosen point's questionnaire (`None` until one is chosen), through the same cache
    // as the survey's, so a point opened once opens again without a connection.
    let loaded = RwSignal::new(None::<Load>);
    let choose = move |code: String| {
        point.set(code.clone());
        if code.is_empty() {
            return loaded.set(None);
        }
        loaded.set(Some(Load::Loading));
        spawn_local(async move {
            let load = points::load(&code).await;
            // A later choice wins over a slower earlier load.
            if point.with_untracked(|p| *p == code) {
                loaded.set(Some(load));
            }
        });
    };
    // Bumped by every save: the form is drawn afresh, empty, with the focus on its start.
    let round = RwSignal::new(0u32);
    let on_saved = Callback::new(move |()| {
        saved.update(|n| *n += 1);
        round.update(|r| *r += 1);
        count_waiting();
    });

    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move || {
        if let Some(h1) = heading.get() {
            if context.take_arrival() {
                let _ = h1.focus();
            }
        }
    });

    let tree = ctx.tree.clone();
    move || {
        let lang = i18n.lang();
        let d = i18n.t().dashboard;
        let t = d.entry;
        browser::set_document_title(t.title);
        let tree = tree.clone();
        let points_view = move || match list.get() {
            None => view! { <p class="notice">{d.loading}</p> }.into_any(),
            Some(Err(e)) if client::token_refused(&e) => ().into_any(),
            Some(Err(e)) => {
                view! { <p class="error" role="alert">{client::explain(&e, d)}</p> }.into_any()
            }
            Some(Ok(points)) if points.is_empty() => {
                view! { <p class="notice">{t.no_points}</p> }.into_any()
            }
            Some(Ok(points)) => {
                let chosen = point.get_untracked();
                let options = points
                    .into_iter()
                    .map(|p| {
                        let org = tree.get(&p.org).map_or(p.org.as_str(), |o| o.name.as_str());
                        let label = fill(t.point_option, &[("org", org), ("code", &p.code)]);
                        let selected = p.code == chosen;
                        view! { <option value=p.code selected=selected>{label}</option> }
                    })
                    .collect_view();
                view! {
                    <div class="filter">
                        <label for="entry-point">{t.point}</label>
                        <select
                            id="entry-point"
                            class="field"
                            on:change=move |ev| choose(event_target_value(&ev))
                        >
                            <option value="">{t.choose_point}</option>
                            {options}
                        </select>
                    </div>
                }
                .into_any()
            }
        };
        let current = channel.get_untracked();
        let channels = offered(role)
            .map(|(i, c)| {
                view! { <option value=c.as_str() selected=c == current>{t.channels[i]}</option> }
            })
            .collect_view();
        let form = move || {
            let first = round.get() > 0;
            match loaded.get() {
                None => view! { <p class="notice">{t.pick_point}</p> }.into_any(),
                Some(Load::Loading) => view! { <p class="notice">{d.loading}</p> }.into_any(),
                Some(Load::Ready(info)) => view! {
                    <EntryForm
                        info=*info
                        t=t
                        channel=channel
                        batch=batch
                        focus_first=first
                        on_saved=on_saved
                        sync=sync
                    />
                }
                .into_any(),
                Some(Load::Offline) => {
                    view! { <p class="error" role="alert">{t.point_offline}</p> }.into_any()
                }
                Some(_) => view! { <p class="error" role="alert">{t.point_failed}</p> }.into_any(),
            }
        };
        let status = move || {
            let n = numbers::count(lang, saved.get());
            let mut text = fill(t.saved, &[("n", &n)]);
            if let Some(w) = waiting.get() {
                let w = numbers::count(lang, w as u64);
                text = format!("{text}. {}", fill(t.waiting, &[("n", &w)]));
            }
            text
        };
        let keys = t
            .keys
            .iter()
            .map(|k| view! { <li>{*k}</li> })
            .collect_view();
        view! {
            <section class="entry" aria-labelledby="entry-title">
                <h1 id="entry-title" tabindex="-1" node_ref=heading>{t.title}</h1>
                <p class="hint">{t.intro}</p>
                <div class="filters">
                    {points_view}
                    <div class="filter">
                        <label for="entry-channel">{t.channel}</label>
                        <select
                            id="entry-channel"
                            class="field"
                            on:change=move |ev| {
                                if let Some(c) = Channel::parse(&event_target_value(&ev)) {
                                    channel.set(c);
                                }
                            }
                        >
                            {channels}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="entry-batch">{t.batch}</label>
                        <input
                            id="entry-batch"
                            class="field"
                            type="text"
                            autocomplete="off"
                            maxlength=BATCH_MAX_CHARS
                            aria-describedby="entry-batch-hint"
                            value=batch.get_untracked()
                            on:input=move |ev| batch.set(event_target_value(&ev))
                        />
                        <p class="hint" id="entry-batch-hint">{t.batch_hint}</p>
                    </div>
                </div>
                <p class="entry-status" role="status">{status}</p>
                {form}
                <details class="entry-keys">
                    <summary>{t.keys_title}</summary>
                    <ul>{keys}</ul>
                </details>
            </section>
        }
    }
}

/// How many keyed-in questionnaires this browser's outbox still holds (`None` when it cannot
/// be read, so nothing is claimed).
async fn keyed_in_waiting() -> Option<usize> {
    match outbox::pending().await {
        Ok(items) => Some(
            items
                .iter()
                .filter(|q| q.response.channel().is_some_and(|c| c.needs_staff()))
                .count(),
        ),
        Err(e) => {
            warn!("cannot read the outbox: {e}");
            None
        }
    }
}

/// One questionnaire being keyed in for `info`'s point; `on_saved` runs once it is safe in
/// the outbox.
#[component]
fn EntryForm(
    info: PointInfo,
    /// The page's strings, in the language the page is drawn in.
    t: &'static EntryStrings,
    channel: RwSignal<Channel>,
    batch: RwSignal<String>,
    /// Whether the focus goes to the first question at once (after a save).
    focus_first: bool,
    on_saved: Callback<()>,
    sync: SyncHandle,
) -> impl IntoView {
    let i18n = use_i18n();
    let questionnaire = StoredValue::new(info.questionnaire);
    let point = info.point.code;
    let answers = RwSignal::new(Answers::new());
    let reachable = Memo::new(move |_| {
        questionnaire.with_value(|q| answers.with(|a| draft::reachable_ids(q, a)))
    });
    let problem = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    // The previous key pressed on a question's options, for NPS «10» (1 then 0).
    let last_key = StoredValue::new(None::<(String, String)>);
    let stops = move || questionnaire.with_value(|q| answers.with_untracked(|a| keys::stops(q, a)));

    if focus_first {
        Effect::new(move || focus(keys::after(&stops(), None)));
    }

    let save = move || {
        if saving.get_untracked() {
            return;
        }
        let origin = Origin {
            point: point.clone(),
            channel: channel.get_untracked(),
            submitted_at: browser::now_local(),
        };
        let built = questionnaire.with_value(|q| {
            answers.with_untracked(|a| draft::build_response(Uuid::now_v7(), q, a, origin))
        });
        let response = match built {
            Ok(response) => response,
            Err(e) => {
                let text = questionnaire
                    .with_value(|q| q.question(&e.q).map(|q| q.text.clone()))
                    .unwrap_or(e.q.clone());
                problem.set(Some(fill(t.missing, &[("question", &text)])));
                focus(Some(Stop::Options(e.q)));
                return;
            }
        };
        problem.set(None);
        saving.set(true);
        let label = batch.with_untracked(|b| Some(b.trim().to_owned()).filter(|b| !b.is_empty()));
        spawn_local(async move {
            match submit::queue_keyed(&response, label.as_deref(), sync).await {
                Ok(()) => on_saved.run(()),
                Err(e) => {
                    warn!("cannot queue the keyed-in questionnaire: {e}");
                    problem.set(Some(t.save_failed.to_owned()));
                    saving.set(false);
                }
            }
        });
    };

    let on_keydown = {
        let save = save.clone();
        move |ev: KeyboardEvent| {
            if ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
                return;
            }
            let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let tag = target.tag_name().to_ascii_lowercase();
            let key = ev.key();
            let radio = target
                .dyn_ref::<web_sys::HtmlInputElement>()
                .filter(|i| i.type_() == "radio")
                .map(web_sys::HtmlInputElement::name);
            if key == "Enter" {
                // A button keeps its own Enter; Shift+Enter is a new line in a text box.
                if tag == "button" || (tag == "textarea" && ev.shift_key()) {
                    return;
                }
                ev.prevent_default();
                let here = match radio {
                    Some(name) => Stop::Options(name),
                    None => Stop::Field(target.id()),
                };
                match keys::after(&stops(), Some(&here)) {
                    Some(next) => focus(Some(next)),
                    None => save(),
                }
                return;
            }
            let Some(qid) = radio else {
                return;
            };
            let previous = last_key.with_value(|k| {
                k.as_ref()
                    .filter(|(q, _)| *q == qid)
                    .map(|(_, k)| k.clone())
            });
            let chosen = questionnaire.with_value(|q| {
                let question = q.question(&qid)?;
                let choices = options(question, i18n.t());
                let index = keys::pick(question.kind, choices.len(), &key, previous.as_deref())?;
                choices
                    .into_iter()
                    .nth(index)
                    .map(|(value, _)| (index, value))
            });
            last_key.set_value(Some((qid.clone(), key)));
            if let Some((index, value)) = chosen {
                ev.prevent_default();
                // Onto the chosen radio now, so the arrows go on from there. Not later: the
                // next key may already be on its way, and must find the focus where it was.
                browser::focus(&[&format!(
                    ".options > :nth-child({}) > input[name=\"{qid}\"]",
                    index + 1
                )]);
                answers.update(|a| a.entry(qid).or_default().value = Some(value));
            }
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save();
    };
    let label = fill(
        t.form,
        &[(
            "questionnaire",
            &questionnaire.with_value(|q| q.title.clone()),
        )],
    );
    let questions = questionnaire.with_value(|q| q.questions.clone());
    let questions = questions
        .into_iter()
        .map(|question| {
            let id = question.id.clone();
            let shown = move || reachable.with(|r| r.contains(&id));
            view! {
                <Show when=shown>
                    <div class="entry-question">
                        <QuestionView question=question.clone() answers=answers />
                    </div>
                </Show>
            }
        })
        .collect_view();

    view! {
        <form class="entry-form" aria-label=label on:keydown=on_keydown on:submit=on_submit>
            {questions}
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <button type="submit" class="button" disabled=move || saving.get()>
                {t.save}
            </button>
        </form>
    }
}

/// Moves the keyboard focus to `stop`: a radio group's checked option or else its first, or a
/// field by its id.
fn focus(stop: Option<Stop>) {
    match stop {
        Some(Stop::Options(name)) => browser::focus(&[
            &format!("input[type=radio][name=\"{name}\"]:checked"),
            &format!("input[type=radio][name=\"{name}\"]"),
        ]),
        Some(Stop::Field(id)) => browser::focus(&[&format!("[id=\"{id}\"]")]),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channels(role: Role) -> Vec<Channel> {
        offered(role).map(|(_, c)| c).collect()
    }

    #[test]
    fn an_observer_is_offered_walk_throughs_only_and_an_operator_none() {
        assert_eq!(channels(Role::Observer), [Channel::Observation]);
        assert_eq!(
            channels(Role::Operator),
            [Channel::Paper, Channel::Phone, Channel::Interview]
        );
        for role in [Role::Official, Role::Admin] {
            assert_eq!(channels(role), CHANNELS, "{role}");
        }
    }
}
