//! The endpoints the dashboard reads and writes (`contract.md` §4–§5), typed with the shared
//! reply shapes, and what their failures mean to the person looking at the screen. A page's
//! own endpoints live in a submodule named after it: [`ranking`] (`/rankings`), [`exports`]
//! (the files of the current view), [`nok`], [`nsi`] (the НСИ report, its stages and the
//! region-wide summary), [`nsi_data`] (НСИ targets, baselines and time measurements),
//! [`comments`], [`entry`], [`fleet`] (points, posters and kiosks), [`manage`] (the writes of
//! «Управление»). The life situations are read by both bundles ([`situations`]).

#[cfg(feature = "nsi")]
pub mod comments;
#[cfg(feature = "desk")]
pub mod entry;
#[cfg(any(feature = "dashboard", feature = "nsi"))]
pub mod exports;
#[cfg(feature = "desk")]
pub mod fleet;
#[cfg(feature = "desk")]
pub mod manage;
#[cfg(feature = "dashboard")]
pub mod nok;
#[cfg(feature = "nsi")]
pub mod nsi;
#[cfg(feature = "nsi")]
pub mod nsi_data;
#[cfg(feature = "dashboard")]
mod ranking;

#[cfg(feature = "dashboard")]
pub use ranking::rankings;

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use otklik_shared::api::{Org, OrgsReply, Point, PointsReply, StatsReply, TrendsReply};
use otklik_shared::catalog::Stage;
use otklik_shared::questionnaire::Questionnaire;
use serde_json::Value;

use super::period::Quarter;
use super::session::SessionContext;
use crate::api::{self, ApiError};
use crate::i18n::{fill, DashboardStrings};

/// `GET /orgs`: every org in the caller's scope.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn orgs(token: &str) -> Result<Vec<Org>, ApiError> {
    let reply: OrgsReply = api::get_with_token("/orgs", token).await?;
    Ok(reply.orgs)
}

/// Reading a field of a JSON object, absent or mistyped fields as empty.
pub(crate) trait Read {
    /// The field `key`.
    fn at(&self, key: &str) -> &Value;
    /// A number, if it is one.
    fn num(&self, key: &str) -> Option<f64> {
        self.at(key).as_f64()
    }
    /// A count (0 when absent).
    fn count(&self, key: &str) -> u64 {
        self.at(key).as_u64().unwrap_or(0)
    }
    /// A string, if it is one.
    fn opt_text(&self, key: &str) -> Option<String> {
        self.at(key).as_str().map(str::to_owned)
    }
    /// A string (empty when absent).
    fn text(&self, key: &str) -> String {
        self.opt_text(key).unwrap_or_default()
    }
    /// The items of an array (none when absent), each read by `item`.
    fn list<T>(&self, key: &str, item: impl Fn(&Value) -> T) -> Vec<T> {
        self.at(key)
            .as_array()
            .map_or_else(Vec::new, |a| a.iter().map(item).collect())
    }
    /// The field as an object read by `item`, or `None` when null or absent.
    fn object<T>(&self, key: &str, item: impl Fn(&Value) -> T) -> Option<T> {
        let v = self.at(key);
        v.is_object().then(|| item(v))
    }
}

impl Read for Value {
    fn at(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&Value::Null)
    }
}

/// A life situation as the dashboard names it (the rest of the reply is not read).
#[derive(Debug, Clone, PartialEq)]
pub struct Situation {
    /// Code, as a point and the НСИ endpoints refer to it.
    pub code: String,
    /// The official number, shown as «ЖС-8».
    pub no: u32,
    /// Russian name.
    pub name: String,
    /// Its stages in path order: a point's (or a measurement's) stage is one of them.
    pub stages: Vec<Stage>,
}

impl Situation {
    /// «ЖС-8 · Трудоустроиться через Центр занятости»: the official number, then the name.
    pub fn label(&self) -> String {
        format!("ЖС-{} · {}", self.no, self.name)
    }
}

/// The path of the catalogue of life situations.
pub const SITUATIONS: &str = "/life-situations";

/// `GET /life-situations`: the catalogue of life situations with their stages.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn situations(token: &str) -> Result<Vec<Situation>, ApiError> {
    let reply: Value = api::get_with_token(SITUATIONS, token).await?;
    Ok(situations_of(&reply))
}

