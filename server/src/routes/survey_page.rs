//! `GET /q/{code}`: the app shell with the point's first question already in the page.
//!
//! Why: on slow mobile data (DevTools' Fast 3G: 562.5 ms a round trip, 180 KB/s) a client-side
//! app needs the page, then its script, then ≈ 220 KB of wasm, then the point from the API —
//! about five seconds before a question shows. With the first question in the HTML the
//! respondent can answer as soon as the page has arrived: the options are plain radios, which
//! need no script, and the page's own small script (`SCRIPT`) enables «Далее». When the app
//! starts it takes the answer over (`pwa/src/handoff.rs`) and replaces this markup with its own,
//! which is the same (`RadioGroup`; a browser test compares the two). The point itself is embedded as JSON, so the app needs no API round trip
//! either, and the citizen bundle is preloaded from the `<head>`.
//!
//! Over a real first visit (TCP and TLS 1.3 paid: three round trips of 562 ms on Fast 3G before
//! the page's first byte) one more round trip for the stylesheet and the boot script took the
//! first question past the 2.5 s budget (docs/benchmarks.md, issue 17). So the question arrives
//! ready in this first response: the stylesheet's rules it can use inline in the `<head>`, the
//! script that enables «Далее» inline after it, both allowed by the page's CSP through their
//! hashes only; the full stylesheet is linked at the end of the body, where it no longer holds
//! up the first paint. The whole page stays a few KB compressed, well inside one TCP initial
//! window (≈ 14 KB).
//!
//! Only this first network visit is rendered here: once the service worker is installed it
//! answers every `/q/…` navigation with the cached shell, and the cached app starts at once.

use std::collections::HashSet;
use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;
use otklik_shared::api::PointInfo;
use otklik_shared::i18n::{self, fill, Strings};
use otklik_shared::questionnaire::{Question, QuestionKind};
use otklik_shared::validation;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::points;
use crate::pwa::Bundle;
use crate::startup;
use crate::state::AppState;

/// Where the shell (`pwa/index.html`) takes the preload links.
const HEAD_MARK: &str = "<!--otklik:head-->";
/// The shell's body placeholder, between these two marks, makes way for the question.
const BODY_OPEN: &str = "<!--otklik:body-->";
const BODY_CLOSE: &str = "<!--/otklik:body-->";
/// How the shell links its stylesheet (`pwa/index.html`, `{{css}}` filled in by the build).
const STYLESHEET: &str = "<link rel=\"stylesheet\" href=\"";

/// The script that makes the server-rendered question work before the app does: it enables
/// «Далее» once the question may be left and, if it is pressed before the app runs, records
/// that (`data-advance`) for the app, which takes the answer over (pwa/src/handoff.rs). Until
/// it runs the button stays disabled, so the form is never submitted as a page load;
/// `data-enhanced` says it has run.
const SCRIPT: &str = include_str!("survey_page.js");
/// `SCRIPT`'s CSP source.
static SCRIPT_HASH: LazyLock<String> = LazyLock::new(|| csp_hash(SCRIPT));

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(super::page("/q/{code}", page));
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
    let stylesheet =
        stylesheet_href(&shell).and_then(|href| state.pwa.text(href.trim_start_matches('/')));
    let page = info.and_then(|info| render(&shell, citizen.as_ref(), stylesheet.as_deref(), &info));
    let mut res = HttpResponse::Ok();
    res.content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")));
    // Set here, the security headers' middleware leaves it (it only adds what is missing).
    if let Some(csp) = page.as_ref().and_then(|p| p.csp.as_deref()) {
        res.insert_header((header::CONTENT_SECURITY_POLICY, csp));
    }
    Ok(res.body(page.map_or(shell, |p| p.html)))
}

/// A rendered survey page.
pub struct Page {
    pub html: String,
    /// The CSP that allows the page's inline style and script, when it has them.
    pub csp: Option<String>,
}

