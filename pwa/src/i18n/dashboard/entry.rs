//! The strings of «Ввод анкет», the operators' page for keying in paper and phone
//! questionnaires (dashboard bundle only), reached as `t.dashboard.entry`. The Russian names of
//! the controls are the contract's (`contract.md` §7: «Точка», «Канал», «Пачка», «Сохранить
//! анкету», «Сохранено: N»).

/// The entry page's strings in one language; `{name}` placeholders are filled by
/// [`fill`](crate::i18n::fill).
#[derive(Debug)]
pub struct EntryStrings {
    /// The page's heading (the section's name).
    pub title: &'static str,
    /// What the page is for, under the heading.
    pub intro: &'static str,
    /// The point combobox (contract name).
    pub point: &'static str,
    /// Its empty first option.
    pub choose_point: &'static str,
    /// A point in the list, `{org}` and `{code}`.
    pub point_option: &'static str,
    /// The channel combobox (contract name).
    pub channel: &'static str,
    /// The staff channels, in the order of `entry::CHANNELS` (paper, phone, interview,
    /// observation); each role is offered those it keys in.
    pub channels: [&'static str; 4],
    /// The batch label textbox (contract name).
    pub batch: &'static str,
    /// What a batch label is for.
    pub batch_hint: &'static str,
    /// Heading of the keys' hint.
    pub keys_title: &'static str,
    /// The keys, one line each.
    pub keys: [&'static str; 5],
    /// The questionnaire form's accessible name, `{questionnaire}`.
    pub form: &'static str,
    /// The save button (contract name).
    pub save: &'static str,
    /// The running count of the batch (contract text), `{n}`.
    pub saved: &'static str,
    /// How many keyed-in questionnaires this browser still has to send, `{n}`.
    pub waiting: &'static str,
    /// A required question is unanswered, `{question}`.
    pub missing: &'static str,
    /// The browser's storage refused the questionnaire.
    pub save_failed: &'static str,
    /// The scope has no survey points.
    pub no_points: &'static str,
    /// Until a point is chosen.
    pub pick_point: &'static str,
    /// The point's questionnaire could not be loaded, offline and not cached.
    pub point_offline: &'static str,
    /// The point's questionnaire could not be loaded for another reason.
    pub point_failed: &'static str,
}

/// Russian, the contract's wording.
pub static RU: EntryStrings = EntryStrings {
    title: "Ввод анкет",
    intro: "Перенесите бумажные анкеты и ответы, записанные по телефону. Анкеты сохраняются в браузере и отправляются, как только есть связь с сервером: при плохой связи ни одна не потеряется.",
    point: "Точка",
    choose_point: "Выберите точку опроса",
    point_option: "{org} — {code}",
    channel: "Канал",
    channels: ["Бумажная анкета", "Телефон", "Интервью", "Наблюдение"],
    batch: "Пачка",
    batch_hint: "Например, номер коробки или дата: по пачке найдут, откуда пришли анкеты.",
    keys_title: "Клавиши",
    keys: [
        "Да, Скорее да, Скорее нет, Нет — 1, 2, 3, 4 (или а, б, в, г).",
        "Оценка 0–10 — цифра; 10 — 1 и затем 0.",
        "Да / Нет — 1 / 2 (или д / н).",
        "Enter — следующий вопрос; на последнем Enter сохраняет анкету.",
        "Shift+Enter — новая строка в тексте; стрелки — соседний вариант.",
    ],
    form: "Анкета: {questionnaire}",
    save: "Сохранить анкету",
    saved: "Сохранено: {n}",
    waiting: "Ожидают отправки: {n}",
    missing: "Нет ответа на обязательный вопрос: «{question}».",
    save_failed: "Не удалось сохранить анкету в браузере. Проверьте, что в нём не включён режим инкогнито и есть свободное место, и нажмите ещё раз.",
    no_points: "В вашей зоне ответственности нет точек опроса.",
    pick_point: "Выберите точку, чтобы открыть её анкету.",
    point_offline: "Нет связи с сервером, а анкета этой точки ещё не загружалась. Подключитесь и выберите точку снова.",
    point_failed: "Не удалось загрузить анкету этой точки. Обновите страницу.",
};

/// English.
pub static EN: EntryStrings = EntryStrings {
    title: "Questionnaire entry",
    intro: "Key in paper questionnaires and answers taken on the phone. They are kept in the browser and sent whenever the server can be reached: a poor connection loses none.",
    point: "Point",
    choose_point: "Choose a survey point",
    point_option: "{org} — {code}",
    channel: "Channel",
    channels: ["Paper questionnaire", "Phone", "Interview", "Observation"],
    batch: "Batch",
    batch_hint: "A box number or a date, say: the batch tells where the questionnaires came from.",
    keys_title: "Keys",
    keys: [
        "Yes, Rather yes, Rather no, No — 1, 2, 3, 4 (or a, b, c, d).",
        "Score 0–10 — the digit; 10 — 1 then 0.",
        "Yes / No — 1 / 2 (or y / n).",
        "Enter — next question; on the last one Enter saves the questionnaire.",
        "Shift+Enter — a new line in text; arrows — the next option.",
    ],
    form: "Questionnaire: {questionnaire}",
    save: "Save questionnaire",
    saved: "Saved: {n}",
    waiting: "Waiting to be sent: {n}",
    missing: "A required question has no answer: “{question}”.",
    save_failed: "The questionnaire could not be saved in the browser. Check that it is not in private mode and has free space, then press again.",
    no_points: "There are no survey points in your scope.",
    pick_point: "Choose a point to open its questionnaire.",
    point_offline: "No connection to the server, and this point's questionnaire was never loaded. Connect and choose the point again.",
    point_failed: "Could not load this point's questionnaire. Reload the page.",
};
