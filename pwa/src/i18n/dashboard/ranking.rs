//! Strings of the «Рейтинг» section and of the exports of the current view (dashboard bundle
//! only), reached as `t.dashboard.ranking`. The contract's names (`contract.md` §7): the
//! ranking table's caption starts with «Рейтинг»; the downloads are «Скачать XLSX» and «Скачать
//! CSV».

/// The ranking's and the exports' strings in one language. Templates use `{name}`
/// placeholders, filled by [`fill`](crate::i18n::fill).
#[derive(Debug)]
pub struct RankingStrings {
    /// Heading of the section, `{org}`.
    pub heading: &'static str,
    /// The metric combobox.
    pub metric: &'static str,
    /// Metric names: share satisfied (4-point), share satisfied (yes/no), NPS, НОК total.
    pub metrics: [&'static str; 4],
    /// Caption of the ranked table (starts with the contract's «Рейтинг»), `{metric}`, `{org}`,
    /// `{period}`.
    pub caption: &'static str,
    /// Caption of the table of unranked institutions (contract text «мало ответов»; it must not
    /// start with «Рейтинг»: only the ranked table does).
    pub low_n_caption: &'static str,
    /// Column: place.
    pub rank: &'static str,
    /// Column: institution.
    pub institution: &'static str,
    /// Column: value.
    pub value: &'static str,
    /// Column: n.
    pub n: &'static str,
    /// Column: the interval, drawn and written.
    pub interval: &'static str,
    /// Column: tied group.
    pub group: &'static str,
    /// Said after the group number when the group has several members.
    pub tie: &'static str,
    /// Nothing to rank in the period.
    pub empty: &'static str,
    /// The ranking needs a questionnaire with a figure to rank.
    pub no_metric: &'static str,
    /// The group of export controls.
    pub exports: &'static str,
    /// Download button, XLSX (contract name).
    pub xlsx: &'static str,
    /// Download button, CSV (contract name).
    pub csv: &'static str,
    /// The checkbox for the `;` separator.
    pub semicolon: &'static str,
    /// While a file downloads.
    pub downloading: &'static str,
    /// A download failed, `{reason}`.
    pub download_failed: &'static str,
}

/// Russian, the contract's wording.
pub static RU: RankingStrings = RankingStrings {
    heading: "Рейтинг учреждений — {org}",
    metric: "Показатель",
    metrics: [
        "Доля удовлетворённых",
        "Доля удовлетворённых (да/нет)",
        "NPS",
        "Итоговый балл НОК",
    ],
    caption: "Рейтинг: {metric} — {org}, {period}",
    low_n_caption: "Не ранжируются: мало ответов",
    rank: "Место",
    institution: "Учреждение",
    value: "Значение",
    n: "n",
    interval: "95 % интервал",
    group: "Группа",
    tie: "не различаются статистически",
    empty: "За этот период учреждений с ответами нет.",
    no_metric: "В этой анкете нет показателя, по которому строится рейтинг.",
    exports: "Выгрузка",
    xlsx: "Скачать XLSX",
    csv: "Скачать CSV",
    semicolon: "Разделитель «;» (для Excel на русском)",
    downloading: "Файл готовится…",
    download_failed: "Не удалось скачать файл: {reason}. Попробуйте ещё раз.",
};

/// English.
pub static EN: RankingStrings = RankingStrings {
    heading: "Ranking of institutions — {org}",
    metric: "Figure",
    metrics: [
        "Share satisfied",
        "Share satisfied (yes/no)",
        "NPS",
        "НОК total score",
    ],
    caption: "Ranking: {metric} — {org}, {period}",
    low_n_caption: "Not ranked: too few answers",
    rank: "Place",
    institution: "Institution",
    value: "Value",
    n: "n",
    interval: "95 % interval",
    group: "Group",
    tie: "not statistically different",
    empty: "No institution has answers in this period.",
    no_metric: "This questionnaire has no figure to rank by.",
    exports: "Export",
    xlsx: "Download XLSX",
    csv: "Download CSV",
    semicolon: "Separator «;» (for Excel in Russian)",
    downloading: "Preparing the file…",
    download_failed: "Could not download the file: {reason}. Try again.",
};