/// The shell with `info`'s first question and data in it; `None` when the shell lacks the marks
/// (a PWA built by an older build script), so the caller serves it unchanged. `stylesheet` is
/// the text of the shell's stylesheet: with a question rendered, the rules it can use are
/// inlined and the link moves to the end of the body.
pub fn render(
    shell: &str,
    citizen: Option<&Bundle>,
    stylesheet: Option<&str>,
    info: &PointInfo,
) -> Option<Page> {
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
    let question = first_question(info, &i18n::RU);
    // The stylesheet's link, to be moved, and the rules to inline instead: only with a question
    // on the page, and only text that cannot end the `<style>` element.
    let inline = question.as_ref().and_then(|question| {
        let link = stylesheet_link(&shell[..head])?;
        let css = critical_css(stylesheet?, question);
        (!css.contains("</")).then_some((link, css))
    });
    let mut html = String::with_capacity(shell.len() + 16384);
    match &inline {
        Some((link, css)) => {
            html.push_str(&shell[..link.start]);
            html.push_str(&shell[link.end..head]);
            html.push_str("<style id=\"critical-css\">");
            html.push_str(css);
            html.push_str("</style>\n");
        }
        None => html.push_str(&shell[..head]),
    }
    html.push_str(&preload);
    html.push_str(&shell[head..open]);
    if let Some(question) = &question {
        html.push_str(question);
        html.push_str("<script>");
        html.push_str(SCRIPT);
        html.push_str("</script>\n");
    }
    // `<` escaped so no text in the data can close the element; JSON reads `\u003c` back as `<`.
    let data = serde_json::to_string(info).ok()?.replace('<', "\\u003c");
    html.push_str("<script type=\"application/json\" id=\"point-data\">");
    html.push_str(&data);
    html.push_str("</script>");
    if let Some((link, _)) = &inline {
        html.push('\n');
        html.push_str(shell[link.clone()].trim_end());
    }
    html.push_str(&shell[close + BODY_CLOSE.len()..]);
    let csp = question.map(|_| {
        let style = inline.as_ref().map(|(_, css)| csp_hash(css));
        startup::csp_allowing(&SCRIPT_HASH, style.as_deref())
    });
    Some(Page { html, csp })
}

/// Where in `head` the shell links its stylesheet: the element and the line break after it.
fn stylesheet_link(head: &str) -> Option<std::ops::Range<usize>> {
    let start = head.find(STYLESHEET)?;
    let end = start + head[start..].find('>')? + 1;
    Some(start..end + usize::from(head[end..].starts_with('\n')))
}

/// The shell's stylesheet's URL.
fn stylesheet_href(shell: &str) -> Option<&str> {
    let link = stylesheet_link(shell)?;
    let href = &shell[link.start + STYLESHEET.len()..];
    href.get(..href.find('"')?)
}

