//! `GET /q/{code}`: the app shell with the point's first question already in the page.
//!
//! Why: on slow mobile data (DevTools' Fast 3G: 562.5 ms a round trip, 180 KB/s) a client-side
//! app needs the page, then its script, then ≈ 220 KB of wasm, then the point from the API —
//! about five seconds before a question shows. With the first question in the HTML the
//! respondent can answer as soon as the page and its stylesheet have arrived: the options are
//! plain radios, which need no script, and the boot script (`pwa/tools/postbuild.mjs`) enables
//! «Далее» as soon as it runs. When the app starts it takes the answer over (`pwa/src/handoff.rs`)
//! and replaces this markup with its own, which is the same (`RadioGroup`; a browser test
//! compares the two). The point itself is embedded as JSON, so the app needs no API round trip
//! either, and the citizen bundle is preloaded from the `<head>`.
//!
//! Only this first network visit is rendered here: once the service worker is installed it
//! answers every `/q/…` navigation with the cached shell, and the cached app starts at once.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use otklik_shared::api::PointInfo;
use otklik_shared::i18n::{self, fill, Strings};
use otklik_shared::questionnaire::{Question, QuestionKind};
use otklik_shared::validation;

use crate::error::ApiError;
use crate::points;
use crate::pwa::Bundle;
use crate::state::AppState;

/// Where the shell (`pwa/index.html`) takes the preload links.
const HEAD_MARK: &str = "<!--otklik:head-->";
/// The shell's body placeholder, between these two marks, makes way for the question.
const BODY_OPEN: &str = "<!--otklik:body-->";
const BODY_CLOSE: &str = "<!--/otklik:body-->";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/q/{code}", web::get().to(page));
}

/// The page. An unknown point, or a database that cannot answer, gets the plain shell: the app
/// then says what is wrong, or opens its cached copy.
async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some(shell) = state.pwa.text("index.html") else {
        return super::static_files::serve(req, state).await;
    };
    let info = points::point_info(&state.db, &state.catalog, &code)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "survey page without its point");
            None
        });
    let citizen = state.pwa.citizen_bundle();
    let html = info
        .and_then(|info| render(&shell, citizen.as_ref(), &info))
        .unwrap_or(shell);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .body(html))
}

/// The shell with `info`'s first question and data in it; `None` when the shell lacks the marks
/// (a PWA built by an older build script), so the caller serves it unchanged.
pub fn render(shell: &str, citizen: Option<&Bundle>, info: &PointInfo) -> Option<String> {
    let head = shell.find(HEAD_MARK)?;
    let open = shell.find(BODY_OPEN)?;
    let close = shell.find(BODY_CLOSE)?;
    if !(head < open && open < close) {
        return None;
    }
    let preload = citizen.map_or_else(String::new, |b| {
        // The glue as a module and the wasm exactly as the boot script fetches it (a CORS-mode
        // same-origin fetch), so both downloads start with the page's first bytes.
        format!(
            "<link rel=\"modulepreload\" href=\"{}\">\n<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin>\n",
            attr(&b.glue),
            attr(&b.wasm)
        )
    });
    let mut html = String::with_capacity(shell.len() + 8192);
    html.push_str(&shell[..head]);
    html.push_str(&preload);
    html.push_str(&shell[head..open]);
    html.push_str(&first_question(info, &i18n::RU).unwrap_or_default());
    // `<` escaped so no text in the data can close the element; JSON reads `\u003c` back as `<`.
    let data = serde_json::to_string(info).ok()?.replace('<', "\\u003c");
    html.push_str("<script type=\"application/json\" id=\"point-data\">");
    html.push_str(&data);
    html.push_str("</script>");
    html.push_str(&shell[close + BODY_CLOSE.len()..]);
    Some(html)
}

