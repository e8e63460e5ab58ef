//! `/q/<point>`: a citizen answers a survey point's questionnaire on their own device.
//!
//! The page only reads the address — the point code and the channel (`?ch=link` for a shared
//! link, a QR poster otherwise) — and runs the survey flow (`survey`) for it.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use otklik_shared::answer::Channel;

use crate::survey::{Mode, PointLoader, Survey};

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