/// A CSP source that allows exactly `text` as an inline element's content.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The rules of `css` that can apply to `html`: every rule with a selector all of whose classes
/// occur in `html`'s `class` attributes (so element, `:root` and `#id` rules are kept), inside
/// the at-rules (`@media`) they stand in. A superset of what `html` uses, derived from the
/// built stylesheet itself, so nothing is copied by hand and nothing drifts.
fn critical_css(css: &str, html: &str) -> String {
    let classes: HashSet<&str> = html
        .split("class=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .flat_map(str::split_whitespace)
        .collect();
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        plain.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    plain.push_str(rest);
    let mut out = String::new();
    keep_rules(&plain, &classes, &mut out);
    out
}

/// Appends to `out` the rules of the block `css` (the stylesheet, or an at-rule's body) that
/// `critical_css` keeps, one a line.
fn keep_rules(mut css: &str, classes: &HashSet<&str>, out: &mut String) {
    while let Some(open) = css.find('{') {
        let prelude = css[..open].trim();
        // The matching brace: at-rules nest one level of rules.
        let mut depth = 0;
        let Some(close) = css[open..].char_indices().find_map(|(i, c)| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(open + i)
        }) else {
            return;
        };
        let body = &css[open + 1..close];
        if prelude.starts_with('@') {
            let mut inner = String::new();
            keep_rules(body, classes, &mut inner);
            if !inner.is_empty() {
                out.push_str(&format!("{prelude}{{\n{inner}}}\n"));
            }
        } else if prelude.split(',').any(|selector| {
            selector.split('.').skip(1).all(|class| {
                let end = class
                    .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(class.len());
                classes.contains(&class[..end])
            })
        }) {
            let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("{prelude}{{{body}}}\n"));
        }
        css = &css[close + 1..];
    }
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

    const SHELL: &str =
        "<html><head><title>x</title>\n<link rel=\"stylesheet\" href=\"/app-1.css\">\n\
        <!--otklik:head--></head><body>\
        <!--otklik:body--><p id=\"boot\">Загрузка…</p><!--/otklik:body--></body></html>";
    /// A stylesheet with rules the express questionnaire's first question uses and rules it
    /// does not (the language switch, the thanks screen, NPS's row of options).
    const CSS: &str = "/* a comment { .thanks } */\n:root { --fg: #111; }\n\
        .option input:checked + .option-label {\n  color: red;\n}\n\
        .lang-switch { font: inherit; }\n.thanks, .thanks-title { margin: 0; }\n\
        @media (min-width: 30rem) {\n  .page { padding: 1rem; }\n  .options-row { gap: 1px; }\n}\n\
        @media (forced-colors: active) {\n  .kiosk-start { outline: 0; }\n}\n\
        #prerender form:has(input[data-comment]:checked) .comment { display: block; }\n";

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
        let page = render(SHELL, Some(&bundle), None, &info("express")).expect("marks present");
        let html = page.html;
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
        let html = render(SHELL, None, None, &point)
            .expect("marks present")
            .html;
        let start = html.find("id=\"point-data\">").expect("data") + "id=\"point-data\">".len();
        let end = start + html[start..].find("</script>").expect("end");
        let back: PointInfo = serde_json::from_str(&html[start..end]).expect("JSON");
        assert_eq!(back, point);
        assert!(!html.contains("modulepreload"));
    }

    #[test]
    fn nps_and_yes_no_first_questions_render_as_groups() {
        let html = render(SHELL, None, None, &info("nok-social"))
            .expect("marks present")
            .html;
        assert!(html.contains("<span class=\"option-label\">Да</span>"));
        assert!(html.contains("value=\"true\""));
        assert!(!html.contains("class=\"comment\""));
    }

    #[test]
    fn a_shell_without_marks_is_left_alone() {
        assert!(render("<html></html>", None, Some(CSS), &info("express")).is_none());
    }

    #[test]
    fn the_rules_the_question_uses_are_inlined_and_allowed_by_their_hash_alone() {
        let page = render(SHELL, None, Some(CSS), &info("express")).expect("marks present");
        let html = &page.html;
        let start = html
            .find("<style id=\"critical-css\">")
            .expect("inline style")
            + "<style id=\"critical-css\">".len();
        let css = &html[start..start + html[start..].find("</style>").expect("end")];
        assert_eq!(
            css,
            ":root{--fg: #111;}\n\
             .option input:checked + .option-label{color: red;}\n\
             @media (min-width: 30rem){\n.page{padding: 1rem;}\n}\n\
             #prerender form:has(input[data-comment]:checked) .comment{display: block;}\n"
        );
        // The stylesheet no longer holds up the first paint: linked after the content.
        let link = html
            .find("<link rel=\"stylesheet\" href=\"/app-1.css\">")
            .expect("link");
        assert_eq!(html.matches("rel=\"stylesheet\"").count(), 1);
        assert!(link > html.find("id=\"point-data\"").expect("data"));
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
        let csp = page.csp.expect("a CSP of its own");
        assert!(csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {};",
            csp_hash(SCRIPT)
        )));
        assert!(csp.contains(&format!("style-src 'self' {};", csp_hash(css))));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(
            csp_hash("a"),
            "'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"
        );
    }

    #[test]
    fn without_a_rendered_question_nothing_is_inlined() {
        let mut point = info("express");
        point
            .questionnaire
            .questions
            .retain(|q| q.kind == QuestionKind::Text);
        let page = render(SHELL, None, Some(CSS), &point).expect("marks present");
        assert!(page.csp.is_none());
        assert!(!page.html.contains("<style"));
        assert!(page
            .html
            .contains("<link rel=\"stylesheet\" href=\"/app-1.css\">\n<!--otklik:head-->"));
    }
}
