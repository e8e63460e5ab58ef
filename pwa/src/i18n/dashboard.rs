//! The dashboard's interface strings (officials' bundles only; each section's table only in
//! the bundle that serves it), per language, reached through
//! [`Strings::dashboard`](super::Strings). The Russian names of controls and regions are the
//! contract's (`contract.md` §7): tests and screen readers find them by these names. A page
//! with many strings of its own keeps them in a submodule, reached by one field here.

#[cfg(feature = "nsi")]
pub mod comments;
#[cfg(feature = "desk")]
pub mod entry;
#[cfg(feature = "desk")]
mod fleet;
#[cfg(feature = "desk")]
pub mod manage;
#[cfg(feature = "dashboard")]
pub mod nok;
#[cfg(feature = "nsi")]
pub mod nsi;
#[cfg(feature = "nsi")]
pub mod nsi_data;
pub mod nsi_terms;
#[cfg(feature = "dashboard")]
pub mod observation;
#[cfg(any(feature = "dashboard", feature = "nsi"))]
pub mod ranking;

#[cfg(feature = "nsi")]
pub use comments::CommentsStrings;
#[cfg(feature = "desk")]
pub use entry::EntryStrings;
#[cfg(feature = "desk")]
pub use fleet::FleetStrings;
#[cfg(feature = "desk")]
pub use manage::ManageStrings;
#[cfg(feature = "dashboard")]
pub use nok::NokStrings;
#[cfg(feature = "nsi")]
pub use nsi::NsiStrings;
#[cfg(feature = "nsi")]
pub use nsi_data::NsiDataStrings;
pub use nsi_terms::NsiTerms;
#[cfg(feature = "dashboard")]
pub use observation::ObservationStrings;
#[cfg(any(feature = "dashboard", feature = "nsi"))]
pub use ranking::RankingStrings;

