//! The НОК page («Чек-лист НОК») of an institution for the selected quarter: from `/stats` of
//! the institution's НОК questionnaire, Sn with its bootstrap interval, the indicators 1.1–5.3
//! with their value, n and the points they add to their criterion, K1–K5 with their intervals,
//! and the rule and methodology version that produced them; then, for the roles that enter
//! checklists, the checklist [`form`]. Above one institution it lists the institutions below as
//! links, since НОК figures and checklists are per institution.

mod checklist;
mod form;

use leptos::prelude::*;
use otklik_shared::access::{allows, Action};
use otklik_shared::api::{NokStats, StatsReply};
use otklik_shared::org::{OrgKind, Sector};

use super::client;
use super::client::nok::Table;
use super::period::Quarter;
use super::period_select::PeriodSelect;
use super::sections::Section;
use super::session::use_session;
use super::workspace::{failure, table_head, SectionContext};
use crate::browser;
use crate::i18n::{fill, use_i18n};
use crate::numbers::{count, interval, shown};
use form::ChecklistForm;

/// The НОК questionnaire of an institution of `sector`; `None` outside the НОК sectors.
fn questionnaire_of(sector: Sector) -> Option<&'static str> {
    match sector {
        Sector::Social => Some("nok-social"),
        Sector::Health => Some("nok-health"),
        Sector::Education => Some("nok-education"),
        Sector::Culture => Some("nok-culture"),
        _ => None,
    }
}

/// The weight of indicator `code` in its criterion (0 when no criterion uses it).
fn weight(m: &Table, code: &str) -> f64 {
    m.criteria
        .iter()
        .find_map(|c| c.weights.get(code).copied())
        .unwrap_or(0.0)
}

/// Indicator 1.1 (the stands-and-site counts) as the form's legend names it.
fn stand_site_name(m: &Table) -> String {
    m.indicators
        .iter()
        .find(|i| i.source == "stand_site")
        .map(|i| format!("{} {}", i.code, i.name))
        .unwrap_or_default()
}