/// The page around the first reachable question, as the app renders it (`pwa/src/survey.rs`),
/// for the questions answered by picking an option; `None` for the others (the app renders
/// them when it starts).
fn first_question(info: &PointInfo, t: &Strings) -> Option<String> {
    let q = &info.questionnaire;
    let reachable = validation::reachable(q, &[]);
    let question = reachable.first()?;
    if matches!(question.kind, QuestionKind::Number | QuestionKind::Text) {
        return None;
    }
    let total = reachable.len();
    let (progress, count) = (
        fill(t.progress, &[("n", "1"), ("total", &total.to_string())]),
        total.to_string(),
    );
    let (hint, button) = (
        if question.required {
            t.required_hint
        } else {
            t.optional_hint
        },
        if total == 1 { t.submit } else { t.next },
    );
    Some(format!(
        "<div id=\"prerender\" data-point=\"{point}\">\n\
         <header class=\"topbar\"><span class=\"brand\">{app}</span></header>\n\
         <main class=\"page\">\n\
         <h1 class=\"survey-title\">{title}</h1>\n\
         <p class=\"org-name\">{org}</p>\n\
         <form class=\"survey-form\" novalidate data-required=\"{required}\" data-wait=\"{wait}\">\n\
         <h2 class=\"progress\" tabindex=\"-1\">{progress}</h2>\n\
         <progress class=\"progress-bar\" aria-hidden=\"true\" max=\"{count}\" value=\"1\"></progress>\n\
         {group}{comment}\
         <p class=\"hint\">{hint}</p>\n\
         <div class=\"nav\"><button type=\"submit\" class=\"button primary\" disabled>{button}</button></div>\n\
         </form>\n\
         </main>\n\
         </div>\n",
        point = attr(&info.point.code),
        app = text(t.app_name),
        title = text(&q.title),
        org = text(&info.org.name),
        required = u8::from(question.required),
        wait = attr(t.loading),
        progress = text(&progress),
        group = radio_group(question, t),
        comment = comment_box(question, t),
        hint = text(hint),
        button = text(button),
    ))
}

/// `RadioGroup`'s markup. Each radio also carries its wire value (`value`, JSON), which the
/// app reads when it takes over; options that open the comment box are marked for the
/// stylesheet, which shows the box while one is checked.
fn radio_group(question: &Question, t: &Strings) -> String {
    let qid = attr(&question.id);
    let nps = question.kind == QuestionKind::Nps;
    let mut html = if nps {
        format!("<fieldset class=\"question\" aria-describedby=\"{qid}-ends\">")
    } else {
        String::from("<fieldset class=\"question\">")
    };
    html.push_str(&format!(
        "<legend class=\"question-text\">{}</legend>",
        text(&question.text)
    ));
    if let Some(subtitle) = &question.subtitle {
        html.push_str(&format!(
            "<p class=\"question-subtitle\">{}</p>",
            text(subtitle)
        ));
    }
    html.push_str(if nps {
        "<div class=\"options options-row\">"
    } else {
        "<div class=\"options options-stack\">"
    });
    for (value, label) in i18n::options(question, t) {
        let opens = validation::parse_value(question, &value)
            .is_ok_and(|v| validation::invites_comment(question, &v));
        html.push_str(&format!(
            "<label class=\"option\"><input type=\"radio\" name=\"{qid}\" value=\"{value}\"{mark}>\
             <span class=\"option-label\">{label}</span></label>",
            value = attr(&value.to_string()),
            mark = if opens { " data-comment" } else { "" },
            label = text(&label),
        ));
    }
    html.push_str("</div>");
    if nps {
        let (min, max) = i18n::scale_ends(question, t);
        html.push_str(&format!(
            "<p class=\"scale-ends\" id=\"{qid}-ends\"><span>{}</span><span>{}</span></p>",
            text(&min),
            text(&max)
        ));
    }
    html.push_str("</fieldset>\n");
    html
}

