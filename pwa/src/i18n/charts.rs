//! The dashboard charts' strings (dashboard bundle only), per language, reached through
//! [`Strings::charts`](super::Strings). The Russian «Таблица» is a contract name (§7).

/// The charts' strings in one language. Templates use `{name}` placeholders, filled by
/// [`fill`](super::fill).
#[derive(Debug)]
pub struct ChartStrings {
    /// The button that shows a chart's table (contract name).
    pub table: &'static str,
    /// A quarter on an axis, `{year}`, `{q}` (Roman numeral), `{n}` (digit).
    pub quarter_short: &'static str,
    /// A quarter in a table, as the period picker names it.
    pub quarter_long: &'static str,
    /// Months on an axis, January first.
    pub months_short: [&'static str; 12],
    /// Months in a table.
    pub months_long: [&'static str; 12],
    /// Column: the period.
    pub period: &'static str,
    /// Column: answers.
    pub answers: &'static str,
    /// Column: the 95 % interval.
    pub interval: &'static str,
    /// Column: remarks («мало ответов»).
    pub note: &'static str,
    /// Below the minimum n (the cards' wording).
    pub low_n: &'static str,
    /// A period without answers.
    pub no_answers: &'static str,
    /// Legend and summary: the band is the 95 % interval.
    pub band: &'static str,
    /// Trend summary: the last period with a value, `{period}`, `{value}`, `{ci}`, `{n}`.
    pub trend_last: &'static str,
    /// Trend summary: the range, `{min}`, `{min_period}`, `{max}`, `{max_period}`.
    pub trend_range: &'static str,
    /// Trend summary: periods without answers, `{n}`.
    pub trend_gaps: &'static str,
    /// Trend summary: periods under the minimum n, `{n}`.
    pub trend_low: &'static str,
    /// No figure in any period.
    pub no_data: &'static str,
    /// The headline figure of a 4-point question, as a column and an axis name.
    pub satisfied: &'static str,
    /// The headline figure of an NPS question.
    pub nps: &'static str,
    /// The headline figure of a yes/no question.
    pub yes_share: &'static str,
    /// Column: the question.
    pub question: &'static str,
    /// Column suffix for a share: «Да, %».
    pub share_suffix: &'static str,
    /// Column suffix for a count: «Да, n».
    pub count_suffix: &'static str,
    /// 4-point summary per question, `{question}`, `{value}`, `{ci}`, `{n}`.
    pub likert_line: &'static str,
    /// 4-point summary of a question without answers, `{question}`.
    pub likert_empty: &'static str,
    /// NPS groups, detractors first.
    pub nps_groups: [&'static str; 3],
    /// Column: the scores.
    pub scores: &'static str,
    /// Column: the NPS group.
    pub group: &'static str,
    /// Column: the share.
    pub share: &'static str,
    /// The total row.
    pub total: &'static str,
    /// NPS summary, `{value}`, `{ci}`, `{n}`, `{promoters}`, `{passives}`, `{detractors}`.
    pub nps_line: &'static str,
    /// NPS table caption, `{title}`, `{value}`, `{ci}`, `{n}`.
    pub nps_caption: &'static str,
    /// The x axis of the NPS distribution.
    pub score_axis: &'static str,
}

/// Russian.
pub static RU: ChartStrings = ChartStrings {
    table: "Таблица",
    quarter_short: "{year} — {q} кв.",
    quarter_long: "{year} — {q} квартал",
    months_short: [
        "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
    ],
    months_long: [
        "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
        "октябрь", "ноябрь", "декабрь",
    ],
    period: "Период",
    answers: "Ответов (n)",
    interval: "95 % интервал",
    note: "Примечание",
    low_n: "мало ответов",
    no_answers: "нет ответов",
    band: "полоса — 95 % доверительный интервал",
    trend_last: "{period}: {value}, 95 % интервал {ci}, n = {n}.",
    trend_range: "Наименьшее значение {min} ({min_period}), наибольшее {max} ({max_period}).",
    trend_gaps: "Периодов без ответов: {n}.",
    trend_low: "Периодов с малым числом ответов: {n}.",
    no_data: "Нет ответов за эти периоды.",
    satisfied: "Доля удовлетворённых, %",
    nps: "NPS",
    yes_share: "Доля ответов «Да», %",
    question: "Вопрос",
    share_suffix: ", %",
    count_suffix: ", n",
    likert_line: "{question} — «Да» и «Скорее да» {value}, 95 % интервал {ci}, n = {n}.",
    likert_empty: "{question} — нет ответов.",
    nps_groups: ["Критики", "Нейтральные", "Сторонники"],
    scores: "Оценки",
    group: "Группа",
    share: "Доля, %",
    total: "Всего",
    nps_line: "NPS {value}, 95 % интервал {ci}, n = {n}: сторонники {promoters}, нейтральные {passives}, критики {detractors}.",
    nps_caption: "{title}: NPS {value}, 95 % интервал {ci}, n = {n}",
    score_axis: "Оценка",
};

/// English.
pub static EN: ChartStrings = ChartStrings {
    table: "Table",
    quarter_short: "Q{n} {year}",
    quarter_long: "Q{n} {year}",
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    months_long: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    period: "Period",
    answers: "Answers (n)",
    interval: "95% interval",
    note: "Note",
    low_n: "few answers",
    no_answers: "no answers",
    band: "band: 95% confidence interval",
    trend_last: "{period}: {value}, 95% interval {ci}, n = {n}.",
    trend_range: "Lowest {min} ({min_period}), highest {max} ({max_period}).",
    trend_gaps: "Periods without answers: {n}.",
    trend_low: "Periods with few answers: {n}.",
    no_data: "No answers in these periods.",
    satisfied: "Share satisfied, %",
    nps: "NPS",
    yes_share: "Share of «Yes», %",
    question: "Question",
    share_suffix: ", %",
    count_suffix: ", n",
    likert_line: "{question} — «Yes» and «Rather yes» {value}, 95% interval {ci}, n = {n}.",
    likert_empty: "{question} — no answers.",
    nps_groups: ["Detractors", "Passives", "Promoters"],
    scores: "Scores",
    group: "Group",
    share: "Share, %",
    total: "Total",
    nps_line: "NPS {value}, 95% interval {ci}, n = {n}: promoters {promoters}, passives {passives}, detractors {detractors}.",
    nps_caption: "{title}: NPS {value}, 95% interval {ci}, n = {n}",
    score_axis: "Score",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_names_are_kept() {
        assert_eq!(RU.table, "Таблица");
        assert_eq!(RU.low_n, "мало ответов");
    }

    #[test]
    fn templates_fill_in_both_languages() {
        for t in [&RU, &EN] {
            for template in [t.quarter_short, t.quarter_long] {
                assert!(template.contains("{year}"), "{template}");
                assert!(
                    template.contains("{q}") || template.contains("{n}"),
                    "{template}"
                );
            }
            assert!(t.nps_line.contains("{promoters}") && t.nps_line.contains("{detractors}"));
            assert!(t.trend_last.contains("{ci}") && t.likert_line.contains("{ci}"));
        }
    }
}
