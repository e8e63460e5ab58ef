//! «Данные НСИ»'s strings: the target, baseline and time-measurement forms, their version
//! histories, and what a refusal means, field by field.

/// «Данные НСИ»'s strings in one language.
#[derive(Debug)]
pub struct NsiDataStrings {
    /// What the page is, under the org's name.
    pub subtitle: &'static str,
    /// No life situation chosen yet.
    pub pick_situation: &'static str,
    /// The target form's heading.
    pub target_title: &'static str,
    /// The baseline form's heading.
    pub baseline_title: &'static str,
    /// The measurement form's heading.
    pub measurement_title: &'static str,
    /// Caption of the targets' versions.
    pub targets_history: &'static str,
    /// Caption of the baselines' versions.
    pub baselines_history: &'static str,
    /// Field: the KPI.
    pub kpi: &'static str,
    /// Field: the value.
    pub value: &'static str,
    /// Field: the unit of a duration.
    pub unit: &'static str,
    /// Field: the method.
    pub method: &'static str,
    /// Field: the source.
    pub source: &'static str,
    /// Field: who approved the target.
    pub approved_by: &'static str,
    /// Field: when.
    pub approved_at: &'static str,
    /// Field: the baseline's period.
    pub period: &'static str,
    /// The period's forms.
    pub period_hint: &'static str,
    /// Field: the institution measured.
    pub institution: &'static str,
    /// Field: the stage.
    pub stage: &'static str,
    /// The stage option for the whole process.
    pub no_stage: &'static str,
    /// Field: the date measured.
    pub measured_at: &'static str,
    /// The gap25 proposal, `{value}`, `{baseline}`, `{benchmark}`.
    pub proposal: &'static str,
    /// No proposal for time.
    pub no_proposal_time: &'static str,
    /// No proposal without a baseline.
    pub no_baseline: &'static str,
    /// The button that puts the proposal in the value field.
    pub use_proposal: &'static str,
    /// Save buttons: target, baseline, measurement.
    pub save: [&'static str; 3],
    /// While saving.
    pub saving: &'static str,
    /// Saved: target, baseline, measurement.
    pub saved: [&'static str; 3],
    /// Column: the version.
    pub version: &'static str,
    /// Column: who entered it and when.
    pub entered: &'static str,
    /// A value that is not a number.
    pub not_a_number: &'static str,
    /// Out of range: share satisfied, NPS, time.
    pub bad_value: [&'static str; 3],
    /// Refusals by field.
    pub bad_year: &'static str,
    /// An empty source.
    pub bad_source: &'static str,
    /// An empty approver.
    pub bad_approved_by: &'static str,
    /// A missing approval date.
    pub bad_approved_at: &'static str,
    /// A malformed period.
    pub bad_period: &'static str,
    /// An unknown stage.
    pub bad_stage: &'static str,
    /// A date in the future or before 2000.
    pub bad_measured_at: &'static str,
    /// Not an institution.
    pub bad_org: &'static str,
    /// Any other refusal, `{reason}`.
    pub not_saved: &'static str,
    /// No institution to measure.
    pub no_institutions: &'static str,
}

/// Russian.
pub static RU: NsiDataStrings = NsiDataStrings {
    subtitle: "Данные НСИ: утверждённые цели, базовые значения и замеры времени",
    pick_situation: "Выберите жизненную ситуацию.",
    target_title: "Утверждённая цель",
    baseline_title: "Базовое значение",
    measurement_title: "Замер времени",
    targets_history: "История целей",
    baselines_history: "История базовых значений",
    kpi: "Показатель",
    value: "Значение",
    unit: "Единица времени",
    method: "Метод",
    source: "Источник",
    approved_by: "Кем утверждено",
    approved_at: "Дата утверждения",
    period: "Период измерения",
    period_hint: "Год (2025), квартал (2025Q4) или месяц (2025-11).",
    institution: "Учреждение",
    stage: "Этап",
    no_stage: "весь процесс",
    measured_at: "Дата замера",
    proposal: "Предложение по методу gap25: {value} (база {baseline} + 25 % разрыва до ориентира {benchmark}). Сохраняется то, что введено в поле «Значение».",
    no_proposal_time: "Для времени предложения gap25 нет: у длительности нет ориентира.",
    no_baseline: "Базового значения нет — предложение gap25 не рассчитать.",
    use_proposal: "Подставить предложение",
    save: [
        "Сохранить цель",
        "Сохранить базовое значение",
        "Добавить замер",
    ],
    saving: "Сохраняем…",
    saved: [
        "Цель сохранена: новая версия — в истории целей.",
        "Базовое значение сохранено: новая версия — в истории.",
        "Замер сохранён.",
    ],
    version: "Версия",
    entered: "Внесено",
    not_a_number: "«Значение»: введите число, например 57,5.",
    bad_value: [
        "«Значение»: доля удовлетворённых — от 0 до 100.",
        "«Значение»: NPS — от −100 до 100.",
        "«Значение»: время — больше нуля и не больше десяти лет.",
    ],
    bad_year: "«Год»: число от 2000 до 2100.",
    bad_source: "Укажите источник.",
    bad_approved_by: "Укажите, кем утверждена цель.",
    bad_approved_at: "Укажите дату утверждения.",
    bad_period: "«Период измерения»: год (2025), квартал (2025Q4) или месяц (2025-11).",
    bad_stage: "Такого этапа у жизненной ситуации нет.",
    bad_measured_at: "«Дата замера»: не позже сегодняшнего дня и не раньше 2000 года.",
    bad_org: "Время замеряется по учреждению: выберите учреждение.",
    not_saved: "Не сохранено: {reason}",
    no_institutions: "В этой части структуры нет учреждений для замеров.",
};

/// English.
pub static EN: NsiDataStrings = NsiDataStrings {
    subtitle: "НСИ data: approved targets, baselines and process-time measurements",
    pick_situation: "Choose a life situation.",
    target_title: "Approved target",
    baseline_title: "Baseline",
    measurement_title: "Time measurement",
    targets_history: "Targets' history",
    baselines_history: "Baselines' history",
    kpi: "Indicator",
    value: "Value",
    unit: "Unit of time",
    method: "Method",
    source: "Source",
    approved_by: "Approved by",
    approved_at: "Approval date",
    period: "Period measured",
    period_hint: "A year (2025), a quarter (2025Q4) or a month (2025-11).",
    institution: "Institution",
    stage: "Stage",
    no_stage: "the whole process",
    measured_at: "Date measured",
    proposal: "The gap25 proposal: {value} (baseline {baseline} + 25 % of the gap to the benchmark {benchmark}). What is saved is what the «Value» field holds.",
    no_proposal_time: "No gap25 proposal for time: a duration has no benchmark.",
    no_baseline: "No baseline: the gap25 proposal cannot be computed.",
    use_proposal: "Use the proposal",
    save: ["Save target", "Save baseline", "Add measurement"],
    saving: "Saving…",
    saved: [
        "The target is saved: its new version is in the history.",
        "The baseline is saved: its new version is in the history.",
        "The measurement is saved.",
    ],
    version: "Version",
    entered: "Entered",
    not_a_number: "«Value»: enter a number such as 57.5.",
    bad_value: [
        "«Value»: a share satisfied is 0 to 100.",
        "«Value»: an NPS is −100 to 100.",
        "«Value»: a time is above zero and at most ten years.",
    ],
    bad_year: "«Year»: a number from 2000 to 2100.",
    bad_source: "Enter the source.",
    bad_approved_by: "Enter who approved the target.",
    bad_approved_at: "Enter the approval date.",
    bad_period: "«Period measured»: a year (2025), a quarter (2025Q4) or a month (2025-11).",
    bad_stage: "The life situation has no such stage.",
    bad_measured_at: "«Date measured»: not after today and not before 2000.",
    bad_org: "Time is measured per institution: choose an institution.",
    not_saved: "Not saved: {reason}",
    no_institutions: "There are no institutions to measure in this part of the structure.",
};
