//! Kiosk mode's interface strings (kiosk bundle only), per language, reached through
//! [`Strings::kiosk`](super::Strings). The Russian table is part of the contract, as in the
//! parent module.

/// Kiosk mode's strings in one language. Templates use `{name}` placeholders, filled by
/// [`fill`](super::fill).
#[derive(Debug)]
pub struct KioskStrings {
    /// Kiosk screens' document title.
    pub kiosk_title: &'static str,
    /// Text of the enrolment screen.
    pub enrol_intro: &'static str,
    /// The enrolment code textbox (contract name).
    pub enrol_code: &'static str,
    /// The device name textbox (shown in the fleet list).
    pub enrol_name: &'static str,
    /// Device name when none is typed.
    pub enrol_name_default: &'static str,
    /// The enrolment button (contract name).
    pub enrol_submit: &'static str,
    /// The server does not know the code.
    pub enrol_unknown: &'static str,
    /// The code was used or has expired.
    pub enrol_gone: &'static str,
    /// Enrolment failed otherwise.
    pub enrol_failed: &'static str,
    /// The attract screen button (contract name).
    pub kiosk_start: &'static str,
    /// Text of the attract screen.
    pub kiosk_invite: &'static str,
    /// A repeated tap right after an answer.
    pub kiosk_wait: &'static str,
    /// The kiosk has no point yet.
    pub kiosk_no_point: &'static str,
    /// The button that opens the operator panel (contract name).
    pub operator: &'static str,
    /// The PIN textbox (contract name).
    pub pin: &'static str,
    /// Button that checks the PIN.
    pub pin_open: &'static str,
    /// The PIN does not match.
    pub pin_wrong: &'static str,
    /// Button that leaves the PIN screen.
    pub cancel: &'static str,
    /// Operator panel heading.
    pub panel_title: &'static str,
    /// Answers waiting for upload, `{n}` (contract text).
    pub waiting: &'static str,
    /// Label: when the oldest unsent answer was saved.
    pub oldest: &'static str,
    /// Label: the last upload that got receipts.
    pub last_sync: &'static str,
    /// Label: whether the browser protects storage from eviction.
    pub persisted: &'static str,
    /// A value the browser cannot tell.
    pub unknown: &'static str,
    /// Label: the app version.
    pub version: &'static str,
    /// Label: the device name and id.
    pub device: &'static str,
    /// Label and textbox: the survey point code.
    pub point: &'static str,
    /// Button that switches the kiosk to the typed point.
    pub choose_point: &'static str,
    /// The chosen point cannot be loaded.
    pub point_failed: &'static str,
    /// Heading of the dead-letter list, `{n}`.
    pub refused: &'static str,
    /// The server says the device was revoked.
    pub revoked: &'static str,
    /// The server refused the credentials, `{code}`.
    pub denied: &'static str,
    /// Button that uploads now.
    pub sync_now: &'static str,
    /// Button that downloads the queue as a file.
    pub export: &'static str,
    /// File input that adds an exported queue.
    pub import: &'static str,
    /// After an import, `{n}` answers added.
    pub imported: &'static str,
    /// The chosen file is not an exported queue.
    pub import_failed: &'static str,
    /// Why the panel offers a staff sign-in.
    pub staff_hint: &'static str,
    /// The login textbox (same name as the dashboard's).
    pub login: &'static str,
    /// The password field (same name as the dashboard's).
    pub password: &'static str,
    /// The sign-in button (same name as the dashboard's).
    pub sign_in: &'static str,
    /// After signing in.
    pub signed_in: &'static str,
    /// Wrong login or password, or no connection.
    pub sign_in_failed: &'static str,
    /// Button that closes the operator panel.
    pub close: &'static str,
    /// Button that ends kiosk mode.
    pub exit: &'static str,
    /// Kiosk mode cannot end while answers wait, `{n}`.
    pub exit_blocked: &'static str,
    /// A write to the tablet's storage failed.
    pub storage_failed: &'static str,
}

