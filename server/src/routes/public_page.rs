//! `GET /r/{org}`: «Вы сказали — мы сделали» (`i18n::RU.public_answers`, the name of the thanks
//! screen's link to it), the public page of an org — what its officials
//! answered to comments and the measures they took ([`published`](crate::published)) — as
//! plain HTML rendered here, with no wasm: a citizen reaches it from the thanks screen on
//! mobile data, and it must read on any browser, with a screen reader, without script.
//!
//! Its stylesheet and script are two small files of its own (`public_page/`, served under
//! `/r/assets/`), not inline, so the Content-Security-Policy needs no exception. The script
//! registers the app's service worker and puts the page and both files in the `otklik-public`
//! cache, which the worker answers `/r/…` from when the network fails: the page opens offline
//! after one visit.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDate};
use otklik_shared::i18n;

use crate::published::{self, Published};
use crate::service_error::ServiceError;
use crate::state::AppState;

/// The page's stylesheet and script.
const CSS: &str = include_str!("public_page/public.css");
const JS: &str = include_str!("public_page/public.js");

/// Month names in the genitive, for «2 марта 2026 г.».
const MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::page("/r/assets/public.css", css))
        .service(super::page("/r/assets/public.js", js))
        .service(super::page("/r/{org}", page));
}

async fn css() -> HttpResponse {
    asset("text/css; charset=utf-8", CSS)
}

async fn js() -> HttpResponse {
    asset("text/javascript; charset=utf-8", JS)
}

/// A file of the page: revalidated on every online visit (`no-cache`), so a new build's copy
/// replaces the cached one at once.
fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .body(body)
}

/// The page; a Russian 404 page for an unknown org, a 503 one when the database cannot answer.
async fn page(state: web::Data<AppState>, org: web::Path<String>) -> HttpResponse {
    let (status, html) = match published::of_org(&state.db, &org).await {
        Ok(p) => (StatusCode::OK, render(&p)),
        Err(ServiceError::NotFound { .. }) => (StatusCode::NOT_FOUND, not_found(&org)),
        Err(e) => {
            tracing::error!(error = ?e, "public page without its data");
            (StatusCode::SERVICE_UNAVAILABLE, unavailable())
        }
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .body(html)
}

/// The document around `title` and `body`.
fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <link rel=\"stylesheet\" href=\"/r/assets/public.css\">\n\
         <script src=\"/r/assets/public.js\" defer></script>\n\
         </head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        title = text(title),
    )
}

/// The page of what `p` publishes.
pub fn render(p: &Published) -> String {
    let tz: Option<chrono_tz::Tz> = p.org.tz.parse().ok();
    let heading = i18n::RU.public_answers;
    let mut body = format!(
        "<h1>{heading}</h1>\n<p class=\"org\">{}</p>\n\
         <p>Здесь учреждение рассказывает, что оно изменило по отзывам посетителей.</p>\n",
        text(&p.org.name)
    );
    if p.answers.is_empty() && p.improvements.is_empty() {
        body.push_str(
            "<p>Пока здесь ничего нет: ответы появятся, когда учреждение разберёт отзывы и \
             примет меры.</p>\n",
        );
    }
    if !p.answers.is_empty() {
        body.push_str("<h2>Ответы на отзывы</h2>\n<ul>\n");
        for a in &p.answers {
            let day = DateTime::parse_from_rfc3339(&a.done_at)
                .ok()
                .map(|t| match tz {
                    Some(tz) => t.with_timezone(&tz).date_naive(),
                    None => t.date_naive(),
                });
            let stage = a
                .stage_name
                .as_deref()
                .map(|s| format!(" · этап «{}»", text(s)))
                .unwrap_or_default();
            body.push_str(&format!(
                "<li><p>{}</p><p class=\"meta\"><span class=\"done\">Сделано</span>{}{stage}</p></li>\n",
                text(&a.public_answer),
                day.map(|d| format!(" {}", time(d))).unwrap_or_default(),
            ));
        }
        body.push_str("</ul>\n");
    }
    if !p.improvements.is_empty() {
        body.push_str("<h2>Что изменилось</h2>\n<ul>\n");
        for m in &p.improvements {
            let day = NaiveDate::parse_from_str(&m.done_on, "%Y-%m-%d").ok();
            body.push_str(&format!(
                "<li><p>{}</p><p class=\"meta\">{}</p></li>\n",
                text(&m.title),
                day.map(time).unwrap_or_default(),
            ));
        }
        body.push_str("</ul>\n");
    }
    body.push_str(
        "<button type=\"button\" class=\"back\" id=\"back\" hidden>Вернуться назад</button>\n",
    );
    document(&format!("Вы сказали — мы сделали: {}", p.org.name), &body)
}

fn not_found(code: &str) -> String {
    document(
        "Страница не найдена",
        &format!(
            "<h1>Страница не найдена</h1>\n<p>Учреждения с кодом «{}» нет. Проверьте адрес \
             страницы или отсканируйте QR-код ещё раз.</p>\n",
            text(code)
        ),
    )
}

fn unavailable() -> String {
    document(
        "Страница временно недоступна",
        "<h1>Страница временно недоступна</h1>\n<p>Попробуйте открыть её через несколько \
         минут.</p>\n",
    )
}

/// A date as `<time>`: «2 марта 2026 г.», machine-readable in `datetime`.
fn time(d: NaiveDate) -> String {
    format!(
        "<time datetime=\"{}\">{} {} {} г.</time>",
        d.format("%Y-%m-%d"),
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// Escapes text content (and double-quoted attributes).
fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published::{PublicAnswer, PublicImprovement, PublicOrg};

    fn published() -> Published {
        Published {
            org: PublicOrg {
                code: "czn".into(),
                name: "ЦЗН <Центр>".into(),
                tz: "Asia/Vladivostok".into(),
            },
            answers: vec![PublicAnswer {
                stage: Some("registration".into()),
                stage_name: Some("Регистрация".into()),
                public_answer: "Открыли второе окно".into(),
                done_at: "2026-03-01T20:30:00.000Z".into(),
            }],
            improvements: vec![PublicImprovement {
                title: "Электронная очередь".into(),
                done_on: "2026-02-10".into(),
            }],
        }
    }

    #[test]
    fn the_page_lists_answers_and_measures_with_local_dates() {
        let html = render(&published());
        assert!(html.starts_with("<!doctype html>\n<html lang=\"ru\">"));
        assert!(html.contains("<h1>Вы сказали — мы сделали</h1>"));
        assert!(html.contains("ЦЗН &lt;Центр&gt;"));
        assert!(html.contains("Открыли второе окно"));
        // 20:30 UTC on 1 March is 2 March in Vladivostok.
        assert!(html.contains("<time datetime=\"2026-03-02\">2 марта 2026 г.</time>"));
        assert!(html.contains("этап «Регистрация»"));
        assert!(html.contains("<time datetime=\"2026-02-10\">10 февраля 2026 г.</time>"));
        assert!(!html.contains("Пока здесь ничего нет"));
        assert!(!html.contains("<script>"), "no inline script");
    }

    #[test]
    fn an_empty_page_says_so() {
        let mut p = published();
        p.answers.clear();
        p.improvements.clear();
        let html = render(&p);
        assert!(html.contains("Пока здесь ничего нет"));
        assert!(!html.contains("<ul>"));
    }
}
