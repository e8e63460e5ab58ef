//! The strings of the dashboard's «Точки опроса» and «Планшеты» sections, reached through
//! [`DashboardStrings::fleet`](super::DashboardStrings). The Russian names of controls are the
//! contract's (`contract.md` §7).

/// The points' and kiosks' strings in one language. Templates use `{name}` placeholders.
#[derive(Debug)]
pub struct FleetStrings {
    /// Heading of the points section, `{org}`.
    pub points_title: &'static str,
    /// The subtree has no points.
    pub no_points: &'static str,
    /// Alt text of a point's QR code, `{url}`.
    pub qr_alt: &'static str,
    /// Label: the questionnaire.
    pub questionnaire: &'static str,
    /// Label: the life situation.
    pub life_situation: &'static str,
    /// Label: the stage.
    pub stage: &'static str,
    /// Label: the public address.
    pub address: &'static str,
    /// Label: the org a point belongs to.
    pub org: &'static str,
    /// No life situation or stage.
    pub none: &'static str,
    /// A4 poster download (contract name).
    pub poster_a4: &'static str,
    /// A6 table tent download (contract name).
    pub poster_a6: &'static str,
    /// The subtree's ZIP download (contract name).
    pub posters_zip: &'static str,
    /// While a download is prepared.
    pub preparing: &'static str,
    /// A download failed, `{reason}`.
    pub download_failed: &'static str,
    /// Heading of the add-point form.
    pub new_point: &'static str,
    /// Where the new point goes, `{org}`.
    pub new_point_org: &'static str,
    /// The selection cannot hold points.
    pub new_point_needs_institution: &'static str,
    /// Field: the point's code.
    pub code: &'static str,
    /// Hint under the code.
    pub code_hint: &'static str,
    /// The «no life situation» option.
    pub no_situation: &'static str,
    /// The «no stage» option.
    pub no_stage: &'static str,
    /// The add-point button (contract-style name).
    pub add_point: &'static str,
    /// The point was added, `{code}`.
    pub point_added: &'static str,
    /// Refusal: the code is malformed.
    pub bad_code: &'static str,
    /// Refusal: the code is taken.
    pub code_taken: &'static str,
    /// Refusal: the org cannot hold points.
    pub bad_org: &'static str,
    /// Refusal: the questionnaire does not fit the institution.
    pub bad_questionnaire: &'static str,
    /// Refusal: unknown life situation.
    pub bad_situation: &'static str,
    /// Refusal: the stage is not the situation's.
    pub bad_stage: &'static str,
    /// Refusal of another kind, `{reason}`.
    pub refused: &'static str,
    /// Heading of the kiosks section, `{org}`.
    pub devices_title: &'static str,
    /// The kiosks table's caption (contract name).
    pub devices: &'static str,
    /// The subtree has no kiosks.
    pub no_devices: &'static str,
    /// Column: the tablet's name.
    pub name: &'static str,
    /// Column: its institution.
    pub institution: &'static str,
    /// Column: when it enrolled.
    pub enrolled: &'static str,
    /// Column: when it last uploaded.
    pub last_seen: &'static str,
    /// Never uploaded.
    pub never: &'static str,
    /// Column: answers received.
    pub received: &'static str,
    /// Column: the `seq` gaps.
    pub gaps: &'static str,
    /// The gaps, `{ranges}` (contract-style text: «пропуски: 58–63»).
    pub gaps_text: &'static str,
    /// No gaps.
    pub no_gaps: &'static str,
    /// Column: state.
    pub state: &'static str,
    /// State: active.
    pub active: &'static str,
    /// State: revoked.
    pub revoked: &'static str,
    /// Column: actions.
    pub actions: &'static str,
    /// The revoke button (contract name).
    pub revoke: &'static str,
    /// The confirmation question, `{name}`.
    pub revoke_question: &'static str,
    /// The confirming button.
    pub revoke_confirm: &'static str,
    /// Stepping back from revoking.
    pub cancel: &'static str,
    /// Said once a tablet is revoked, `{name}`.
    pub revoked_done: &'static str,
    /// The enrolment button (contract name).
    pub new_code: &'static str,
    /// Heading of the enrolment part.
    pub enrolment: &'static str,
    /// What the enrolment does.
    pub enrolment_intro: &'static str,
    /// The institution picker of the enrolment.
    pub enrol_for: &'static str,
    /// The selection holds no institution to enrol a tablet at.
    pub no_institution: &'static str,
    /// Label: the code.
    pub enrol_code: &'static str,
    /// Label: the PIN.
    pub pin: &'static str,
    /// Label: the kiosk address.
    pub kiosk_url: &'static str,
    /// Until when the code works, `{time}`.
    pub expires: &'static str,
    /// Alt text of the enrolment QR, `{url}`.
    pub enrol_qr_alt: &'static str,
    /// How to use the code on the tablet.
    pub enrol_howto: &'static str,
}

