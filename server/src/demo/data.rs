//! The demo data set's tables: staff accounts, the org tree, points with their response counts
//! and satisfaction trend, and comment texts.

/// Demo accounts: (login, password, role, scope). Printed by `serve --demo`.
pub const USERS: [(&str, &str, &str, Option<&str>); 4] = [
    ("admin", "otklik-admin", "admin", None),
    ("official", "otklik-official", "official", Some("demo")),
    ("observer", "otklik-observer", "observer", Some("demo")),
    (
        "operator",
        "otklik-operator",
        "operator",
        Some("kcson-zarechye"),
    ),
];

/// The demo kiosk: (point, device name, operator PIN, the `seq` numbers that never arrive). The
/// fleet view then shows a tablet with a gap, as one whose last answers are still on it.
pub(super) const KIOSK: (&str, &str, &str, std::ops::RangeInclusive<i64>) =
    ("kcson-zarechye-kiosk", "Планшет в холле", "2468", 58..=63);

/// (code, name, kind, parent, sector, settlement)
pub(super) type OrgSpec = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);
pub(super) const ORGS: [OrgSpec; 11] = [
    (
        "demo",
        "Демонстрационная область",
        "region",
        None,
        None,
        None,
    ),
    (
        "demo-zarechny",
        "Зареченский муниципальный район",
        "municipality",
        Some("demo"),
        None,
        None,
    ),
    (
        "demo-minsoc",
        "Министерство социального развития Демонстрационной области",
        "authority",
        Some("demo"),
        Some("social"),
        None,
    ),
    (
        "kcson-zarechye",
        "КЦСОН «Заречье»",
        "institution",
        Some("demo-zarechny"),
        Some("social"),
        Some("rural"),
    ),
    (
        "kcson-city",
        "Комплексный центр социального обслуживания населения г. Демонстрационный",
        "institution",
        Some("demo-minsoc"),
        Some("social"),
        Some("urban"),
    ),
    (
        "polyclinic-1",
        "Городская поликлиника № 1",
        "institution",
        Some("demo"),
        Some("health"),
        Some("urban"),
    ),
    (
        "school-7",
        "Средняя общеобразовательная школа № 7",
        "institution",
        Some("demo"),
        Some("education"),
        Some("urban"),
    ),
    (
        "library-central",
        "Центральная городская библиотека им. А. С. Пушкина",
        "institution",
        Some("demo"),
        Some("culture"),
        Some("urban"),
    ),
    (
        "czn-center",
        "Центр занятости населения г. Демонстрационный",
        "institution",
        Some("demo"),
        Some("employment"),
        Some("urban"),
    ),
    (
        "czn-zarechye",
        "Центр занятости населения Зареченского района",
        "institution",
        Some("demo-zarechny"),
        Some("employment"),
        Some("rural"),
    ),
    (
        "mfc-center",
        "МФЦ «Мои документы»",
        "institution",
        Some("demo"),
        Some("other"),
        Some("urban"),
    ),
];

/// (point, org, questionnaire, life situation, stage, responses, satisfied share a year ago, today)
pub(super) type PointSpec = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    u32,
    f64,
    f64,
);
pub(super) const POINTS: [PointSpec; 14] = [
    (
        "kcson-zarechye-1",
        "kcson-zarechye",
        "nsi-satisfaction",
        Some("home-social-service"),
        Some("visit"),
        520,
        0.78,
        0.86,
    ),
    (
        "kcson-zarechye-nok",
        "kcson-zarechye",
        "nok-social",
        None,
        None,
        260,
        0.82,
        0.88,
    ),
    (
        "kcson-zarechye-kiosk",
        "kcson-zarechye",
        "express",
        None,
        None,
        400,
        0.84,
        0.9,
    ),
    (
        "kcson-city-nok",
        "kcson-city",
        "nok-social",
        None,
        None,
        240,
        0.88,
        0.9,
    ),
    (
        "polyclinic-1-1",
        "polyclinic-1",
        "nsi-satisfaction",
        Some("outpatient-care"),
        Some("diagnosis"),
        600,
        0.66,
        0.76,
    ),
    (
        "polyclinic-1-nok",
        "polyclinic-1",
        "nok-health",
        None,
        None,
        260,
        0.7,
        0.78,
    ),
    (
        "school-7-nok",
        "school-7",
        "nok-education",
        None,
        None,
        220,
        0.84,
        0.87,
    ),
    (
        "library-central-nok",
        "library-central",
        "nok-culture",
        None,
        None,
        200,
        0.9,
        0.93,
    ),
    (
        "czn-center-1",
        "czn-center",
        "nsi-satisfaction",
        Some("job-via-employment-centre"),
        Some("registration"),
        560,
        0.46,
        0.6,
    ),
    (
        "czn-zarechye-1",
        "czn-zarechye",
        "nsi-satisfaction",
        Some("job-via-employment-centre"),
        Some("registration"),
        260,
        0.4,
        0.55,
    ),
    (
        "mfc-center-1",
        "mfc-center",
        "express",
        None,
        None,
        600,
        0.9,
        0.93,
    ),
    (
        "mfc-center-2",
        "mfc-center",
        "nsi-core",
        Some("first-child-payment"),
        Some("visit"),
        300,
        0.82,
        0.88,
    ),
    // A point put up a few weeks ago: too few answers for a figure («мало ответов»).
    (
        "library-central-1",
        "library-central",
        "express",
        None,
        None,
        18,
        0.88,
        0.9,
    ),
    // Last, so the points above draw the same answers as before it was added.
    (
        "czn-center-exit",
        "czn-center",
        REPORTED_TIME.0,
        Some("job-via-employment-centre"),
        Some("after"),
        120,
        0.5,
        0.6,
    ),
];