/// The dashboard's strings in one language. Templates use `{name}` placeholders, filled by
/// [`fill`](super::fill).
#[derive(Debug)]
pub struct DashboardStrings {
    /// Heading of the sign-in screen and the document title.
    pub title: &'static str,
    /// Text of the sign-in screen.
    pub sign_in_intro: &'static str,
    /// The login textbox (contract name).
    pub login: &'static str,
    /// The password field (contract name).
    pub password: &'static str,
    /// The sign-in button (contract name).
    pub sign_in: &'static str,
    /// Wrong login or password (401 `invalid_credentials`).
    pub bad_credentials: &'static str,
    /// Too many failed attempts (429 `login_throttled`: the wait is up to a quarter of an hour).
    pub rate_limited: &'static str,
    /// No answer from the server at all.
    pub no_connection: &'static str,
    /// Any other refusal, `{status}`.
    pub sign_in_failed: &'static str,
    /// Shown on the sign-in screen after the token was refused or ran out.
    pub session_expired: &'static str,
    /// The sign-out button (contract name).
    pub sign_out: &'static str,
    /// Who is signed in, `{login}` and `{role}`.
    pub signed_in_as: &'static str,
    /// Role names: admin, official, observer, operator.
    pub roles: [&'static str; 4],
    /// The org tree's navigation landmark (contract name).
    pub structure: &'static str,
    /// The search box over the org tree (contract name).
    pub search: &'static str,
    /// Hint under the search box.
    pub search_hint: &'static str,
    /// How many orgs match, `{n}`.
    pub matches: &'static str,
    /// Only the first matches are listed, `{shown}` of `{n}`.
    pub matches_cut: &'static str,
    /// Nothing matches the search.
    pub no_matches: &'static str,
    /// A node shows only its first children, `{n}` more are reached by search.
    pub more_children: &'static str,
    /// Button that opens a node, `{name}`.
    pub expand: &'static str,
    /// Button that closes a node, `{name}`.
    pub collapse: &'static str,
    /// Org kinds: region, municipality, authority, institution, department.
    pub kinds: [&'static str; 5],
    /// Said to screen readers when a view opens, `{org}` and `{period}`.
    pub opened: &'static str,
    /// The period combobox (contract name).
    pub period: &'static str,
    /// A quarter's name, `{year}` and `{q}` (contract: «2026 — I квартал»).
    pub quarter: &'static str,
    /// How `{q}` is written for quarters 1–4.
    pub quarter_numerals: [&'static str; 4],
    /// Which period the changes compare with, `{period}`.
    pub compared_with: &'static str,
    /// The questionnaire combobox.
    pub questionnaire: &'static str,
    /// Names of the built-in questionnaires by id; others are shown by id.
    pub questionnaires: [(&'static str, &'static str); 7],
    /// Card: responses (contract name).
    pub card_responses: &'static str,
    /// Card: share satisfied (contract name).
    pub card_satisfied: &'static str,
    /// Card: NPS (contract name).
    pub card_nps: &'static str,
    /// Card: НОК total score (contract name).
    pub card_nok: &'static str,
    /// The figures' heading.
    pub figures: &'static str,
    /// The charts' heading.
    pub charts: &'static str,
    /// Title of the trend chart, `{question}` and `{org}`.
    pub trend_title: &'static str,
    /// Title of the 4-point bars, `{org}` and `{period}`.
    pub likert_title: &'static str,
    /// Title of the NPS distribution, `{org}` and `{period}`.
    pub nps_title: &'static str,
    /// Sample size, `{n}`.
    pub n: &'static str,
    /// Respondents of a НОК score above one institution, `{n}` over `{institutions}`.
    pub nok_over: &'static str,
    /// The 95 % interval, `{lo}` and `{hi}`.
    pub interval: &'static str,
    /// The change against the previous quarter, `{delta}`.
    pub change: &'static str,
    /// The previous quarter has no figure to compare with.
    pub no_previous: &'static str,
    /// Below the minimum n (contract text).
    pub low_n: &'static str,
    /// The minimum n, `{n}`.
    pub low_n_hint: &'static str,
    /// A figure without data.
    pub no_data: &'static str,
    /// The unit after shares.
    pub percent: &'static str,
    /// Caption of the channel table.
    pub channels: &'static str,
    /// Column: channel.
    pub channel: &'static str,
    /// Column: responses.
    pub responses: &'static str,
    /// Channel names: qr, kiosk, link, paper, phone, interview, observation.
    pub channel_names: [&'static str; 7],
    /// Note under the channel table: observations are not in the figures.
    pub observation_apart: &'static str,
    /// While figures load.
    /// Said when the page of a section the other bundle serves came back to this one.
    pub other_bundle_failed: &'static str,
    pub loading: &'static str,
    /// The period combobox's «all time» option (where a page offers one).
    pub all_time: &'static str,
    /// A load failed, `{reason}`.
    pub load_failed: &'static str,
    /// The org is outside the caller's scope.
    pub forbidden: &'static str,
    /// The org in the address does not exist (or is not in the scope).
    pub unknown_org: &'static str,
    /// The scope has no orgs.
    pub empty_scope: &'static str,
    /// The sections' navigation landmark.
    pub sections: &'static str,
    /// Section names, in the order of `Section::ALL` (the contract's names where it has
    /// them: «Точки опроса», «Планшеты», «Комментарии», «Чек-лист НОК», «Ввод анкет»,
    /// «Управление»; «НСИ» and «Данные НСИ» for the НСИ report and its data).
    pub section_names: &'static [&'static str],
    /// The «Рейтинг» section and the exports of the current view.
    #[cfg(any(feature = "dashboard", feature = "nsi"))]
    pub ranking: &'static RankingStrings,
    /// The НОК page's strings.
    #[cfg(feature = "dashboard")]
    pub nok: &'static NokStrings,
    /// The comments page's strings.
    #[cfg(feature = "nsi")]
    pub comments: &'static CommentsStrings,
    /// «Наблюдение», the walk-throughs' page.
    #[cfg(feature = "dashboard")]
    pub observation: &'static ObservationStrings,
    /// НСИ terms both bundles use.
    pub nsi_terms: &'static NsiTerms,
    /// The «НСИ» page's strings.
    #[cfg(feature = "nsi")]
    pub nsi: &'static NsiStrings,
    /// «Данные НСИ»'s strings.
    #[cfg(feature = "nsi")]
    pub nsi_data: &'static NsiDataStrings,
    /// The «Точки опроса» and «Планшеты» sections' strings.
    #[cfg(feature = "desk")]
    pub fleet: &'static FleetStrings,
    /// «Ввод анкет», keying in paper and phone questionnaires.
    #[cfg(feature = "desk")]
    pub entry: &'static EntryStrings,
    /// «Управление»'s strings.
    #[cfg(feature = "desk")]
    pub manage: &'static ManageStrings,
}

impl DashboardStrings {
    /// A questionnaire's name in this language; its id when the interface has none.
    pub fn questionnaire_name(&self, id: &str) -> String {
        self.questionnaires
            .iter()
            .find(|(known, _)| *known == id)
            .map_or_else(|| id.to_owned(), |(_, name)| (*name).to_owned())
    }
}

/// Russian, the contract's wording.
pub static RU: DashboardStrings = DashboardStrings {
    title: "Кабинет",
    sign_in_intro: "Войдите, чтобы увидеть результаты опросов в вашей зоне ответственности.",
    login: "Логин",
    password: "Пароль",
    sign_in: "Войти",
    bad_credentials:
        "Неверный логин или пароль. Проверьте раскладку клавиатуры и попробуйте снова.",
    rate_limited:
        "Слишком много неудачных попыток входа. Подождите несколько минут и попробуйте снова.",
    no_connection: "Нет связи с сервером. Проверьте подключение и попробуйте снова.",
    sign_in_failed: "Не удалось войти: сервер ответил ошибкой {status}. Попробуйте позже.",
    session_expired: "Сеанс завершён. Войдите снова — откроется тот же экран.",
    sign_out: "Выйти",
    signed_in_as: "{login} · {role}",
    roles: [
        "администратор",
        "должностное лицо",
        "наблюдатель",
        "оператор",
    ],
    structure: "Структура",
    search: "Поиск учреждения",
    search_hint: "Название или код",
    matches: "Найдено: {n}",
    matches_cut: "Показаны первые {shown} из {n}: уточните запрос.",
    no_matches: "Ничего не найдено.",
    more_children: "Ещё {n} — найдите их поиском.",
    expand: "Развернуть: {name}",
    collapse: "Свернуть: {name}",
    kinds: [
        "регион",
        "муниципалитет",
        "орган власти",
        "учреждение",
        "подразделение",
    ],
    opened: "Открыто: {org}, {period}.",
    period: "Период",
    quarter: "{year} — {q} квартал",
    quarter_numerals: ["I", "II", "III", "IV"],
    compared_with: "Изменения — к периоду «{period}».",
    questionnaire: "Анкета",
    questionnaires: [
        ("nsi-satisfaction", "НСИ: удовлетворённость"),
        ("nsi-core", "НСИ: основные вопросы"),
        ("express", "Экспресс-опрос"),
        ("nok-social", "НОК: социальное обслуживание"),
        ("nok-health", "НОК: здравоохранение"),
        ("nok-education", "НОК: образование"),
        ("nok-culture", "НОК: культура"),
    ],
    card_responses: "Ответов",
    card_satisfied: "Доля удовлетворённых",
    card_nps: "NPS",
    card_nok: "Итоговый балл НОК",
    figures: "Показатели",
    charts: "Графики",
    trend_title: "Динамика по кварталам: {question} — {org}",
    likert_title: "Ответы по вопросам — {org}, {period}",
    nps_title: "Готовность рекомендовать (NPS) — {org}, {period}",
    n: "n = {n}",
    nok_over: "n = {n}, по {institutions} учреждениям",
    interval: "95 % интервал: {lo} … {hi}",
    change: "{delta} к прошлому кварталу",
    no_previous: "в прошлом квартале данных нет",
    low_n: "мало ответов",
    low_n_hint: "меньше {n}: показатель ненадёжен",
    no_data: "нет данных",
    percent: "\u{a0}%",
    channels: "Каналы",
    channel: "Канал",
    responses: "Ответов",
    channel_names: [
        "QR-код",
        "Планшет",
        "Ссылка",
        "Бумажная анкета",
        "Телефон",
        "Интервью",
        "Наблюдение",
    ],
    observation_apart: "Наблюдения экспертов хранятся отдельно и в показатели не входят.",
    loading: "Загрузка…",
    all_time: "За всё время",
    other_bundle_failed: "Этот раздел не загрузился. Обновите страницу.",
    load_failed: "Не удалось загрузить данные ({reason}). Обновите страницу.",
    forbidden: "Это учреждение вне вашей зоны доступа.",
    unknown_org: "Такого учреждения нет в вашей структуре.",
    empty_scope: "В вашей зоне ответственности пока нет учреждений.",
    sections: "Разделы",
    #[cfg(any(feature = "dashboard", feature = "nsi"))]
    ranking: &ranking::RU,
    section_names: &[
        "Обзор",
        "Рейтинг",
        "Чек-лист НОК",
        "НСИ",
        "Комментарии",
        "Наблюдение",
        "Ввод анкет",
        "Точки опроса",
        "Планшеты",
        "Управление",
        "Данные НСИ",
    ],
    #[cfg(feature = "dashboard")]
    nok: &nok::RU,
    #[cfg(feature = "nsi")]
    comments: &comments::RU,
    #[cfg(feature = "dashboard")]
    observation: &observation::RU,
    nsi_terms: &nsi_terms::RU,
    #[cfg(feature = "nsi")]
    nsi: &nsi::RU,
    #[cfg(feature = "nsi")]
    nsi_data: &nsi_data::RU,
    #[cfg(feature = "desk")]
    fleet: &fleet::RU,
    #[cfg(feature = "desk")]
    entry: &entry::RU,
    #[cfg(feature = "desk")]
    manage: &manage::RU,
};

/// English.
pub static EN: DashboardStrings = DashboardStrings {
    title: "Dashboard",
    sign_in_intro: "Sign in to see the survey results in your scope.",
    login: "Login",
    password: "Password",
    sign_in: "Sign in",
    bad_credentials: "Wrong login or password. Check the keyboard layout and try again.",
    rate_limited: "Too many failed sign-in attempts. Wait a few minutes and try again.",
    no_connection: "No connection to the server. Check the network and try again.",
    sign_in_failed: "Could not sign in: the server answered with error {status}. Try again later.",
    session_expired: "Your session has ended. Sign in again to return to the same view.",
    sign_out: "Sign out",
    signed_in_as: "{login} · {role}",
    roles: ["administrator", "official", "observer", "operator"],
    structure: "Structure",
    search: "Find an institution",
    search_hint: "Name or code",
    matches: "Found: {n}",
    matches_cut: "Showing the first {shown} of {n}: narrow the search.",
    no_matches: "Nothing found.",
    more_children: "{n} more: find them by search.",
    expand: "Expand: {name}",
    collapse: "Collapse: {name}",
    kinds: [
        "region",
        "municipality",
        "authority",
        "institution",
        "department",
    ],
    opened: "Opened: {org}, {period}.",
    period: "Period",
    quarter: "Q{q} {year}",
    quarter_numerals: ["1", "2", "3", "4"],
    compared_with: "Changes are against {period}.",
    questionnaire: "Questionnaire",
    questionnaires: [
        ("nsi-satisfaction", "НСИ: satisfaction"),
        ("nsi-core", "НСИ: core questions"),
        ("express", "Express survey"),
        ("nok-social", "НОК: social services"),
        ("nok-health", "НОК: health care"),
        ("nok-education", "НОК: education"),
        ("nok-culture", "НОК: culture"),
    ],
    card_responses: "Responses",
    card_satisfied: "Share satisfied",
    card_nps: "NPS",
    card_nok: "НОК total score",
    figures: "Figures",
    charts: "Charts",
    trend_title: "By quarter: {question} — {org}",
    likert_title: "Answers by question — {org}, {period}",
    nps_title: "Willingness to recommend (NPS) — {org}, {period}",
    n: "n = {n}",
    nok_over: "n = {n}, over {institutions} institutions",
    interval: "95 % interval: {lo} … {hi}",
    change: "{delta} vs the previous quarter",
    no_previous: "no data in the previous quarter",
    low_n: "too few answers",
    low_n_hint: "fewer than {n}: not reliable",
    no_data: "no data",
    percent: "\u{a0}%",
    channels: "Channels",
    channel: "Channel",
    responses: "Responses",
    channel_names: [
        "QR code",
        "Tablet",
        "Link",
        "Paper questionnaire",
        "Phone",
        "Interview",
        "Observation",
    ],
    observation_apart: "Expert observations are stored apart and are not in the figures.",
    loading: "Loading…",
    all_time: "All time",
    other_bundle_failed: "This section did not load. Reload the page.",
    load_failed: "Could not load the data ({reason}). Reload the page.",
    forbidden: "This institution is outside your scope.",
    unknown_org: "There is no such institution in your structure.",
    empty_scope: "There are no institutions in your scope yet.",
    sections: "Sections",
    #[cfg(any(feature = "dashboard", feature = "nsi"))]
    ranking: &ranking::EN,
    section_names: &[
        "Overview",
        "Ranking",
        "НОК checklist",
        "НСИ",
        "Comments",
        "Observation",
        "Questionnaire entry",
        "Survey points",
        "Tablets",
        "Management",
        "НСИ data",
    ],
    #[cfg(feature = "dashboard")]
    nok: &nok::EN,
    #[cfg(feature = "nsi")]
    comments: &comments::EN,
    #[cfg(feature = "dashboard")]
    observation: &observation::EN,
    nsi_terms: &nsi_terms::EN,
    #[cfg(feature = "nsi")]
    nsi: &nsi::EN,
    #[cfg(feature = "nsi")]
    nsi_data: &nsi_data::EN,
    #[cfg(feature = "desk")]
    fleet: &fleet::EN,
    #[cfg(feature = "desk")]
    entry: &entry::EN,
    #[cfg(feature = "desk")]
    manage: &manage::EN,
};