/// Russian, the contract's wording.
pub static RU: FleetStrings = FleetStrings {
    points_title: "Точки опроса: {org}",
    no_points: "Здесь пока нет точек опроса.",
    qr_alt: "QR-код точки: {url}",
    questionnaire: "Анкета",
    life_situation: "Жизненная ситуация",
    stage: "Этап",
    address: "Адрес анкеты",
    org: "Учреждение",
    none: "не указан",
    poster_a4: "Плакат A4",
    poster_a6: "Плакат A6",
    posters_zip: "Все плакаты (ZIP)",
    preparing: "Готовим файл…",
    download_failed: "Не удалось скачать файл: {reason}",
    new_point: "Новая точка",
    new_point_org: "Точка будет добавлена в «{org}».",
    new_point_needs_institution: "Точку можно добавить только учреждению или подразделению: выберите его в «Структуре».",
    code: "Код точки",
    code_hint: "Латинские буквы, цифры, «-», «_» или «.», до 64 знаков; код войдёт в адрес анкеты.",
    no_situation: "Без жизненной ситуации",
    no_stage: "Без этапа",
    add_point: "Добавить точку",
    point_added: "Точка {code} добавлена.",
    bad_code: "Код точки: только латинские буквы, цифры, «-», «_» или «.», от 1 до 64 знаков.",
    code_taken: "Точка с таким кодом уже есть. Выберите другой код.",
    bad_org: "Точку можно добавить только учреждению или подразделению.",
    bad_questionnaire: "Эту анкету нельзя назначить этому учреждению (анкеты НОК не применяются к центрам занятости).",
    bad_situation: "Такой жизненной ситуации нет в справочнике.",
    bad_stage: "Этот этап не относится к выбранной жизненной ситуации.",
    refused: "Сервер не принял точку: {reason}",
    devices_title: "Планшеты: {org}",
    devices: "Планшеты",
    no_devices: "Здесь пока нет подключённых планшетов.",
    name: "Название",
    institution: "Учреждение",
    enrolled: "Подключён",
    last_seen: "Последняя связь",
    never: "ещё не выходил на связь",
    received: "Получено ответов",
    gaps: "Пропуски",
    gaps_text: "пропуски: {ranges}",
    no_gaps: "нет",
    state: "Состояние",
    active: "работает",
    revoked: "отключён",
    actions: "Действия",
    revoke: "Отключить",
    revoke_question: "Отключить планшет «{name}»? Его новые ответы перестанут приниматься.",
    revoke_confirm: "Подтвердить отключение",
    cancel: "Отмена",
    revoked_done: "Планшет «{name}» отключён.",
    new_code: "Новый код подключения",
    enrolment: "Подключение планшета",
    enrolment_intro: "Одноразовый код действует час. Планшет подключается к выбранному учреждению.",
    enrol_for: "Учреждение",
    no_institution: "В выбранной части структуры нет учреждений, к которым можно подключить планшет.",
    enrol_code: "Код подключения",
    pin: "PIN-код оператора",
    kiosk_url: "Адрес для планшета",
    expires: "Код действует до {time}.",
    enrol_qr_alt: "QR-код адреса для подключения планшета: {url}",
    enrol_howto: "Откройте адрес на планшете или наведите его камеру на QR-код: код подключения будет подставлен.",
};

/// English.
pub static EN: FleetStrings = FleetStrings {
    points_title: "Survey points: {org}",
    no_points: "There are no survey points here yet.",
    qr_alt: "QR code of the point: {url}",
    questionnaire: "Questionnaire",
    life_situation: "Life situation",
    stage: "Stage",
    address: "Questionnaire address",
    org: "Institution",
    none: "none",
    poster_a4: "A4 poster",
    poster_a6: "A6 poster",
    posters_zip: "All posters (ZIP)",
    preparing: "Preparing the file…",
    download_failed: "Could not download the file: {reason}",
    new_point: "New point",
    new_point_org: "The point will be added to “{org}”.",
    new_point_needs_institution: "Points belong to an institution or a department: select one in the Structure.",
    code: "Point code",
    code_hint: "Latin letters, digits, “-”, “_” or “.”, up to 64; the code becomes part of the address.",
    no_situation: "No life situation",
    no_stage: "No stage",
    add_point: "Add point",
    point_added: "Point {code} added.",
    bad_code: "Point code: Latin letters, digits, “-”, “_” or “.” only, 1 to 64 characters.",
    code_taken: "A point with this code exists. Choose another code.",
    bad_org: "Points belong to an institution or a department only.",
    bad_questionnaire: "This questionnaire cannot be given to this institution (НОК does not assess employment centres).",
    bad_situation: "There is no such life situation.",
    bad_stage: "This stage is not part of the chosen life situation.",
    refused: "The server refused the point: {reason}",
    devices_title: "Tablets: {org}",
    devices: "Tablets",
    no_devices: "No tablets are enrolled here yet.",
    name: "Name",
    institution: "Institution",
    enrolled: "Enrolled",
    last_seen: "Last seen",
    never: "not seen yet",
    received: "Answers received",
    gaps: "Gaps",
    gaps_text: "gaps: {ranges}",
    no_gaps: "none",
    state: "State",
    active: "active",
    revoked: "revoked",
    actions: "Actions",
    revoke: "Revoke",
    revoke_question: "Revoke the tablet “{name}”? Its new answers will be refused.",
    revoke_confirm: "Confirm revocation",
    cancel: "Cancel",
    revoked_done: "Tablet “{name}” revoked.",
    new_code: "New enrolment code",
    enrolment: "Enrolling a tablet",
    enrolment_intro: "The one-time code works for an hour. The tablet joins the chosen institution.",
    enrol_for: "Institution",
    no_institution: "The selected part of the structure has no institution a tablet can join.",
    enrol_code: "Enrolment code",
    pin: "Operator PIN",
    kiosk_url: "Address for the tablet",
    expires: "The code works until {time}.",
    enrol_qr_alt: "QR code of the tablet's enrolment address: {url}",
    enrol_howto: "Open the address on the tablet or point its camera at the QR code: the code is filled in.",
};