/// The employment centre's own questionnaire for people leaving its register, published by
/// the demo before its points: how many days finding work took, in their words (issue 16: a
/// time question a point adds). Its answers are the НСИ report's «время со слов граждан».
pub const REPORTED_TIME: (&str, &str) = (
    "czn-exit",
    r#"{"id": "czn-exit", "version": 1, "title": "Как быстро Вы нашли работу",
        "note": "Вопрос Центра занятости для снятых с учёта; время — со слов гражданина.",
        "questions": [{"id": "took_days", "kind": "number", "required": true, "integer": true,
          "text": "Сколько дней прошло от обращения в Центр занятости до трудоустройства?",
          "subtitle": "в календарных днях, примерно", "min": 0, "max": 365,
          "time_unit": "days"}]}"#,
);

/// Comments on negative answers. Some carry personal data as real ones do (a phone number, an
/// e-mail, a name): the comments API and exports must mask it.
pub(super) const COMMENTS: [&str; 10] = [
    "Долго ждали в очереди, больше часа",
    "Не хватает мест в зоне ожидания",
    "Сотрудник не объяснил, какие документы нужны",
    "Пришлось приходить два раза из-за одной справки",
    "Запись по телефону 8 900 123-45-67 не работает",
    "Неудобный график работы",
    "Меня зовут Анна Петрова, перезвоните мне: +7 (912) 345-67-89",
    "Ответа на письмо на ivanov.sergey@mail.ru так и нет",
    "В окне 3 приём только до 13:00, а написано до 17:00",
    "Талон А-105, ждала 40 минут, хотя записывалась на 10:30",
];
/// Free-text suggestions, one with personal data.
pub(super) const SUGGESTIONS: [&str; 6] = [
    "Сделать электронную очередь",
    "Добавить окно для пожилых",
    "Больше информации на сайте",
    "Работать по субботам",
    "Поставить кулер с водой",
    "Я — Смирнов Олег, готов помочь с сайтом, пишите smirnov@example.ru",
];

/// Expert checklists of the demo НОК institutions (entered for this year and the last, so Sn
/// shows over any period of the demo): (institution, checklist body of
/// `PUT /api/v1/nok/checklists/{org}/{year}`). Deliberately uneven, so the indicators differ.
pub(super) const CHECKLISTS: [(&str, &str); 5] = [
    (
        "kcson-zarechye",
        r#"{"1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["phone", "email", "e_services", "faq"],
            "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms", "sanitary_state"],
            "3.1": ["ramps", "parking", "wheelchairs"],
            "3.2": ["sound_visual", "escort", "remote_service"]}"#,
    ),
    (
        "kcson-city",
        r#"{"1.1": {"stand_present": 10, "stand_required": 10, "site_present": 20, "site_required": 20},
            "1.2": ["phone", "email", "e_services", "faq", "survey"],
            "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms", "sanitary_state", "transport", "booking"],
            "3.1": ["ramps", "parking", "adapted_doors", "wheelchairs", "sanitary_equipped"],
            "3.2": ["sound_visual", "braille", "sign_language", "low_vision_site", "escort"]}"#,
    ),
    (
        "polyclinic-1",
        r#"{"1.1": {"stand_present": 7, "stand_required": 10, "site_present": 15, "site_required": 20},
            "1.2": ["phone", "e_services"],
            "2.1": ["waiting_zone", "navigation", "sanitary_rooms", "booking"],
            "3.1": ["ramps", "adapted_doors"],
            "3.2": ["low_vision_site", "escort"]}"#,
    ),
    (
        "school-7",
        r#"{"1.1": {"stand_present": 8, "stand_required": 10, "site_present": 19, "site_required": 20},
            "1.2": ["phone", "email", "faq"],
            "2.1": ["navigation", "drinking_water", "sanitary_rooms", "sanitary_state", "transport"],
            "3.1": ["ramps"],
            "3.2": ["low_vision_site", "escort"]}"#,
    ),
    (
        "library-central",
        r#"{"1.1": {"stand_present": 10, "stand_required": 12, "site_present": 17, "site_required": 20},
            "1.2": ["phone", "email", "survey", "other"],
            "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms", "sanitary_state", "transport"],
            "3.1": ["ramps", "parking", "adapted_doors"],
            "3.2": ["sound_visual", "braille", "low_vision_site", "escort"]}"#,
    ),
];