/// The life situations of a `GET /life-situations` reply.
pub fn situations_of(reply: &Value) -> Vec<Situation> {
    reply.list("life_situations", |s| Situation {
        code: s.text("code"),
        no: u32::try_from(s.count("no")).unwrap_or(0),
        name: s.text("name"),
        stages: s.list("stages", |st| Stage {
            code: st.text("code"),
            name: st.text("name"),
        }),
    })
}

/// The questionnaires the points of `org`'s subtree run, each once, by id.
///
/// # Errors
/// As [`api::get_with_token`]; 403 for a role that lists no points.
pub async fn questionnaires(token: &str, org: &str) -> Result<Vec<String>, ApiError> {
    let reply: PointsReply =
        api::get_with_token(&format!("/points?org={}", encode(org)), token).await?;
    let mut ids: Vec<String> = reply.points.into_iter().map(|p| p.questionnaire).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// `GET /points?org=`: the points of `org`'s subtree.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn points(token: &str, org: &str) -> Result<Vec<Point>, ApiError> {
    let reply: PointsReply =
        api::get_with_token(&format!("/points?org={}", encode(org)), token).await?;
    Ok(reply.points)
}

/// The stages of `situation` (a point's, or a comment's point's): none without a situation.
pub fn stages<'a>(situations: &'a [Situation], situation: Option<&str>) -> &'a [Stage] {
    situation
        .and_then(|code| situations.iter().find(|s| s.code == code))
        .map_or(&[], |s| s.stages.as_slice())
}

/// `GET /stats` of `org`'s subtree for `questionnaire` over the days of `quarter`.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn stats(
    token: &str,
    org: &str,
    questionnaire: &str,
    quarter: Quarter,
) -> Result<StatsReply, ApiError> {
    api::get_with_token(&figures_path("/stats", org, questionnaire, quarter), token).await
}

/// `GET /observations` of `org`'s subtree for `questionnaire` over the days of `quarter`: the
/// expert walk-throughs' own figures and batches.
///
/// # Errors
/// As [`api::get_with_token`].
#[cfg(feature = "dashboard")]
pub async fn observations(
    token: &str,
    org: &str,
    questionnaire: &str,
    quarter: Quarter,
) -> Result<otklik_shared::api::ObservationsReply, ApiError> {
    let path = figures_path("/observations", org, questionnaire, quarter);
    api::get_with_token(&path, token).await
}

/// The path of a figures endpoint (`/stats`, `/observations`) for `org`, `questionnaire` and
/// the days of `quarter`.
fn figures_path(endpoint: &str, org: &str, questionnaire: &str, quarter: Quarter) -> String {
    let (from, to) = quarter.days();
    format!(
        "{endpoint}?org={}&questionnaire={}&from={from}&to={to}",
        encode(org),
        encode(questionnaire)
    )
}

/// `GET /questionnaires/{id}/1`: the questions' texts, which label the charts (later versions
/// keep the ids of the questions they share with the first).
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn questionnaire(token: &str, id: &str) -> Result<Questionnaire, ApiError> {
    api::get_with_token(&format!("/questionnaires/{}/1", encode(id)), token).await
}

/// `GET /trends` of one question of `org`'s subtree by quarter, from `first` to `last`.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn quarterly_trend(
    token: &str,
    org: &str,
    questionnaire: &str,
    question: &str,
    (first, last): (Quarter, Quarter),
) -> Result<TrendsReply, ApiError> {
    let path = format!(
        "/trends?org={}&questionnaire={}&question={}&grain=quarter&from={}&to={}",
        encode(org),
        encode(questionnaire),
        encode(question),
        first.days().0,
        last.days().1
    );
    api::get_with_token(&path, token).await
}

/// `/stats` of `quarter` and of the quarter before it, both requests in flight at once (the
/// overview waits for the slower one, not for the sum). The previous quarter's failure is
/// returned beside the figures rather than failing them: it only hides the changes.
///
/// # Errors
/// As [`stats`], for this quarter.
pub async fn stats_with_previous(
    token: &str,
    org: &str,
    questionnaire: &str,
    quarter: Quarter,
) -> Result<(StatsReply, Result<StatsReply, ApiError>), ApiError> {
    let (current, previous) = both(
        stats(token, org, questionnaire, quarter),
        stats(token, org, questionnaire, quarter.previous()),
    )
    .await;
    Ok((current?, previous))
}

