//! The exports of the current view (`contract.md` §5, §7): «Скачать XLSX» and «Скачать CSV»
//! of the selected org's `/stats` for the selected questionnaire and quarter, with a checkbox
//! for the `;` separator and decimal comma a Russian Excel opens directly. Shown on the
//! overview and on the ranking; a failed download says why, in words.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::client::exports::{file_name, save, stats_path, Format};
use super::client::{self};
use super::filters::Selection;
use super::session::use_session;
use crate::api::ApiError;
use crate::i18n::{fill, use_i18n, DashboardStrings};

/// What a failed download says, in words.
pub fn download_failed(e: &ApiError, t: &DashboardStrings) -> String {
    let reason = match e {
        ApiError::Network(_) => return t.no_connection.to_owned(),
        ApiError::Http { status: 403, .. } => return t.forbidden.to_owned(),
        ApiError::Http { status, .. } => format!("HTTP {status}"),
        ApiError::Decode(reason) => reason.clone(),
    };
    fill(t.ranking.download_failed, &[("reason", &reason)])
}

/// The export controls of the view that `selected` and `selection` describe.
#[component]
pub fn Exports(
    token: String,
    selected: Memo<Option<String>>,
    selection: Selection,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let semicolon = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let token = StoredValue::new(token);
    let start = move |xlsx: bool| {
        let (Some(org), Some(questionnaire)) = (
            selected.get_untracked(),
            selection.questionnaire.get_untracked(),
        ) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let format = match (xlsx, semicolon.get_untracked()) {
            (true, _) => Format::Xlsx,
            (false, true) => Format::CsvSemicolon,
            (false, false) => Format::Csv,
        };
        let quarter = selection.quarter.get_untracked();
        let path = stats_path(&org, &questionnaire, quarter, format);
        let name = file_name(&org, &questionnaire, quarter, format);
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = save(&path, &token.get_value(), &name).await;
            busy.set(false);
            if let Err(e) = result {
                client::expire_if_refused(&e, context);
                failure.set(Some(e));
            }
        });
    };
    let message = move || failure.get().map(|e| download_failed(&e, t()));
    // Drawn once per language with static strings: the state lives in the signals above.
    move || {
        let r = t().ranking;
        view! {
            <div class="exports" role="group" aria-label=r.exports>
                <button type="button" class="button secondary" on:click=move |_| start(true)>
                    {r.xlsx}
                </button>
                <button type="button" class="button secondary" on:click=move |_| start(false)>
                    {r.csv}
                </button>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=semicolon
                        on:change=move |ev| semicolon.set(event_target_checked(&ev))
                    />
                    {r.semicolon}
                </label>
                <p class="hint" role="status">
                    {move || busy.get().then_some(r.downloading)}
                </p>
                {move || message().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            </div>
        }
    }
}
