//! The interface language of the running app: which table of strings the components read.
//!
//! The tables themselves are in `otklik_shared::i18n` (the server renders the first question
//! with the same words); kiosk mode's strings are in `kiosk`, the dashboard's in `dashboard`
//! and its charts' in `charts`, each compiled only into its own bundle, so citizens never
//! download them.

#[cfg(feature = "dashboard")]
mod charts;
#[cfg(feature = "officials")]
pub mod dashboard;
#[cfg(feature = "kiosk")]
mod kiosk;

use std::ops::Deref;

use leptos::prelude::*;
use otklik_shared::i18n as text;

#[cfg(feature = "dashboard")]
pub use charts::ChartStrings;
#[cfg(feature = "officials")]
pub use dashboard::DashboardStrings;
#[cfg(feature = "desk")]
pub use dashboard::ManageStrings;
#[cfg(feature = "nsi")]
pub use dashboard::NsiDataStrings;
#[cfg(feature = "nsi")]
pub use dashboard::NsiStrings;
#[cfg(feature = "nsi")]
pub use dashboard::NsiTerms;
#[cfg(feature = "kiosk")]
pub use kiosk::KioskStrings;
pub use otklik_shared::i18n::{fill, Lang};

/// One language's strings: the shared tables (reached through `Deref`: `t.next`), in the
/// kiosk bundle kiosk mode's (`t.kiosk.…`) and in the dashboard bundle the dashboard's
/// (`t.dashboard.…`) and its charts' (`t.charts.…`).
#[derive(Debug)]
pub struct Strings {
    common: &'static text::Strings,
    /// Kiosk mode's strings.
    #[cfg(feature = "kiosk")]
    pub kiosk: &'static KioskStrings,
    /// The dashboard charts' strings.
    #[cfg(feature = "dashboard")]
    pub charts: &'static ChartStrings,
    /// The dashboard's strings.
    #[cfg(feature = "officials")]
    pub dashboard: &'static DashboardStrings,
}

impl Deref for Strings {
    type Target = text::Strings;

    fn deref(&self) -> &text::Strings {
        self.common
    }
}

static RU: Strings = Strings {
    common: &text::RU,
    #[cfg(feature = "kiosk")]
    kiosk: &kiosk::RU,
    #[cfg(feature = "dashboard")]
    charts: &charts::RU,
    #[cfg(feature = "officials")]
    dashboard: &dashboard::RU,
};

static EN: Strings = Strings {
    common: &text::EN,
    #[cfg(feature = "kiosk")]
    kiosk: &kiosk::EN,
    #[cfg(feature = "dashboard")]
    charts: &charts::EN,
    #[cfg(feature = "officials")]
    dashboard: &dashboard::EN,
};

/// The strings of `lang`.
pub(crate) fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

/// The current interface language, shared by every component.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The current language (reactive).
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The current strings (reactive).
    pub fn t(self) -> &'static Strings {
        strings(self.lang.get())
    }

    /// Switches the language, remembers the choice and updates `<html lang>`.
    pub fn set(self, lang: Lang) {
        crate::browser::remember_lang(lang.tag());
        crate::browser::set_document_lang(lang.tag());
        self.lang.set(lang);
    }
}

/// Provides [`I18n`] to the tree, starting from the remembered language (Russian by default).
pub fn provide_i18n_context() {
    let lang = crate::browser::remembered_lang()
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::Ru);
    crate::browser::set_document_lang(lang.tag());
    provide_context(I18n {
        lang: RwSignal::new(lang),
    });
}

/// The [`I18n`] provided by [`provide_i18n_context`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