/// Runs two futures concurrently on this task and returns both outputs (a two-way join in
/// plain `std`, so the bundle needs no futures crate for it).
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    poll_fn(|cx| {
        if done_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                done_a = Some(v);
            }
        }
        if done_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                done_b = Some(v);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                done_a = x;
                done_b = y;
                Poll::Pending
            }
        }
    })
    .await
}

/// Whether the server refused the token (expired, revoked, the user disabled): the caller
/// then ends the session with [`SessionContext::expire`].
pub fn token_refused(error: &ApiError) -> bool {
    matches!(error, ApiError::Http { status: 401, .. })
}

/// Ends the session when `error` is a refused token; the sign-in screen then takes over.
pub fn expire_if_refused(error: &ApiError, session: SessionContext) {
    if token_refused(error) {
        session.expire();
    }
}

/// What a failed read shows on screen.
pub fn explain(error: &ApiError, t: &DashboardStrings) -> String {
    match error {
        ApiError::Http { status: 403, .. } => t.forbidden.to_owned(),
        ApiError::Http { status: 404, .. } => t.unknown_org.to_owned(),
        ApiError::Http { status, .. } => {
            fill(t.load_failed, &[("reason", &format!("HTTP {status}"))])
        }
        ApiError::Network(_) => t.no_connection.to_owned(),
        ApiError::Decode(reason) => fill(t.load_failed, &[("reason", reason)]),
    }
}

/// What a page shows for a figures read that is loading (`None`), failed, or has nothing to
/// show (`Ok(None)`: no org or questionnaire chosen yet); `Some(value)` is left to the page.
#[cfg(feature = "dashboard")]
pub fn pending<T>(
    state: Option<Result<Option<T>, ApiError>>,
    t: &'static DashboardStrings,
) -> Result<T, leptos::prelude::AnyView> {
    match state {
        Some(Ok(Some(value))) => Ok(value),
        Some(Ok(None)) => Err(leptos::prelude::IntoAny::into_any(())),
        other => Err(unready(other.and_then(Result::err).as_ref(), t)),
    }
}

/// «Loading» without an error, else the error in an alert; nothing for a refused token (the
/// session ends and the sign-in replaces the page). Not generic, so drawn by one copy of code.
#[cfg(feature = "dashboard")]
fn unready(error: Option<&ApiError>, t: &'static DashboardStrings) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    match error {
        None => view! { <p class="notice">{t.loading}</p> }.into_any(),
        Some(e) if token_refused(e) => ().into_any(),
        Some(e) => view! { <p class="error" role="alert">{explain(e, t)}</p> }.into_any(),
    }
}

pub(super) fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Waker};

    use super::*;

    /// Pending `pending` times, then ready with `value`; polling it after that is a bug.
    struct Later {
        pending: u8,
        value: u32,
        done: bool,
    }

    impl Future for Later {
        type Output = u32;

        fn poll(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<u32> {
            assert!(!self.done, "polled after it completed");
            if self.pending == 0 {
                self.done = true;
                Poll::Ready(self.value)
            } else {
                self.pending -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    fn later(pending: u8, value: u32) -> Later {
        Later {
            pending,
            value,
            done: false,
        }
    }

    #[test]
    fn both_runs_the_two_at_once_and_waits_for_the_slower() {
        let mut joined = pin!(both(later(3, 1), later(1, 2)));
        let mut cx = Context::from_waker(Waker::noop());
        let mut polls = 0;
        let out = loop {
            polls += 1;
            if let Poll::Ready(out) = joined.as_mut().poll(&mut cx) {
                break out;
            }
        };
        assert_eq!(out, (1, 2));
        assert_eq!(polls, 4, "as long as the slower one, not the sum");
    }

    #[test]
    fn a_stage_is_offered_only_from_the_chosen_situation() {
        let stage = |code: &str| Stage {
            code: code.into(),
            name: code.into(),
        };
        let situations = [
            Situation {
                code: "job".into(),
                no: 8,
                name: "Работа".into(),
                stages: vec![stage("visit"), stage("offer")],
            },
            Situation {
                code: "care".into(),
                no: 1,
                name: "Уход".into(),
                stages: vec![stage("assess")],
            },
        ];
        let codes = |s: Option<&str>| -> Vec<String> {
            stages(&situations, s)
                .iter()
                .map(|s| s.code.clone())
                .collect()
        };
        assert_eq!(codes(Some("job")), ["visit", "offer"]);
        assert_eq!(codes(Some("care")), ["assess"]);
        assert!(codes(None).is_empty());
        assert!(codes(Some("unknown")).is_empty());
    }
}