/// Russian, the contract's wording.
pub static RU: KioskStrings = KioskStrings {
    kiosk_title: "Режим киоска",
    enrol_intro: "Подключите планшет к учреждению: введите одноразовый код, который выдал администратор.",
    enrol_code: "Код подключения",
    enrol_name: "Название планшета",
    enrol_name_default: "Планшет-киоск",
    enrol_submit: "Подключить",
    enrol_unknown: "Код не найден. Проверьте, как он набран.",
    enrol_gone: "Этот код уже использован или устарел. Попросите новый.",
    enrol_failed: "Не удалось подключить планшет. Проверьте связь и попробуйте снова.",
    kiosk_start: "Начать опрос",
    kiosk_invite: "Оцените, как вас обслужили. Это займёт минуту и анонимно.",
    kiosk_wait: "Следующий опрос можно начать через несколько секунд.",
    kiosk_no_point: "Точка опроса не выбрана. Оператор: откройте панель и выберите точку.",
    operator: "Оператор",
    pin: "PIN-код",
    pin_open: "Открыть",
    pin_wrong: "Неверный PIN-код.",
    cancel: "Отмена",
    panel_title: "Панель оператора",
    waiting: "Ожидают отправки: {n}",
    oldest: "Самый старый неотправленный ответ",
    last_sync: "Последняя успешная отправка",
    persisted: "Хранилище защищено от очистки",
    unknown: "неизвестно",
    version: "Версия приложения",
    device: "Устройство",
    point: "Код точки опроса",
    choose_point: "Выбрать точку",
    point_failed: "Точка не найдена или сейчас недоступна.",
    refused: "Отклонены сервером: {n}",
    revoked: "Планшет отключён на сервере. Ответы сохранены на планшете: выгрузите очередь и загрузите её на другом планшете.",
    denied: "Сервер не принял учётные данные ({code}). Ответы сохранены на планшете.",
    sync_now: "Отправить сейчас",
    export: "Выгрузить очередь",
    import: "Загрузить очередь",
    imported: "Загружено ответов: {n}",
    import_failed: "Файл не похож на выгруженную очередь.",
    staff_hint: "Чтобы отправить очередь другого планшета, войдите как оператор или должностное лицо учреждения.",
    login: "Логин",
    password: "Пароль",
    sign_in: "Войти",
    signed_in: "Вход выполнен.",
    sign_in_failed: "Не удалось войти: проверьте логин, пароль и связь.",
    close: "Закрыть",
    exit: "Выйти из режима киоска",
    exit_blocked: "Сначала выгрузите очередь: ответов не отправлено — {n}.",
    storage_failed: "Не удалось сохранить данные на планшете.",
};

/// English.
pub static EN: KioskStrings = KioskStrings {
    kiosk_title: "Kiosk mode",
    enrol_intro: "Connect this tablet to an institution: enter the one-time code from the administrator.",
    enrol_code: "Enrolment code",
    enrol_name: "Tablet name",
    enrol_name_default: "Kiosk tablet",
    enrol_submit: "Connect",
    enrol_unknown: "Code not found. Check how it was typed.",
    enrol_gone: "This code was already used or has expired. Ask for a new one.",
    enrol_failed: "Could not connect the tablet. Check the connection and try again.",
    kiosk_start: "Start the survey",
    kiosk_invite: "Tell us how you were served. It takes a minute and is anonymous.",
    kiosk_wait: "The next survey can start in a few seconds.",
    kiosk_no_point: "No survey point chosen. Operator: open the panel and choose one.",
    operator: "Operator",
    pin: "PIN",
    pin_open: "Open",
    pin_wrong: "Wrong PIN.",
    cancel: "Cancel",
    panel_title: "Operator panel",
    waiting: "Waiting to be sent: {n}",
    oldest: "Oldest unsent answer",
    last_sync: "Last successful upload",
    persisted: "Storage protected from eviction",
    unknown: "unknown",
    version: "App version",
    device: "Device",
    point: "Survey point code",
    choose_point: "Choose point",
    point_failed: "Point not found or unavailable right now.",
    refused: "Refused by the server: {n}",
    revoked: "This tablet was revoked on the server. The answers are kept here: export the queue and import it on another tablet.",
    denied: "The server refused the credentials ({code}). The answers are kept on the tablet.",
    sync_now: "Send now",
    export: "Export queue",
    import: "Import queue",
    imported: "Answers imported: {n}",
    import_failed: "The file is not an exported queue.",
    staff_hint: "To upload another tablet's queue, sign in as an operator or official of the institution.",
    login: "Login",
    password: "Password",
    sign_in: "Sign in",
    signed_in: "Signed in.",
    sign_in_failed: "Could not sign in: check the login, the password and the connection.",
    close: "Close",
    exit: "Leave kiosk mode",
    exit_blocked: "Export the queue first: {n} answers are not sent yet.",
    storage_failed: "Could not save data on the tablet.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::fill;

    #[test]
    fn contract_names_are_kept() {
        assert_eq!(
            (RU.enrol_code, RU.enrol_submit, RU.kiosk_start),
            ("Код подключения", "Подключить", "Начать опрос")
        );
        assert_eq!((RU.operator, RU.pin), ("Оператор", "PIN-код"));
        assert_eq!(fill(RU.waiting, &[("n", "0")]), "Ожидают отправки: 0");
    }
}
