//! «Управление»'s strings: the forms for orgs and staff accounts, and what the API's refusals
//! mean in words (the server's envelopes carry stable codes and field names; the sentences a
//! person reads are here, in their language).

/// «Управление»'s strings in one language. Templates use `{name}` placeholders.
#[derive(Debug)]
pub struct ManageStrings {
    /// The page's heading.
    pub title: &'static str,
    /// Heading of the orgs part.
    pub orgs: &'static str,
    /// Which org the forms act on, `{org}`.
    pub selected: &'static str,
    /// How to act on another org.
    pub pick_hint: &'static str,
    /// Heading of the edit form, `{org}`.
    pub edit_title: &'static str,
    /// The edit form's button.
    pub save: &'static str,
    /// Heading of the new-org form, `{org}`.
    pub add_title: &'static str,
    /// Under an org of this kind nothing may be added.
    pub no_children: &'static str,
    /// The new-org form's button.
    pub add: &'static str,
    /// Field labels, in the order of the API's org fields: code, name, kind, parent, sector,
    /// tz, settlement, bus_gov_id.
    pub org_fields: [&'static str; 8],
    /// Hint under the time zone, `{tz}` (the parent's, taken when left empty).
    pub tz_hint: &'static str,
    /// The empty choice of an optional select.
    pub not_set: &'static str,
    /// Sector names, in the order of `Sector::ALL`.
    pub sectors: [&'static str; 7],
    /// Settlement names: urban, rural.
    pub settlements: [&'static str; 2],
    /// Heading of the import form.
    pub import_title: &'static str,
    /// What an import file holds.
    pub import_hint: &'static str,
    /// The file field's label.
    pub import_file: &'static str,
    /// The import button.
    pub import: &'static str,
    /// No file was picked.
    pub import_no_file: &'static str,
    /// The file was refused: nothing was stored. Followed by the list of lines.
    pub import_refused: &'static str,
    /// One line's error, `{line}` and `{problem}`.
    pub line: &'static str,
    /// An org was added, `{org}`.
    pub added: &'static str,
    /// An org was saved, `{org}`.
    pub saved: &'static str,
    /// Orgs were imported, `{n}`.
    pub imported: &'static str,
    /// While a request is on its way.
    pub sending: &'static str,
    /// What is wrong with an org field, in the order of `org_fields` (after «Строка N:» the
    /// first letter is put in lower case).
    pub org_problems: [&'static str; 8],
    /// A line of the file that does not parse at all (wrong header, unbalanced quotes),
    /// `{reason}` as the server said it.
    pub unreadable: &'static str,
    /// 409 on orgs: a code is taken.
    pub org_exists: &'static str,
    /// 403: outside the caller's scope.
    pub out_of_scope: &'static str,
    /// Any other refusal, `{status}`.
    pub failed: &'static str,
    /// Heading of the users part; also the users table's caption.
    pub users: &'static str,
    /// Column headers: login, role, scope, state.
    pub user_columns: [&'static str; 4],
    /// Column header of the actions.
    pub actions: &'static str,
    /// An active account.
    pub active: &'static str,
    /// A disabled account.
    pub disabled: &'static str,
    /// The whole tree (an admin's scope).
    pub everywhere: &'static str,
    /// The disable button.
    pub disable: &'static str,
    /// The disable button's accessible name, `{login}`.
    pub disable_named: &'static str,
    /// The confirmation question, `{login}`.
    pub confirm_disable: &'static str,
    /// The confirming button.
    pub confirm: &'static str,
    /// The cancelling button.
    pub cancel: &'static str,
    /// An account was disabled, `{login}`.
    pub user_disabled: &'static str,
    /// Heading of the new-user form.
    pub add_user_title: &'static str,
    /// Field labels: login, password, role.
    pub user_fields: [&'static str; 3],
    /// The scope the new account gets, `{org}` (the selected org).
    pub user_scope: &'static str,
    /// An admin account has no scope.
    pub admin_scope: &'static str,
    /// The new-user form's button.
    pub add_user: &'static str,
    /// An account was added, `{login}`.
    pub user_added: &'static str,
    /// What is wrong with a user field: login, password, role, scope, active (disabling
    /// oneself).
    pub user_problems: [&'static str; 5],
    /// 409 on users: the login is taken.
    pub user_exists: &'static str,
}

/// Russian.
pub static RU: ManageStrings = ManageStrings {
    title: "Управление",
    orgs: "Организации",
    selected: "Выбрано: {org}",
    pick_hint: "Чтобы изменить другую организацию или добавить организацию под неё, выберите её в «Структуре».",
    edit_title: "Изменить: {org}",
    save: "Сохранить изменения",
    add_title: "Новая организация в «{org}»",
    no_children: "В подразделение нельзя добавить организацию: выберите учреждение или орган выше.",
    add: "Добавить организацию",
    org_fields: [
        "Код",
        "Название",
        "Вид",
        "Вышестоящая организация",
        "Отрасль",
        "Часовой пояс",
        "Тип поселения",
        "Идентификатор bus.gov.ru",
    ],
    tz_hint: "Если оставить пустым — {tz}, как у вышестоящей.",
    not_set: "Не указано",
    sectors: [
        "Социальное обслуживание",
        "Здравоохранение",
        "Образование",
        "Культура",
        "Занятость",
        "Спорт",
        "Другое",
    ],
    settlements: ["Городское", "Сельское"],
    import_title: "Загрузка из CSV",
    import_hint: "Первая строка: code,name,kind,parent,sector,tz, можно добавить settlement,bus_gov_id; разделитель — запятая или точка с запятой; UTF-8 или Windows-1251. Если хотя бы одна строка с ошибкой, ничего не сохраняется.",
    import_file: "Файл CSV",
    import: "Загрузить",
    import_no_file: "Выберите файл CSV.",
    import_refused: "Файл не загружен, ничего не сохранено. Исправьте строки:",
    line: "Строка {line}: {problem}",
    added: "Добавлено: {org}.",
    saved: "Сохранено: {org}.",
    imported: "Загружено организаций: {n}.",
    sending: "Отправляется…",
    org_problems: [
        "Код — от 1 до 64 латинских букв, цифр, «-», «_» или «.», и он не должен быть занят",
        "Название — от 1 до 500 знаков",
        "Такой вид организации не может стоять на этом месте структуры (вид: region, municipality, authority, institution, department)",
        "Вышестоящей организации нет или под ней не может быть организации такого вида",
        "Отрасль — social, health, education, culture, employment, sport или other",
        "Часовой пояс — название вроде Europe/Moscow; у подразделения оставьте пустым",
        "Тип поселения — urban или rural",
        "Идентификатор bus.gov.ru — не длиннее 64 знаков",
    ],
    unreadable: "Файл не читается: {reason}",
    org_exists: "Организация с таким кодом уже есть.",
    out_of_scope: "Это вне вашей зоны ответственности.",
    failed: "Не удалось: сервер ответил ошибкой {status}. Попробуйте позже.",
    users: "Пользователи",
    user_columns: ["Логин", "Роль", "Зона ответственности", "Состояние"],
    actions: "Действия",
    active: "Активен",
    disabled: "Отключён",
    everywhere: "Вся структура",
    disable: "Отключить",
    disable_named: "Отключить {login}",
    confirm_disable: "Отключить пользователя {login}? Его сеансы завершатся сразу, войти он больше не сможет.",
    confirm: "Да, отключить",
    cancel: "Отмена",
    user_disabled: "Пользователь {login} отключён.",
    add_user_title: "Новый пользователь",
    user_fields: ["Логин", "Пароль", "Роль"],
    user_scope: "Зона ответственности: {org} (выбирается в «Структуре»).",
    admin_scope: "Администратор работает во всей структуре.",
    add_user: "Добавить пользователя",
    user_added: "Пользователь {login} добавлен.",
    user_problems: [
        "Логин — от 2 до 64 латинских букв, цифр, «.», «_», «-» или «@».",
        "Пароль — не короче 8 знаков.",
        "Эту роль выдать нельзя.",
        "Зона ответственности не подходит для этой роли.",
        "Собственную учётную запись отключить нельзя.",
    ],
    user_exists: "Пользователь с таким логином уже есть.",
};

/// English.
pub static EN: ManageStrings = ManageStrings {
    title: "Management",
    orgs: "Organisations",
    selected: "Selected: {org}",
    pick_hint: "To edit another organisation or add one under it, select it in «Structure».",
    edit_title: "Edit: {org}",
    save: "Save changes",
    add_title: "New organisation in «{org}»",
    no_children: "Nothing can be added under a department: select an institution or a body above.",
    add: "Add organisation",
    org_fields: [
        "Code",
        "Name",
        "Kind",
        "Parent",
        "Sector",
        "Time zone",
        "Settlement",
        "bus.gov.ru id",
    ],
    tz_hint: "Left empty: {tz}, as the parent's.",
    not_set: "Not set",
    sectors: [
        "Social services",
        "Health care",
        "Education",
        "Culture",
        "Employment",
        "Sport",
        "Other",
    ],
    settlements: ["Urban", "Rural"],
    import_title: "Import from CSV",
    import_hint: "First line: code,name,kind,parent,sector,tz, optionally settlement,bus_gov_id; comma or semicolon separated; UTF-8 or Windows-1251. If any line is wrong, nothing is stored.",
    import_file: "CSV file",
    import: "Import",
    import_no_file: "Choose a CSV file.",
    import_refused: "The file was refused and nothing was stored. Fix these lines:",
    line: "Line {line}: {problem}",
    added: "Added: {org}.",
    saved: "Saved: {org}.",
    imported: "Organisations imported: {n}.",
    sending: "Sending…",
    org_problems: [
        "The code must be 1–64 Latin letters, digits, '-', '_' or '.', and not taken",
        "The name must be 1–500 characters",
        "An organisation of this kind cannot stand here in the structure (kinds: region, municipality, authority, institution, department)",
        "The parent does not exist or cannot hold an organisation of this kind",
        "The sector must be social, health, education, culture, employment, sport or other",
        "The time zone must be a name like Europe/Moscow; leave it empty for a department",
        "The settlement must be urban or rural",
        "The bus.gov.ru id must be at most 64 characters",
    ],
    unreadable: "The file cannot be read: {reason}",
    org_exists: "An organisation with this code already exists.",
    out_of_scope: "This is outside your scope.",
    failed: "Failed: the server answered with error {status}. Try again later.",
    users: "Users",
    user_columns: ["Login", "Role", "Scope", "State"],
    actions: "Actions",
    active: "Active",
    disabled: "Disabled",
    everywhere: "The whole structure",
    disable: "Disable",
    disable_named: "Disable {login}",
    confirm_disable: "Disable the user {login}? Their sessions end at once and they can no longer sign in.",
    confirm: "Yes, disable",
    cancel: "Cancel",
    user_disabled: "The user {login} is disabled.",
    add_user_title: "New user",
    user_fields: ["Login", "Password", "Role"],
    user_scope: "Scope: {org} (chosen in «Structure»).",
    admin_scope: "An administrator works in the whole structure.",
    add_user: "Add user",
    user_added: "The user {login} was added.",
    user_problems: [
        "The login must be 2–64 Latin letters, digits, '.', '_', '-' or '@'.",
        "The password must have at least 8 characters.",
        "This role cannot be granted.",
        "The scope does not suit this role.",
        "You cannot disable your own account.",
    ],
    user_exists: "A user with this login already exists.",
};