/// The НСИ life situation the demo reports on: ЖС-8, «Трудоустроиться через Центр занятости».
pub const NSI_SITUATION: &str = "job-via-employment-centre";

/// The region's НСИ baselines for [`NSI_SITUATION`], measured the year before: (KPI, value,
/// unit). 46 % satisfied is what the pilot region measured before the pilot (source 003).
pub const NSI_BASELINES: [(&str, f64, Option<&str>); 3] = [
    ("satisfied", 46.0, None),
    ("nps", -5.0, None),
    ("time", 21.0, Some("days")),
];

/// The region's approved targets for this year, in the order they were approved: (KPI, value,
/// unit, method, who approved). The satisfied share was approved twice (the `gap25` proposal,
/// then raised by position), so the target's history has two versions.
pub const NSI_TARGETS: [(&str, f64, Option<&str>, &str, &str); 4] = [
    (
        "satisfied",
        57.0,
        None,
        "gap25",
        "Региональный проектный офис",
    ),
    ("nps", 18.8, None, "gap25", "Региональный проектный офис"),
    (
        "time",
        18.0,
        Some("days"),
        "manual",
        "Региональный проектный офис",
    ),
    (
        "satisfied",
        60.0,
        None,
        "position",
        "Штаб по НСИ при губернаторе",
    ),
];

/// Process-time measurements this quarter, in days, per employment centre and stage: the urban
/// centre has enough (twelve), the rural one has six, under the ten the report asks for, so its
/// warning shows.
pub const NSI_TIMES: [(&str, Option<&str>, &[f64]); 3] = [
    (
        "czn-center",
        None,
        &[14.0, 16.0, 17.0, 19.0, 20.0, 21.0, 22.0, 24.0, 25.0, 27.0],
    ),
    ("czn-center", Some("registration"), &[1.0, 2.0]),
    ("czn-zarechye", None, &[18.0, 23.0, 26.0, 29.0, 31.0, 34.0]),
];

/// The employment centre whose comments the demo officials have taken up (issue 16, the comment
/// loop): its public page `/r/czn-center` shows what was done.
pub const LOOP_ORG: &str = "czn-center";

/// (status, stage, loss, public answer) of a demo review.
pub type LoopReview = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

/// Reviews of the centre's newest comments on negative answers, newest first: (status, stage,
/// loss, public answer). One is done with a public answer, three are «принято в работу» with a
/// stage and a loss, one is tagged but still new; older comments stay unreviewed.
pub const LOOP_REVIEWS: [LoopReview; 5] = [
    (
        "done",
        Some("registration"),
        Some("waiting"),
        Some(
            "Открыли второе окно регистрации и электронную очередь: в часы пик ждать теперь \
             меньше 15 минут.",
        ),
    ),
    ("in_progress", Some("registration"), Some("waiting"), None),
    (
        "in_progress",
        Some("job-matching"),
        Some("duplicate_actions"),
        None,
    ),
    ("in_progress", Some("extra-services"), Some("rework"), None),
    ("new", Some("job-matching"), None, None),
];

/// Improvement measures of the centre: (title, stage, days before today it was done).
pub const LOOP_IMPROVEMENTS: [(&str, Option<&str>, i64); 2] = [
    (
        "Электронная очередь и второе окно регистрации",
        Some("registration"),
        20,
    ),
    (
        "Вакансии партнёров на информационном экране в зале ожидания",
        Some("job-matching"),
        45,
    ),
];
