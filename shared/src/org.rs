//! The org tree's vocabulary: codes, kinds and how they nest, sectors, settlements, user roles
//! and org paths.

use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses a wire name.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// The wire names joined by `|`, for error messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join("|")
            }
        }

        /// The wire name, so messages name a value the way a person types it.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// What an org unit is; decides where it may sit in the tree.
    OrgKind {
        /// A subject of the Russian Federation; the root of a tree.
        Region = "region",
        /// A municipality (district, city) of a region.
        Municipality = "municipality",
        /// An executive authority (ministry, department) of a region or municipality.
        Authority = "authority",
        /// A service provider: clinic, school, КЦСОН, library, МФЦ, ЦЗН.
        Institution = "institution",
        /// A department or branch of an institution.
        Department = "department",
    }
);

impl OrgKind {
    /// Whether an org of this kind may sit under a parent of kind `parent` (`None` = at the root).
    /// The nesting is lenient where regions differ (an authority under a municipality).
    pub fn may_sit_under(self, parent: Option<OrgKind>) -> bool {
        use OrgKind::*;
        matches!(
            (self, parent),
            (Region, None)
                | (Municipality, Some(Region))
                | (Authority, Some(Region | Municipality))
                | (Institution, Some(Region | Municipality | Authority))
                | (Department, Some(Institution))
        )
    }
}

wire_enum!(
    /// The social sphere an institution belongs to (НОК sectors plus НСИ directions).
    Sector {
        /// Social services (НОК sector).
        Social = "social",
        /// Health care (НОК sector).
        Health = "health",
        /// Education (НОК sector).
        Education = "education",
        /// Culture (НОК sector).
        Culture = "culture",
        /// Employment centres: an НСИ direction, not a НОК sector.
        Employment = "employment",
        /// Sport.
        Sport = "sport",
        /// Anything else (МФЦ…).
        Other = "other",
    }
);

wire_enum!(
    /// Urban or rural institution: НСИ asks for both in every life situation.
    Settlement {
        /// In a town or city.
        Urban = "urban",
        /// In the countryside.
        Rural = "rural",
    }
);

wire_enum!(
    /// What a user may do; every role but admin is limited to an org subtree.
    Role {
        /// Everything, everywhere.
        Admin = "admin",
        /// Reads results, manages points, checklists, targets within a subtree.
        Official = "official",
        /// Reads results within a subtree; no personal data, no management.
        Observer = "observer",
        /// Enrols kiosks and keys in paper or phone questionnaires; sees no results.
        Operator = "operator",
    }
);

/// The code of an org or a survey point: 1–64 ASCII letters, digits, `-`, `_` or `.`.
///
/// Codes are typed by people (CSV imports, the CLI) and printed in QR links (`/q/<code>`), so
/// they stay within what a URL path and a spreadsheet carry unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code(String);

/// A string that is not a [`Code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} must be 1–64 letters, digits, '-', '_' or '.'")]
pub struct BadCode(pub String);

impl Code {
    /// Longest code, in bytes (all of them ASCII).
    pub const MAX_LEN: usize = 64;

    /// Parses a code.
    ///
    /// # Errors
    /// [`BadCode`] when it is empty, longer than [`Code::MAX_LEN`] or holds another character.
    pub fn parse(code: &str) -> Result<Self, BadCode> {
        Self::try_from(code.to_owned())
    }

    /// The code as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Code {
    type Error = BadCode;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        let ok = (1..=Self::MAX_LEN).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(Self(s))
        } else {
            Err(BadCode(s))
        }
    }
}

impl From<Code> for String {
    fn from(c: Code) -> Self {
        c.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Materialised path of an org in the tree: its ancestors' ids and its own, `/1/4/9/`.
///
/// A subtree is a prefix, and org paths never change once an org exists, so a path can be
/// carried in a token. Every "is this inside that scope" question is [`OrgPath::covers`]: the
/// one place the prefix rule is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgPath(String);

/// A string that is not an org path (`/<id>/…/`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an org path like /1/4/")]
pub struct BadOrgPath(pub String);

impl OrgPath {
    /// Parses `/1/4/9/`: a slash, then one or more decimal ids each followed by a slash.
    ///
    /// # Errors
    /// [`BadOrgPath`] for anything else (empty, missing slashes, non-digits).
    pub fn parse(path: &str) -> Result<Self, BadOrgPath> {
        Self::try_from(path.to_owned())
    }

    fn is_valid(path: &str) -> bool {
        path.len() >= 3
            && path.starts_with('/')
            && path.ends_with('/')
            && path[1..path.len() - 1]
                .split('/')
                .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    }

    /// Whether `other` is this org or lies below it.
    ///
    /// Segments end in `/`, so `/1/4/` covers `/1/4/9/` but not `/1/40/`.
    pub fn covers(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The ids of the orgs on the path, root first, this org last: the orgs whose subtree
    /// holds this one.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        // A parsed path holds only decimal ids; one too long for i64 (never issued) is skipped.
        self.0
            .split('/')
            .filter(|id| !id.is_empty())
            .filter_map(|id| id.parse().ok())
    }

    /// The path as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgPath {
    type Error = BadOrgPath;

    /// Keeps the string it is given: a path read from a row is not copied again.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if Self::is_valid(&s) {
            Ok(Self(s))
        } else {
            Err(BadOrgPath(s))
        }
    }
}

impl From<OrgPath> for String {
    fn from(p: OrgPath) -> Self {
        p.0
    }
}

impl std::fmt::Display for OrgPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> OrgPath {
        OrgPath::parse(s).unwrap()
    }

    #[test]
    fn a_path_covers_itself_and_its_subtree_only() {
        let p = path("/1/4/");
        assert!(p.covers(&path("/1/4/")));
        assert!(p.covers(&path("/1/4/9/")));
        assert!(!p.covers(&path("/1/")));
        assert!(!p.covers(&path("/1/40/")));
        assert!(!p.covers(&path("/2/4/")));
    }

    #[test]
    fn the_ids_run_from_the_root_to_the_org() {
        assert_eq!(path("/1/4/9/").ids().collect::<Vec<_>>(), [1, 4, 9]);
        assert_eq!(path("/12/").ids().collect::<Vec<_>>(), [12]);
    }

    #[test]
    fn codes_are_ascii_words_of_1_to_64_characters() {
        for good in ["mfc-kazan-1", "a", "P_1.2", &"x".repeat(64)] {
            assert_eq!(Code::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", "a b", "код", "a/b", &"x".repeat(65)] {
            assert!(Code::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(
            Code::parse("a b").unwrap_err().to_string(),
            "\"a b\" must be 1–64 letters, digits, '-', '_' or '.'"
        );
    }

    #[test]
    fn only_slash_separated_ids_parse() {
        for bad in ["", "/", "//", "1/4/", "/1/4", "/1//4/", "/a/", "/1/4/ "] {
            assert!(OrgPath::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(path("/12/345/").as_str(), "/12/345/");
    }
}
