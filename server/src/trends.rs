//! `GET /api/v1/trends`: one question's headline figure per month, quarter or year, from the
//! org's subtree rollups (one row per period, however large the subtree). Rollups are keyed by
//! each institution's local date, so the periods are already in each institution's own time
//! zone; quarters are summed from months.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use otklik_shared::api::{TrendPeriod, TrendsReply};
use otklik_shared::questionnaire::Question;
use otklik_shared::rollup::{question_stats, Counts};
use serde::Deserialize;

use crate::auth::Caller;
use crate::service_error::{ServiceError, ServiceResult};
use crate::stats::{day_range, readable_org, StatsDeps};

/// Query parameters of `/trends`.
#[derive(Debug, Clone, Deserialize)]
pub struct TrendsQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Question id (likert4, nps or yes/no).
    pub question: String,
    /// `month`, `quarter` or `year`.
    pub grain: String,
    /// First day: the trend starts with the period holding it.
    pub from: Option<String>,
    /// Last day: the trend ends with the period holding it.
    pub to: Option<String>,
}

/// The longest trend, in months: a century of months is 1,200 periods, far more than any
/// chart shows, and a bound on the reply however wide the dates.
const MAX_MONTHS: i32 = 1_200;

/// A calendar period length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    Month,
    Quarter,
    Year,
}

impl Grain {
    fn parse(value: &str) -> ServiceResult<Self> {
        match value {
            "month" => Ok(Self::Month),
            "quarter" => Ok(Self::Quarter),
            "year" => Ok(Self::Year),
            other => Err(ServiceError::invalid_field(
                "invalid_grain",
                "grain",
                format!("grain must be month, quarter or year, got {other:?}"),
            )),
        }
    }

    /// The rollup grain the periods are summed from.
    fn rollup(self) -> &'static str {
        match self {
            Self::Month | Self::Quarter => "month",
            Self::Year => "year",
        }
    }

    /// The first day of the period holding `d`.
    fn start(self, d: NaiveDate) -> NaiveDate {
        let month = match self {
            Self::Month => d.month(),
            Self::Quarter => (d.month() - 1) / 3 * 3 + 1,
            Self::Year => 1,
        };
        NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
    }

    /// The first day of the next period.
    fn next(self, start: NaiveDate) -> NaiveDate {
        let months = match self {
            Self::Month => 1,
            Self::Quarter => 3,
            Self::Year => 12,
        };
        start
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(NaiveDate::MAX)
    }

    /// `2026-03`, `2026Q1` or `2026`.
    fn label(self, start: NaiveDate) -> String {
        match self {
            Self::Month => start.format("%Y-%m").to_string(),
            Self::Quarter => format!("{}Q{}", start.year(), (start.month() - 1) / 3 + 1),
            Self::Year => start.year().to_string(),
        }
    }
}

/// The question of a published questionnaire (all versions pooled), if it has a headline
/// figure.
pub(crate) async fn headline_question(
    deps: StatsDeps<'_>,
    questionnaire: &str,
    question: &str,
) -> ServiceResult<Question> {
    deps.catalog
        .get(deps.db, questionnaire, None)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(
                "unknown_questionnaire",
                format!("no questionnaire {questionnaire}"),
            )
        })?;
    let q = deps
        .catalog
        .pooled_questions(questionnaire)
        .into_iter()
        .find(|q| q.id == question)
        .ok_or_else(|| {
            ServiceError::invalid_field(
                "unknown_question",
                "question",
                format!("{questionnaire} has no question {question:?}"),
            )
        })?;
    if question_stats(&q, &Counts::default(), 0)
        .headline()
        .is_none()
    {
        return Err(ServiceError::invalid_field(
            "invalid_question",
            "question",
            format!("{question} has no headline figure (likert4, nps or yes/no only)"),
        ));
    }
    Ok(q)
}

/// Computes the trend after checking the caller may read it.
///
/// # Errors
/// Bad dates (400), denied role or scope (403), unknown org or questionnaire (404), unknown
/// question, a question without a headline figure or a bad grain (422), internal on a
/// database failure.
#[tracing::instrument(skip_all, fields(org = %q.org, questionnaire = %q.questionnaire))]
pub async fn compute(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &TrendsQuery,
) -> ServiceResult<TrendsReply> {
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let org = readable_org(deps, caller, &q.org).await?;
    let grain = Grain::parse(&q.grain)?;
    let question = headline_question(deps, &q.questionnaire, &q.question).await?;
    // Whole periods: from the start of the one holding `from` to the end of the one holding
    // `to` (a quarter's last months are read even when `to` is in its first).
    let rows = deps
        .db
        .subtree_by_period(
            org.id,
            &q.questionnaire,
            &question.id,
            grain.rollup(),
            (
                from.map(|d| grain.start(d)),
                to.and_then(|d| grain.next(grain.start(d)).pred_opt()),
            ),
        )
        .await?;
    let mut by_period: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
    for (period, values) in &rows {
        let counts = by_period.entry(grain.start(*period)).or_default();
        for (key, n) in values {
            counts.add(&question.id, key, *n);
        }
    }
    let first = from
        .map(|d| grain.start(d))
        .or_else(|| by_period.keys().next().copied());
    let last = to
        .map(|d| grain.start(d))
        .or_else(|| by_period.keys().next_back().copied());
    let mut periods = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let months = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32;
        if months > MAX_MONTHS {
            return Err(ServiceError::invalid_field(
                "invalid_range",
                "from",
                "a trend spans at most 100 years",
            ));
        }
        let mut start = first;
        while start <= last {
            let counts = by_period.remove(&start).unwrap_or_default();
            let figure = question_stats(&question, &counts, deps.min_n).headline();
            periods.push(TrendPeriod {
                period: grain.label(start),
                n: figure.map_or(0, |h| h.n),
                value: figure.and_then(|h| h.value),
                ci95: figure.and_then(|h| h.ci95),
                low_n: figure.is_none_or(|h| h.low_n),
            });
            start = grain.next(start);
        }
    }
    Ok(TrendsReply {
        org: org.code,
        questionnaire: q.questionnaire.clone(),
        question: question.id,
        grain: q.grain.clone(),
        periods,
    })
}
