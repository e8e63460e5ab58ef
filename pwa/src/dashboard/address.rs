//! The view in the address bar: the section in the path (`/dashboard/ranking`), and which
//! org, which period, which questionnaire, which life situation and year (НСИ) and what the
//! search box holds in the query (`?org=demo&period=2026Q1&q=…`), so a view can be
//! bookmarked, reloaded and sent to a colleague, and «Назад» goes to the previous one.
//!
//! The address is the single source of this state: the components read it through
//! [`ViewState::from_address`] and change it only by navigating to [`ViewState::href`].

use super::period::Quarter;
use super::sections::Section;

/// The dashboard's path.
pub const BASE: &str = "/dashboard";

/// What the address says to show. Absent parts take their defaults where they are used (the
/// scope's root, the current quarter, the subtree's first questionnaire), so a bare
/// `/dashboard` is a valid view and an old bookmark survives new defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewState {
    /// The open section; an unknown one in the address counts as the overview.
    pub section: Section,
    /// The selected org's code.
    pub org: Option<String>,
    /// The selected quarter; an unreadable one in the address counts as absent.
    pub period: Option<Quarter>,
    /// The selected questionnaire's id.
    pub questionnaire: Option<String>,
    /// The org tree's search text.
    pub search: String,
    /// The НСИ life situation's code (none: the region-wide summary of every situation).
    pub life_situation: Option<String>,
    /// The НСИ year; an unreadable one in the address counts as absent (this year).
    pub year: Option<i32>,
}

impl ViewState {
    /// Reads the view from the path and the query's (already decoded) parameters.
    pub fn from_address(path: &str, get: impl Fn(&str) -> Option<String>) -> Self {
        let present = |key: &str| get(key).filter(|v| !v.is_empty());
        let slug = path
            .strip_prefix(BASE)
            .unwrap_or_default()
            .trim_matches('/');
        Self {
            section: Section::from_slug(slug).unwrap_or_default(),
            org: present("org"),
            period: present("period").as_deref().and_then(Quarter::parse),
            questionnaire: present("questionnaire"),
            search: get("q").unwrap_or_default(),
            life_situation: present("life_situation"),
            year: present("year")
                .and_then(|y| y.parse().ok())
                .filter(|y| (2000..=2100).contains(y)),
        }
    }

    /// The query string, without `?`; empty parts are left out, the rest percent-encoded.
    pub fn to_query(&self) -> String {
        let period = self.period.map(|p| p.to_string());
        let year = self.year.map(|y| y.to_string());
        [
            ("org", self.org.as_deref()),
            ("period", period.as_deref()),
            ("questionnaire", self.questionnaire.as_deref()),
            ("life_situation", self.life_situation.as_deref()),
            ("year", year.as_deref()),
            ("q", Some(self.search.as_str())),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.filter(|v| !v.is_empty()).map(|v| (key, v)))
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
    }

    /// The address of this view.
    pub fn href(&self) -> String {
        let path = match self.section.slug() {
            "" => BASE.to_owned(),
            slug => format!("{BASE}/{slug}"),
        };
        match self.to_query() {
            query if query.is_empty() => path,
            query => format!("{path}?{query}"),
        }
    }

    /// The same org and period in another section.
    pub fn with_section(&self, section: Section) -> Self {
        Self {
            section,
            ..self.clone()
        }
    }

    /// The same view of another org. The questionnaire is dropped: the new subtree may not
    /// run it, and its own default is picked there.
    pub fn with_org(&self, code: &str) -> Self {
        Self {
            org: Some(code.to_owned()),
            questionnaire: None,
            ..self.clone()
        }
    }

    /// The same view for another quarter (`None`: the page's default, or all time).
    pub fn with_period(&self, period: Option<Quarter>) -> Self {
        Self {
            period,
            ..self.clone()
        }
    }

    /// The same view with another questionnaire.
    pub fn with_questionnaire(&self, id: &str) -> Self {
        Self {
            questionnaire: Some(id.to_owned()),
            ..self.clone()
        }
    }

    /// The same view of another НСИ life situation (`None`: the summary of every one).
    pub fn with_life_situation(&self, code: Option<&str>) -> Self {
        Self {
            life_situation: code.map(str::to_owned),
            ..self.clone()
        }
    }

