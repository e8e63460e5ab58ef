//! The org tree's vocabulary: kinds and how they nest, sectors, settlements, user roles.

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
        let ok = path.len() >= 3
            && path.starts_with('/')
            && path.ends_with('/')
            && path[1..path.len() - 1]
                .split('/')
                .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(Self(path.to_owned()))
        } else {
            Err(BadOrgPath(path.to_owned()))
        }
    }

    /// Whether `other` is this org or lies below it.
    ///
    /// Segments end in `/`, so `/1/4/` covers `/1/4/9/` but not `/1/40/`.
    pub fn covers(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The path as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgPath {
    type Error = BadOrgPath;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
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
    fn only_slash_separated_ids_parse() {
        for bad in ["", "/", "//", "1/4/", "/1/4", "/1//4/", "/a/", "/1/4/ "] {
            assert!(OrgPath::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(path("/12/345/").as_str(), "/12/345/");
    }
}