/// The page.
#[component]
pub fn NokPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let this_quarter = Quarter::containing(browser::now_local().date_naive());
    let view_state = ctx.view_state;
    let quarter = Memo::new(move |_| view_state.with(|v| v.period).unwrap_or(this_quarter));
    let org = ctx.titled_org(Section::Nok);
    // Bumped after a checklist is saved, so the figures are read again.
    let reload = RwSignal::new(0u32);
    let token = ctx.session.token.clone();
    let methodology = LocalResource::new({
        let token = token.clone();
        move || {
            let token = token.clone();
            async move { client::nok::methodology(&token).await }
        }
    });
    let target = Memo::new(move |_| {
        let org = org.get()?;
        let id = questionnaire_of(org.sector?)?;
        (org.kind == OrgKind::Institution).then_some((org.code, id))
    });
    let stats = LocalResource::new({
        let token = token.clone();
        move || {
            let token = token.clone();
            let (target, period) = (target.get(), quarter.get());
            reload.track();
            async move {
                match target {
                    Some((code, id)) => client::stats(&token, &code, id, period).await.map(Some),
                    None => Ok(None),
                }
            }
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = stats.get() {
            client::expire_if_refused(&e, context);
        }
        if let Some(Err(e)) = methodology.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let enters_checklists = allows(ctx.session.role, Action::EnterChecklists);
    let tree = ctx.tree.clone();

    let body = move || {
        let Some(org) = org.get() else {
            return view! { <p class="error" role="alert">{t().unknown_org}</p> }.into_any();
        };
        if org.kind != OrgKind::Institution {
            let links = tree
                .institutions_under(&org.code)
                .into_iter()
                .map(|o| {
                    let href = view_state.with(|v| v.with_org(&o.code).href());
                    view! { <li><a href=href>{o.name.clone()}</a></li> }
                })
                .collect::<Vec<_>>();
            return if links.is_empty() {
                view! { <p class="notice">{t().nok.no_institutions}</p> }.into_any()
            } else {
                view! {
                    <p>{t().nok.pick_institution}</p>
                    <ul class="nok-institutions">{links}</ul>
                }
                .into_any()
            };
        }
        let Some(sector) = org.sector.filter(|s| questionnaire_of(*s).is_some()) else {
            return view! { <p class="notice">{t().nok.not_nok}</p> }.into_any();
        };
        let figures = move || match (stats.get(), methodology.get()) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => failure(e),
            (Some(Ok(Some(reply))), Some(Ok(m))) => {
                view! { <NokFigures reply=reply methodology=m quarter=quarter.get_untracked() /> }
                    .into_any()
            }
            (Some(Ok(None)), _) => ().into_any(),
            _ => view! { <p class="notice">{t().loading}</p> }.into_any(),
        };
        let form = enters_checklists.then(|| {
            let token = token.clone();
            let code = org.code.clone();
            move || match methodology.get() {
                Some(Ok(m)) => view! {
                    <ChecklistForm
                        token=token.clone()
                        org=code.clone()
                        lists=checklist::item_lists(&m, sector)
                        counts_legend=stand_site_name(&m)
                        year=quarter.get().days().1[..4].parse().unwrap_or_default()
                        reload=reload
                    />
                }
                .into_any(),
                _ => ().into_any(),
            }
        });
        view! { {figures} {form} }.into_any()
    };

    view! {
        <section class="nok" aria-labelledby="nok-title">
            <h1 id="nok-title">{move || org.get().map(|o| o.name)}</h1>
            <p class="org-kind">{move || t().nok.subtitle}</p>
            <div class="filters">
                <PeriodSelect view_state=view_state this_quarter=this_quarter />
            </div>
            {body}
        </section>
    }
}

/// Sn, the indicators and the criteria of one `/stats` reply.
#[component]
fn NokFigures(reply: StatsReply, methodology: Table, quarter: Quarter) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let lang = i18n.lang();
    let Some(nok) = reply.nok else {
        return view! { <p class="notice">{t().no_data}</p> }.into_any();
    };
    let m = methodology;
    let NokStats {
        indicators,
        criteria,
        total,
        n,
        indicator_n,
        low_n,
        rule,
        ci95,
        methodology: version,
        ..
    } = nok;
    let ci = |key: &str| ci95.as_ref().and_then(|c| c.get(key).copied().flatten());
    let total_ci = ci("total");
    let rule_label = m
        .options
        .empty
        .iter()
        .find(|o| o.id == rule.empty())
        .map_or_else(|| rule.as_str().to_owned(), |o| o.label.clone());
    let indicator_rows = m
        .indicators
        .iter()
        .map(|ind| {
            let value = indicators.get(&ind.code).copied().flatten();
            let answers = if ind.source == "survey" {
                count(lang, indicator_n.get(&ind.code).copied().unwrap_or(0))
            } else {
                t().nok.from_checklist.to_owned()
            };
            let points = value.map(|v| v * weight(&m, &ind.code));
            view! {
                <tr>
                    <th scope="row">{format!("{} {}", ind.code, ind.name)}</th>
                    <td>{shown(lang, value)}</td>
                    <td>{answers}</td>
                    <td>{shown(lang, points)}</td>
                </tr>
            }
        })
        .collect_view();
    let criterion_rows = m
        .criteria
        .iter()
        .map(|c| {
            let value = criteria.get(&c.code).copied().flatten();
            view! {
                <tr>
                    <th scope="row">{format!("{} {}", c.code, c.name)}</th>
                    <td>{shown(lang, value)}</td>
                    <td>{interval(lang, ci(&c.code))}</td>
                </tr>
            }
        })
        .collect_view();
    let nt = t().nok;
    view! {
        <section class="card nok-total" class:low-n=low_n aria-labelledby="nok-total" tabindex="0">
            <h2 id="nok-total">{t().card_nok}</h2>
            <p class="value">{if total.is_some() { shown(lang, total) } else { t().no_data.to_owned() }}</p>
            {low_n.then(|| view! { <p class="low-n-note"><strong>{t().low_n}</strong></p> })}
            <p class="n">{fill(t().n, &[("n", &count(lang, n))])}</p>
            {total_ci.map(|[lo, hi]| view! {
                <p class="interval">
                    {fill(t().interval, &[("lo", &shown(lang, Some(lo))), ("hi", &shown(lang, Some(hi)))])}
                </p>
            })}
        </section>
        <p class="hint">{fill(nt.produced_by, &[("rule", &rule_label), ("version", &version)])}</p>
        <table class="nok-table">
            <caption>{fill(nt.indicators, &[("period", &quarter.label(t()))])}</caption>
            {table_head(&[nt.indicator, nt.value, nt.answers, nt.points])}
            <tbody>{indicator_rows}</tbody>
        </table>
        <table class="nok-table">
            <caption>{nt.criteria}</caption>
            {table_head(&[nt.criterion, nt.value, nt.interval])}
            <tbody>{criterion_rows}</tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nok_sectors_have_their_questionnaire_and_weights_come_from_the_table() {
        assert_eq!(questionnaire_of(Sector::Health), Some("nok-health"));
        assert_eq!(questionnaire_of(Sector::Employment), None);
        let m = checklist::tests::methodology();
        assert!((weight(&m, "1.3") - 0.4).abs() < 1e-12);
        assert!((weight(&m, "5.3") - 0.5).abs() < 1e-12);
        assert_eq!(weight(&m, "9.9"), 0.0);
    }
}
