//! Strings of «Наблюдение», the expert walk-throughs' own page (dashboard bundle only),
//! reached as `t.dashboard.observation`.

/// The walk-throughs' page's strings in one language.
#[derive(Debug)]
pub struct ObservationStrings {
    /// The label that says whose figures these are, under the heading.
    pub apart: &'static str,
    /// What the figures are, and where citizens' are.
    pub intro: &'static str,
    /// Caption of the batch table.
    pub batches: &'static str,
    /// Columns: label, who, how many, first, last.
    pub columns: [&'static str; 5],
    /// A batch keyed in without a label.
    pub no_label: &'static str,
    /// Who recorded it, when the reader may not see it.
    pub hidden: &'static str,
    /// No walk-throughs in the period.
    pub none: &'static str,
}

/// Russian.
pub static RU: ObservationStrings = ObservationStrings {
    apart: "Контрольная закупка / наблюдение — не входит в оценки граждан",
    intro: "Анкеты, заполненные экспертами при обходе (канал «наблюдение»). Оценки граждан на «Обзоре» их не учитывают.",
    batches: "Пачки наблюдений",
    columns: ["Пачка", "Кто ввёл", "Анкет", "Первая", "Последняя"],
    no_label: "без названия",
    hidden: "—",
    none: "За этот период наблюдений нет.",
};

/// English.
pub static EN: ObservationStrings = ObservationStrings {
    apart: "Mystery shopping / observation — not part of citizens' scores",
    intro: "Questionnaires filled in by experts on walk-throughs (the observation channel). Citizens' figures in the Overview leave them out.",
    batches: "Observation batches",
    columns: ["Batch", "Entered by", "Forms", "First", "Last"],
    no_label: "unlabelled",
    hidden: "—",
    none: "No walk-throughs in this period.",
};