/// `TextBox`'s comment markup (`Purpose::Comment`), for a question with a comment rule (hidden until an option that opens
/// it is checked).
fn comment_box(question: &Question, t: &Strings) -> String {
    if question.comment.is_none() {
        return String::new();
    }
    let id = attr(&format!("{}-comment", question.id));
    format!(
        "<div class=\"comment\"><label class=\"comment-label\" for=\"{id}\">{}</label>\
         <textarea class=\"field\" id=\"{id}\" rows=\"4\" maxlength=\"{}\"></textarea></div>\n",
        text(&i18n::comment_prompt(question, t)),
        otklik_shared::questionnaire::MAX_TEXT_LEN,
    )
}

/// Escapes text content.
fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escapes a double-quoted attribute value.
fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use otklik_shared::api::{OrgRef, PointRef};
    use otklik_shared::catalog;

    const SHELL: &str = "<html><head><title>x</title><!--otklik:head--></head><body>\
        <!--otklik:body--><p id=\"boot\">Загрузка…</p><!--/otklik:body--></body></html>";

    fn info(questionnaire: &str) -> PointInfo {
        let q = catalog::builtin_questionnaires()
            .expect("catalogue")
            .into_iter()
            .find(|q| q.id == questionnaire)
            .expect("built-in questionnaire");
        PointInfo {
            point: PointRef {
                code: "p-1".into(),
                life_situation: None,
                stage: None,
            },
            org: OrgRef {
                code: "org".into(),
                name: "МФЦ «Центр» <филиал>".into(),
                tz: "Europe/Moscow".into(),
            },
            questionnaire: q,
            siblings: Vec::new(),
        }
    }

    #[test]
    fn renders_the_first_question_and_the_data_in_place_of_the_placeholder() {
        let bundle = Bundle {
            glue: "/g-1.js".into(),
            wasm: "/w-1.wasm".into(),
        };
        let html = render(SHELL, Some(&bundle), &info("express")).expect("marks present");
        assert!(!html.contains("Загрузка…"));
        assert!(html.contains("<link rel=\"modulepreload\" href=\"/g-1.js\">"));
        assert!(html.contains("href=\"/w-1.wasm\" as=\"fetch\" crossorigin"));
        assert!(html.contains("Вопрос 1 из 3"));
        assert!(html.contains("<legend class=\"question-text\">Удовлетворены ли Вы качеством обслуживания сегодня?</legend>"));
        for label in ["Да", "Скорее да", "Скорее нет", "Нет"] {
            assert!(html.contains(&format!("<span class=\"option-label\">{label}</span>")));
        }
        // The negative answers open the comment box, and only they.
        assert_eq!(html.matches(" data-comment>").count(), 2);
        assert!(html.contains("value=\"&quot;rather_no&quot;\" data-comment"));
        assert!(html.contains("Расскажите, что было не так?"));
        assert!(html.contains("МФЦ «Центр» &lt;филиал&gt;"));
    }

    #[test]
    fn embedded_data_cannot_close_its_element_and_reads_back() {
        let mut point = info("express");
        point.org.name = "</script><script>alert(1)</script>".into();
        let html = render(SHELL, None, &point).expect("marks present");
        let start = html.find("id=\"point-data\">").expect("data") + "id=\"point-data\">".len();
        let end = start + html[start..].find("</script>").expect("end");
        let back: PointInfo = serde_json::from_str(&html[start..end]).expect("JSON");
        assert_eq!(back, point);
        assert!(!html.contains("modulepreload"));
    }

    #[test]
    fn nps_and_yes_no_first_questions_render_as_groups() {
        let html = render(SHELL, None, &info("nok-social")).expect("marks present");
        assert!(html.contains("<span class=\"option-label\">Да</span>"));
        assert!(html.contains("value=\"true\""));
        assert!(!html.contains("class=\"comment\""));
    }

    #[test]
    fn a_shell_without_marks_is_left_alone() {
        assert!(render("<html></html>", None, &info("express")).is_none());
    }
}
