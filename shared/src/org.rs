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

impl Role {
    /// Whether the role may read aggregated results.
    pub fn reads_results(self) -> bool {
        matches!(self, Role::Admin | Role::Official | Role::Observer)
    }

    /// Whether the role may key in staff channels (paper, phone, interview, observation).
    pub fn keys_in_responses(self) -> bool {
        matches!(self, Role::Admin | Role::Official | Role::Operator)
    }
}
