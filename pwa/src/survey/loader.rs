//! Opens the point a survey shows: from the first visit's page when the server embedded it
//! (`handoff`), else through [`points::load`]; says why when it cannot.

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::PointInfo;

use crate::handoff;
use crate::i18n::{use_i18n, Strings};
use crate::points::{self, Load};

/// Loads the point and shows it with `show`, or says why it cannot.
#[component]
pub fn PointLoader(
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
            let _ = load.try_set(points::load(&code).await);
        });
    };
    match embedded {
        Some(info) => spawn_local(async move { points::cache(&start.get_value(), &info).await }),
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
