//! The НОК page's strings: the figures of an institution (indicators 1.1–5.3, K1–K5, Sn) and
//! the expert checklist form. The form's heading, its checkboxes (the items' names, from the
//! methodology table) and «Сохранить чек-лист» are the contract's names (`contract.md` §7).

/// The НОК page's strings in one language; `{name}` placeholders are filled by
/// [`fill`](crate::i18n::fill).
#[derive(Debug)]
pub struct NokStrings {
    /// What the page is, under the org's name.
    pub subtitle: &'static str,
    /// Above one institution: the figures are per institution.
    pub pick_institution: &'static str,
    /// Above one institution, when the subtree has none.
    pub no_institutions: &'static str,
    /// An institution outside the НОК sectors.
    pub not_nok: &'static str,
    /// Caption of the indicators' table.
    pub indicators: &'static str,
    /// Column: the indicator.
    pub indicator: &'static str,
    /// Column: its value, 0–100 points.
    pub value: &'static str,
    /// Column: the answers it rests on.
    pub answers: &'static str,
    /// Column: the points it adds to its criterion (value × weight).
    pub points: &'static str,
    /// The answers cell of a checklist indicator.
    pub from_checklist: &'static str,
    /// Caption of the criteria's table.
    pub criteria: &'static str,
    /// Column: the criterion.
    pub criterion: &'static str,
    /// Column: the bootstrap 95 % interval.
    pub interval: &'static str,
    /// Which rule and methodology version produced the figures.
    pub produced_by: &'static str,
    /// The form's heading (contract name).
    pub form_title: &'static str,
    /// What the form does.
    pub form_hint: &'static str,
    /// The year field.
    pub year: &'static str,
    /// Indicator 1.1's counts, in the order stand present, stand required, site present,
    /// site required.
    pub counts: [&'static str; 4],
    /// The save button (contract name).
    pub save: &'static str,
    /// While saving.
    pub saving: &'static str,
    /// No checklist for the year yet.
    pub none_yet: &'static str,
    /// After saving, with the points it yields.
    pub saved: &'static str,
    /// A count field that is not a whole number ≥ 0.
    pub not_a_count: &'static str,
    /// 1.1: a required count of 0, or a present count above its required one.
    pub invalid_counts: &'static str,
    /// A year outside 2000–2100.
    pub bad_year: &'static str,
    /// The server knows no such item (`unknown_item`).
    pub unknown_item: &'static str,
    /// An item listed twice (`duplicate_item`).
    pub duplicate_item: &'static str,
    /// A list the methodology does not have (`unknown_indicator`).
    pub unknown_indicator: &'static str,
    /// The org takes no checklist (`invalid_org`: not an institution, no sector).
    pub invalid_org: &'static str,
    /// Any other refusal.
    pub not_saved: &'static str,
}

/// Russian, the contract's wording.
pub static RU: NokStrings = NokStrings {
    subtitle: "Независимая оценка качества условий оказания услуг",
    pick_institution: "Показатели НОК и чек-лист ведутся по учреждению. Выберите учреждение:",
    no_institutions: "В этой части структуры нет учреждений.",
    not_nok: "НОК проводится для организаций социального обслуживания, здравоохранения, образования и культуры; у этого учреждения другая сфера.",
    indicators: "Показатели НОК, {period}",
    indicator: "Показатель",
    value: "Значение, баллов",
    answers: "Ответов (n)",
    points: "Баллов в критерий",
    from_checklist: "чек-лист",
    criteria: "Критерии НОК",
    criterion: "Критерий",
    interval: "95 % интервал (бутстреп)",
    produced_by: "Рассчитано: {rule}, методика {version}.",
    form_title: "Чек-лист НОК",
    form_hint: "Экспертная проверка учреждения за год: отметьте, что есть в учреждении и на его сайте.",
    year: "Год",
    counts: [
        "Пунктов информации на стендах: размещено",
        "Пунктов информации на стендах: требуется",
        "Пунктов информации на сайте: размещено",
        "Пунктов информации на сайте: требуется",
    ],
    save: "Сохранить чек-лист",
    saving: "Сохраняем…",
    none_yet: "За {year} год чек-лист ещё не вводился.",
    saved: "Чек-лист за {year} год сохранён. Баллы: {points}.",
    not_a_count: "«{field}»: введите целое число, не меньше нуля.",
    invalid_counts: "Показатель 1.1: требуемое число пунктов должно быть больше нуля, а размещённое — не больше требуемого.",
    bad_year: "Год — число от 2000 до 2100.",
    unknown_item: "Показатель {indicator}: пункта «{item}» нет в перечне для сферы учреждения.",
    duplicate_item: "Показатель {indicator}: пункт «{item}» отмечен дважды.",
    unknown_indicator: "Показателя {indicator} нет среди показателей чек-листа.",
    invalid_org: "Чек-лист вводится для учреждения с указанной сферой.",
    not_saved: "Чек-лист не сохранён: {reason}",
};

/// English.
pub static EN: NokStrings = NokStrings {
    subtitle: "Independent assessment of the quality of service conditions",
    pick_institution: "НОК figures and checklists are per institution. Choose an institution:",
    no_institutions: "There are no institutions in this part of the structure.",
    not_nok: "НОК covers social services, health care, education and culture; this institution is in another sector.",
    indicators: "НОК indicators, {period}",
    indicator: "Indicator",
    value: "Value, points",
    answers: "Answers (n)",
    points: "Points to its criterion",
    from_checklist: "checklist",
    criteria: "НОК criteria",
    criterion: "Criterion",
    interval: "95 % interval (bootstrap)",
    produced_by: "Computed with: {rule}, methodology {version}.",
    form_title: "НОК checklist",
    form_hint: "The expert check of the institution for a year: tick what the institution and its website have.",
    year: "Year",
    counts: [
        "Information items on stands: present",
        "Information items on stands: required",
        "Information items on the website: present",
        "Information items on the website: required",
    ],
    save: "Save checklist",
    saving: "Saving…",
    none_yet: "No checklist has been entered for {year} yet.",
    saved: "The checklist for {year} is saved. Points: {points}.",
    not_a_count: "«{field}»: enter a whole number, zero or more.",
    invalid_counts: "Indicator 1.1: required counts must be above zero and present ones not above them.",
    bad_year: "The year is a number from 2000 to 2100.",
    unknown_item: "Indicator {indicator}: «{item}» is not on the list for the institution's sector.",
    duplicate_item: "Indicator {indicator}: «{item}» is ticked twice.",
    unknown_indicator: "Indicator {indicator} is not a checklist indicator.",
    invalid_org: "Checklists are entered for institutions with a sector.",
    not_saved: "The checklist is not saved: {reason}",
};
