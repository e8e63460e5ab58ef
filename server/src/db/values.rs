//! Domain values at the db edge: the time zone type (the one stored value `otklik-shared` cannot
//! own, since chrono-tz would grow the PWA's wasm bundle), the decoding of stored text into
//! typed fields, and the rule for lookup keys that no row can hold.
//!
//! Rows are read into private raw structs of plain text and converted by `TryFrom` into the
//! public rows the services use. A stored value that does not convert is
//! [`DbError::Corrupt`] naming the table, the row and the column: never a silent default.

use chrono::{DateTime, NaiveDate, Utc};
use otklik_shared::answer::Channel;
use otklik_shared::org::{OrgKind, OrgPath, Role, Sector, Settlement};

use super::{DbError, DbResult};

/// An IANA time zone (`Europe/Moscow`): an institution's periods are counted in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tz(pub chrono_tz::Tz);

/// A name that is not an IANA time zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?} (use IANA names like Europe/Moscow)")]
pub struct BadTz(pub String);

impl Tz {
    /// Parses an IANA name.
    ///
    /// # Errors
    /// [`BadTz`] for a name chrono-tz does not know.
    pub fn parse(name: &str) -> Result<Self, BadTz> {
        name.parse().map(Self).map_err(|_| BadTz(name.to_owned()))
    }

    /// The IANA name, as stored.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The calendar date at `at` in this zone: the day a response is counted under.
    pub fn local_date(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }
}

impl std::fmt::Display for Tz {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `key` as a lookup binds it, or `None` when no row can hold it.
///
/// No stored code, login or id holds a NUL (they are checked before they are written), and
/// PostgreSQL refuses NUL in a text parameter: a lookup by such a key matches nothing, so it
/// answers "none" without asking the database (which would fail on PostgreSQL only).
pub fn lookup_key(key: &str) -> Option<&str> {
    (!key.contains('\0')).then_some(key)
}

/// A typed value stored as text.
pub(super) trait Stored: Sized {
    /// The value, or the text back when it is not one.
    fn from_stored(text: String) -> Result<Self, String>;
}

macro_rules! stored_wire_enum {
    ($($t:ty),+) => {$(
        impl Stored for $t {
            fn from_stored(text: String) -> Result<Self, String> {
                Self::parse(&text).ok_or(text)
            }
        }
    )+};
}
stored_wire_enum!(Channel, OrgKind, Role, Sector, Settlement);

impl Stored for OrgPath {
    fn from_stored(text: String) -> Result<Self, String> {
        Self::try_from(text).map_err(|e| e.0)
    }
}

impl Stored for Tz {
    fn from_stored(text: String) -> Result<Self, String> {
        Self::parse(&text).map_err(|e| e.0)
    }
}

/// Decodes the columns of one row, naming it in any error.
pub(super) struct Decoder<'a> {
    /// The table (or the main table of the join) the row comes from.
    pub table: &'static str,
    /// What identifies the row: its code, login or id.
    pub key: &'a str,
}

impl Decoder<'_> {
    /// The typed value of a column.
    pub fn column<T: Stored>(&self, column: &'static str, text: String) -> DbResult<T> {
        T::from_stored(text).map_err(|value| DbError::Corrupt {
            table: self.table,
            key: self.key.to_owned(),
            column,
            value,
        })
    }

    /// The typed value of a nullable column.
    pub fn optional<T: Stored>(
        &self,
        column: &'static str,
        text: Option<String>,
    ) -> DbResult<Option<T>> {
        text.map(|t| self.column(column, t)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_value_that_does_not_decode_names_its_row_and_column() {
        let d = Decoder {
            table: "orgs",
            key: "reg",
        };
        assert_eq!(
            d.column::<OrgKind>("kind", "institution".into()).unwrap(),
            OrgKind::Institution
        );
        let err = d.column::<Tz>("tz", "Mars/Olympus".into()).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"stored orgs row reg: tz "Mars/Olympus" does not decode"#
        );
        assert!(d.optional::<Sector>("sector", None).unwrap().is_none());
        assert!(d.optional::<OrgPath>("path", Some("1/".into())).is_err());
    }

    #[test]
    fn a_local_date_is_the_day_in_the_zone() {
        let tz = Tz::parse("Asia/Vladivostok").unwrap();
        let at = "2026-03-01T20:00:00Z".parse().unwrap();
        assert_eq!(tz.local_date(at).to_string(), "2026-03-02");
        assert_eq!(tz.to_string(), "Asia/Vladivostok");
        assert!(Tz::parse("Europe/Atlantis").is_err());
    }

    #[test]
    fn a_key_with_nul_is_looked_up_by_no_one() {
        assert_eq!(lookup_key("p1"), Some("p1"));
        assert_eq!(lookup_key("p\u{0}1"), None);
    }
}
