//! «Точки опроса»: the survey points of the selected org's subtree, each with its QR code (the
//! public image, so what is previewed is what is printed), its questionnaire, life situation,
//! stage and public address; for roles that manage points, «Плакат A4» and «Плакат A6» per
//! point, «Все плакаты (ZIP)» for the selection and the form that adds a point
//! ([`point_form`](super::point_form)). Operators list the points they run kiosks and paper
//! at, and are offered neither posters nor the form (the server would refuse both).
//!
//! The posters need the token, which a plain link cannot carry: they are fetched with it and
//! handed to the browser as a file ([`browser::save_blob`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::access::{allows, Action};
use otklik_shared::api::Point;
use otklik_shared::api::API_BASE;

use super::client::{self, Situation};
use super::point_form::PointForm;
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::browser;
use crate::i18n::{fill, use_i18n};

/// What the section's status line says after a download or an addition.
#[derive(Debug, Clone, PartialEq)]
enum Note {
    /// Said politely (`role="status"`).
    Done(String),
    /// A failure (`role="alert"`).
    Failed(String),
}

/// The points section.
#[component]
pub fn Points(ctx: SectionContext) -> impl IntoView {
    let org = ctx.titled_org(Section::Points);
    let SectionContext {
        tree,
        selected,
        session,
        ..
    } = ctx;
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let f = move || i18n.t().dashboard.fleet;
    let manages = allows(session.role, Action::ManagePoints);

    // Bumped after a point is added, so the list is read again.
    let added = RwSignal::new(0_u32);
    let token = session.token.clone();
    let points = LocalResource::new(move || {
        let token = token.clone();
        let code = selected.get();
        added.track();
        async move {
            match code {
                Some(code) => client::points(&token, &code).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let token = session.token.clone();
    let situations = LocalResource::new(move || {
        let token = token.clone();
        async move { client::situations(&token).await }
    });
    Effect::new(move || {
        if let Some(Err(e)) = points.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let situations =
        Signal::derive(move || situations.get().and_then(Result::ok).unwrap_or_default());

    let note = RwSignal::new(None::<Note>);
    // Fetches a file with the token and saves it; the status line says what is happening.
    let token = StoredValue::new(session.token.clone());
    let save = move |name: String, file: client::fleet::File| {
        note.set(Some(Note::Done(f().preparing.to_owned())));
        let token = token.get_value();
        spawn_local(async move {
            let result = file.fetch(&token).await;
            let next = match result {
                Ok(blob) => match browser::save_blob(&blob, &name) {
                    Ok(()) => None,
                    Err(e) => Some(Note::Failed(fill(
                        f().download_failed,
                        &[("reason", &format!("{e:?}"))],
                    ))),
                },
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    Some(Note::Failed(fill(
                        f().download_failed,
                        &[("reason", &client::explain(&e, t()))],
                    )))
                }
            };
            let _ = note.try_set(next);
        });
    };

    let zip = move || {
        (manages && selected.get().is_some()).then(|| {
            view! {
                <p class="downloads">
                    <button
                        type="button"
                        class="button secondary"
                        on:click=move |_| {
                            if let Some(code) = selected.get_untracked() {
                                save(format!("posters-{code}.zip"), client::fleet::File::Zip(code));
                            }
                        }
                    >
                        {move || f().posters_zip}
                    </button>
                </p>
            }
        })
    };

    let list = move || match points.get() {
        None => view! { <p class="notice">{move || t().loading}</p> }.into_any(),
        Some(Err(e)) if client::token_refused(&e) => ().into_any(),
        Some(Err(e)) => {
            view! { <p class="error" role="alert">{client::explain(&e, t())}</p> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="notice">{move || f().no_points}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let tree = tree.clone();
            view! {
                <ul class="point-list">
                    {list
                        .into_iter()
                        .map(|point| {
                            let org_name = tree.get(&point.org).map_or_else(|| point.org.clone(), |o| o.name.clone());
                            view! { <PointCard point=point org_name=org_name situations=situations manages=manages save=save /> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };

    let on_added = Callback::new(move |code: String| {
        note.set(Some(Note::Done(fill(f().point_added, &[("code", &code)]))));
        added.update(|n| *n += 1);
    });
    let form = manages.then(|| {
        view! { <PointForm org=org situations=situations token=session.token.clone() added=on_added /> }
    });

    view! {
        <section class="fleet points" aria-labelledby="points-title">
            <h1 id="points-title">
                {move || org.get().map(|o| fill(f().points_title, &[("org", &o.name)]))}
            </h1>
            {move || {
                org.with(Option::is_none)
                    .then(|| view! { <p class="error" role="alert">{t().unknown_org}</p> })
            }}
            <p class="note" role="status">
                {move || match note.get() {
                    Some(Note::Done(text)) => text,
                    _ => String::new(),
                }}
            </p>
            <div role="alert">
                {move || match note.get() {
                    Some(Note::Failed(text)) => Some(view! { <p class="error">{text}</p> }),
                    _ => None,
                }}
            </div>
            {zip}
            {list}
            {form}
        </section>
    }
}

/// One point: its QR code, what it asks and where, and its posters.
#[component]
fn PointCard(
    point: Point,
    org_name: String,
    situations: Signal<Vec<Situation>>,
    manages: bool,
    save: impl Fn(String, client::fleet::File) + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let f = move || i18n.t().dashboard.fleet;
    let id = format!("point-{}", point.code);
    let qr = format!(
        "{API_BASE}/points/{}/qr.svg",
        js_sys::encode_uri_component(&point.code)
    );
    let url = point.url.clone();
    let situation_code = point.life_situation.clone();
    let stage_code = point.stage.clone();
    let situation = move || {
        let code = situation_code.as_deref()?;
        Some(situations.with(|all| {
            all.iter()
                .find(|s| s.code == code)
                .map_or_else(|| code.to_owned(), |s| s.label())
        }))
    };
    let situation_of_stage = point.life_situation.clone();
    let stage = move || {
        let code = stage_code.as_deref()?;
        Some(situations.with(|all| {
            all.iter()
                .find(|s| Some(&s.code) == situation_of_stage.as_ref())
                .and_then(|s| s.stages.iter().find(|st| st.code == code))
                .map_or_else(|| code.to_owned(), |st| st.name.clone())
        }))
    };
    let questionnaire = point.questionnaire.clone();
    let labelled = id.clone();
    let posters = manages.then(|| {
        let (a4, a6) = (point.code.clone(), point.code.clone());
        let described = id.clone();
        view! {
            <p class="downloads">
                <button
                    type="button"
                    class="button secondary"
                    aria-describedby=described.clone()
                    on:click=move |_| save(format!("poster-{a4}-a4.pdf"), client::fleet::File::Poster(a4.clone(), "a4"))
                >
                    {move || f().poster_a4}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    aria-describedby=described
                    on:click=move |_| save(format!("poster-{a6}-a6.pdf"), client::fleet::File::Poster(a6.clone(), "a6"))
                >
                    {move || f().poster_a6}
                </button>
            </p>
        }
    });
    let alt = {
        let url = url.clone();
        move || fill(f().qr_alt, &[("url", &url)])
    };
    view! {
        <li>
            <article class="point" aria-labelledby=labelled>
                <img class="qr" src=qr alt=alt width="144" height="144" />
                <div class="point-body">
                    <h2 id=id>{point.code.clone()}</h2>
                    <dl>
                        <dt>{move || f().org}</dt>
                        <dd>{org_name}</dd>
                        <dt>{move || f().questionnaire}</dt>
                        <dd>{move || t().questionnaire_name(&questionnaire)}</dd>
                        <dt>{move || f().life_situation}</dt>
                        <dd>{move || situation().unwrap_or_else(|| f().none.to_owned())}</dd>
                        <dt>{move || f().stage}</dt>
                        <dd>{move || stage().unwrap_or_else(|| f().none.to_owned())}</dd>
                        <dt>{move || f().address}</dt>
                        <dd class="url">{url}</dd>
                    </dl>
                    {posters}
                </div>
            </article>
        </li>
    }
}
