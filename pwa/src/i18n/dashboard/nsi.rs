//! The «НСИ» page's strings: a life situation's quarterly report (captions start with
//! «Показатели НСИ»), «Проблемные этапы» and the region-wide «Сводка НСИ».

/// The НСИ page's strings in one language; `{name}` placeholders are filled by
/// [`fill`](crate::i18n::fill).
#[derive(Debug)]
pub struct NsiStrings {
    /// What the page is, under the org's name.
    pub subtitle: &'static str,
    /// The life-situation option that shows the summary of every situation.
    pub all_situations: &'static str,
    /// Caption of the summary, `{org}` and `{year}`.
    pub summary_caption: &'static str,
    /// Caption of the baseline/target/benchmark table, `{situation}` and `{year}`.
    pub reference_caption: &'static str,
    /// Caption of a KPI's quarters, `{kpi}` and `{year}`.
    pub quarters_caption: &'static str,
    /// Caption of the institutions' table, `{quarter}`.
    pub institutions_caption: &'static str,
    /// Caption of the urban/rural table, `{quarter}`.
    pub settlement_caption: &'static str,
    /// Column: the life situation.
    pub situation: &'static str,
    /// Column: the KPI.
    pub kpi: &'static str,
    /// Column: the quarter.
    pub quarter: &'static str,
    /// Column: answers.
    pub answers: &'static str,
    /// Column: the value.
    pub value: &'static str,
    /// Column: the 95 % interval.
    pub interval: &'static str,
    /// Column: the baseline.
    pub baseline: &'static str,
    /// Column: the approved target.
    pub target: &'static str,
    /// Column: the long-term benchmark.
    pub benchmark: &'static str,
    /// Column: the latest quarter's value.
    pub latest: &'static str,
    /// Column: achieved or not.
    pub result: &'static str,
    /// Column: improvement measures of the quarter.
    pub measures: &'static str,
    /// Column: process-time measurements.
    pub measurements: &'static str,
    /// Column: their median.
    pub median: &'static str,
    /// Column: the worst (the KPI's value).
    pub worst: &'static str,
    /// Column: the warning.
    pub warning: &'static str,
    /// Caption of the time respondents reported, `{unit}` and `{year}`.
    pub reported_caption: &'static str,
    /// Column: the longest reported time.
    pub longest: &'static str,
    /// Column: the institution.
    pub institution: &'static str,
    /// Column: urban or rural.
    pub settlement: &'static str,
    /// Column: the stage.
    pub stage: &'static str,
    /// Achieved, not achieved, no target, no data.
    pub verdicts: [&'static str; 4],
    /// Urban, rural.
    pub settlements: [&'static str; 2],
    /// The warning of a quarter with an institution under ten measurements.
    pub few_measurements: &'static str,
    /// Which institutions, `{list}` of «{org} — {n}».
    pub few_at: &'static str,
    /// A baseline's period and source, `{period}`, `{source}`.
    pub baseline_detail: &'static str,
    /// A target's method, approver and date, `{method}`, `{by}`, `{date}`.
    pub target_detail: &'static str,
    /// Time has no benchmark in its unit.
    pub no_benchmark: &'static str,
    /// Which quarter the verdicts and breakdowns are of, `{quarter}`.
    pub latest_note: &'static str,
    /// The stage view's heading (and its table's caption start).
    pub stages: &'static str,
    /// The stage view's caption, `{year}`.
    pub stages_caption: &'static str,
    /// Column: negative answers.
    pub negative: &'static str,
    /// Column: their share.
    pub negative_pct: &'static str,
    /// Column: comments.
    pub comments: &'static str,
    /// The server has no stage view.
    pub stages_unavailable: &'static str,
    /// No answers at the situation's stages.
    pub no_stages: &'static str,
    /// The print button.
    pub print: &'static str,
    /// The link to «Данные НСИ».
    pub edit: &'static str,
    /// The downloads' and print's group.
    pub actions: &'static str,
}

/// Russian.
pub static RU: NsiStrings = NsiStrings {
    subtitle: "НСИ: жизненная ситуация по кварталам — база, цель, ориентир",
    all_situations: "Все ситуации — сводка",
    summary_caption: "Сводка НСИ — {org}, {year} год: последний квартал к цели",
    reference_caption: "Показатели НСИ — {situation}, {year} год: база, цель, ориентир",
    quarters_caption: "Показатели НСИ по кварталам {year} года: {kpi}",
    institutions_caption: "Показатели НСИ по учреждениям, {quarter}",
    settlement_caption: "Показатели НСИ: город и село, {quarter}",
    situation: "Жизненная ситуация",
    kpi: "Показатель",
    quarter: "Квартал",
    answers: "Ответов (n)",
    value: "Значение",
    interval: "95 % интервал",
    baseline: "Базовое значение",
    target: "Цель",
    benchmark: "Долгосрочный ориентир",
    latest: "Последний квартал",
    result: "Итог",
    measures: "Меры улучшения",
    measurements: "Замеров",
    median: "Медиана",
    worst: "Наихудшее (значение)",
    warning: "Предупреждение",
    reported_caption: "Время со слов граждан, {unit}, {year} год (отдельно от замеров, в итог \
                       не входит)",
    longest: "Наибольшее",
    institution: "Учреждение",
    settlement: "Местность",
    stage: "Этап",
    verdicts: ["достигнут", "не достигнут", "нет цели", "нет данных"],
    settlements: ["город", "село"],
    few_measurements: "менее 10 замеров",
    few_at: "менее 10 замеров: {list}",
    baseline_detail: "{period}; источник: {source}",
    target_detail: "{method}; утверждено: {by}, {date}",
    no_benchmark: "нет (длительность)",
    latest_note: "Итог и разбивка по учреждениям — за последний квартал с данными: {quarter}.",
    stages: "Проблемные этапы",
    stages_caption:
        "Проблемные этапы, {year} год: доля негативных ответов и замечания по видам потерь",
    negative: "Негативных",
    negative_pct: "Доля негативных, %",
    comments: "Комментариев",
    stages_unavailable: "Разбор по этапам на сервере пока недоступен.",
    no_stages: "По этапам этой ситуации ответов нет.",
    print: "Печать",
    edit: "Ввести цели, базовые значения и замеры",
    actions: "Отчёт",
};

/// English.
pub static EN: NsiStrings = NsiStrings {
    subtitle: "НСИ: a life situation by quarter — baseline, target, benchmark",
    all_situations: "All situations — summary",
    summary_caption: "НСИ summary — {org}, {year}: the latest quarter against the target",
    reference_caption: "НСИ figures — {situation}, {year}: baseline, target, benchmark",
    quarters_caption: "НСИ figures by quarter of {year}: {kpi}",
    institutions_caption: "НСИ figures by institution, {quarter}",
    settlement_caption: "НСИ figures: urban and rural, {quarter}",
    situation: "Life situation",
    kpi: "Indicator",
    quarter: "Quarter",
    answers: "Answers (n)",
    value: "Value",
    interval: "95 % interval",
    baseline: "Baseline",
    target: "Target",
    benchmark: "Long-term benchmark",
    latest: "Latest quarter",
    result: "Result",
    measures: "Improvements",
    measurements: "Measurements",
    median: "Median",
    worst: "Worst (the value)",
    warning: "Warning",
    reported_caption: "Time as respondents reported it, {unit}, {year} (apart from the \
                       measurements, not in the result)",
    longest: "Longest",
    institution: "Institution",
    settlement: "Settlement",
    stage: "Stage",
    verdicts: ["achieved", "not achieved", "no target", "no data"],
    settlements: ["urban", "rural"],
    few_measurements: "fewer than 10 measurements",
    few_at: "fewer than 10 measurements: {list}",
    baseline_detail: "{period}; source: {source}",
    target_detail: "{method}; approved by {by}, {date}",
    no_benchmark: "none (a duration)",
    latest_note: "The result and the breakdowns are of the latest quarter with data: {quarter}.",
    stages: "Problem stages",
    stages_caption: "Problem stages, {year}: share of negative answers and remarks by kind of loss",
    negative: "Negative",
    negative_pct: "Negative, %",
    comments: "Comments",
    stages_unavailable: "The server does not offer the stage view yet.",
    no_stages: "No answers at this situation's stages.",
    print: "Print",
    edit: "Enter targets, baselines and measurements",
    actions: "Report",
};