    /// The same view of another НСИ year.
    pub fn with_year(&self, year: i32) -> Self {
        Self {
            year: Some(year),
            ..self.clone()
        }
    }

    /// The same view with another search text.
    pub fn with_search(&self, search: &str) -> Self {
        Self {
            search: search.to_owned(),
            ..self.clone()
        }
    }
}

/// Percent-encodes everything but the characters RFC 3986 leaves unreserved, so codes,
/// Cyrillic search text and `&`/`=`/`#` all survive the round trip.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Splits and decodes a query the way the browser's router does.
    fn parse(query: &str) -> HashMap<String, String> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                (k.to_owned(), decode(v))
            })
            .collect()
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    fn read(href: &str) -> ViewState {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        let map = parse(query);
        ViewState::from_address(path, |k| map.get(k).cloned())
    }

    #[test]
    fn round_trips_through_the_address() {
        let view = ViewState {
            section: Section::Overview,
            org: Some("kcson-zarechye".into()),
            period: Quarter::new(2026, 1),
            questionnaire: Some("nok-social".into()),
            search: "школа № 7 & «Заречье»=#1".into(),
            life_situation: Some("job-via-employment-centre".into()),
            year: Some(2026),
        };
        let href = view.href();
        assert!(
            href.starts_with("/dashboard?org=kcson-zarechye&period=2026Q1&"),
            "{href}"
        );
        assert!(
            !href.contains(' ') && !href.contains('#') && !href.contains('«'),
            "{href}"
        );
        assert_eq!(read(&href), view);
    }

    #[test]
    fn a_bare_address_is_the_default_view() {
        assert_eq!(ViewState::default().href(), "/dashboard");
        assert_eq!(read("/dashboard"), ViewState::default());
        // Unreadable or empty parts count as absent.
        let odd = read("/dashboard?org=&period=2026Q9&questionnaire=&life_situation=&year=20x6");
        assert_eq!(odd, ViewState::default());
        // An unknown section (an old bookmark, a typo) opens the overview.
        assert_eq!(read("/dashboard/no-such-section/"), ViewState::default());
    }

    #[test]
    fn changes_keep_the_rest_of_the_view() {
        let view = ViewState {
            section: Section::Overview,
            org: Some("demo".into()),
            period: Quarter::new(2026, 2),
            questionnaire: Some("express".into()),
            search: "мфц".into(),
            ..Default::default()
        };
        let other = view.with_org("mfc-center");
        assert_eq!(other.org.as_deref(), Some("mfc-center"));
        assert_eq!(other.period, view.period);
        assert_eq!(other.search, "мфц");
        assert_eq!(
            other.questionnaire, None,
            "a new subtree picks its own questionnaire"
        );
        let q4 = Quarter::new(2025, 4).unwrap();
        assert_eq!(view.with_period(Some(q4)).period, Some(q4));
        assert_eq!(view.with_period(Some(q4)).questionnaire, view.questionnaire);
        assert_eq!(view.with_period(None).period, None);
        assert_eq!(
            view.with_search("").href(),
            "/dashboard?org=demo&period=2026Q2&questionnaire=express"
        );
        assert_eq!(
            view.with_questionnaire("nsi-core").questionnaire.as_deref(),
            Some("nsi-core")
        );
        let situation = view.with_life_situation(Some("job-via-employment-centre"));
        assert_eq!(situation.with_year(2025).year, Some(2025));
        assert_eq!(situation.with_year(2025).org, view.org);
        assert_eq!(situation.with_life_situation(None).life_situation, None);
    }

    #[test]
    fn every_section_round_trips_with_the_rest_of_the_view() {
        for &section in Section::ALL {
            let view = ViewState {
                section,
                org: Some("demo".into()),
                period: Quarter::new(2026, 3),
                questionnaire: None,
                search: String::new(),
                life_situation: Some("job-via-employment-centre".into()),
                year: Some(2025),
            };
            assert_eq!(read(&view.href()), view, "{}", view.href());
            assert_eq!(view.with_org("mfc").section, section);
        }
    }
}
