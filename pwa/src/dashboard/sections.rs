//! The sections of the dashboard a role may open, from the shared permission table
//! (`otklik_shared::access`), so the client offers exactly what the server would allow.
//!
//! A section lives in the address's path (`/dashboard/<slug>`, the overview at `/dashboard`
//! itself), so it is bookmarked with the org and period the query holds. Only sections that
//! exist are listed; a role with none of them (an operator, until their sections exist) gets a
//! home screen that says what it will find here, never a link to a page that is not built.

use otklik_shared::access::{allows, Action};
use otklik_shared::org::Role;

/// A part of the dashboard. Adding one: a variant here (its slug, action and place in
/// [`Section::ALL`]), its name in the dashboard's strings (`section_names`), and its arm in
/// the workspace's dispatch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Section {
    /// Results of the selected org: the period, the cards and the charts.
    #[default]
    Overview,
    /// «Управление»: the selected org's details, orgs added under it one by one or from a
    /// CSV file, and the staff accounts of the scope.
    Manage,
}

impl Section {
    /// Every section that exists, in menu order.
    pub const ALL: &'static [Section] = &[Section::Overview, Section::Manage];

    /// The path segment after `/dashboard/` (the overview has none).
    pub fn slug(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Manage => "manage",
        }
    }

    /// The section a path segment names; `None` for one that does not exist.
    pub fn from_slug(slug: &str) -> Option<Section> {
        Self::ALL.iter().copied().find(|s| s.slug() == slug)
    }

    /// Its place in [`Section::ALL`] (and in the strings' `section_names`).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    /// What the role must be allowed to open it.
    pub fn action(self) -> Action {
        match self {
            Section::Overview => Action::ReadResults,
            Section::Manage => Action::ManageOrgs,
        }
    }

    /// Whether the section's content hangs off the org selected in the scope tree (so the
    /// tree is shown beside it).
    pub fn uses_tree(self) -> bool {
        match self {
            Section::Overview | Section::Manage => true,
        }
    }

    /// The sections `role` may open.
    pub fn for_role(role: Role) -> Vec<Section> {
        Self::ALL
            .iter()
            .copied()
            .filter(|s| allows(role, s.action()))
            .collect()
    }

    /// The section to show when the address asks for `wanted`: it if the role may open it,
    /// else the role's first; `None` when the role has none.
    pub fn shown(role: Role, wanted: Section) -> Option<Section> {
        let mine = Self::for_role(role);
        if mine.contains(&wanted) {
            Some(wanted)
        } else {
            mine.first().copied()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_for_readers_and_nothing_for_operators() {
        for role in [Role::Admin, Role::Official, Role::Observer] {
            assert!(
                Section::for_role(role).contains(&Section::Overview),
                "{role}"
            );
        }
        assert!(!Section::for_role(Role::Operator).contains(&Section::Overview));
        assert_eq!(
            Section::shown(Role::Observer, Section::Overview),
            Some(Section::Overview)
        );
    }

    #[test]
    fn management_for_officials_and_admins_only() {
        for role in [Role::Admin, Role::Official] {
            assert!(Section::for_role(role).contains(&Section::Manage), "{role}");
        }
        for role in [Role::Observer, Role::Operator] {
            assert!(
                !Section::for_role(role).contains(&Section::Manage),
                "{role}"
            );
        }
        // An observer's address of the page opens what they may read instead.
        assert_eq!(
            Section::shown(Role::Observer, Section::Manage),
            Some(Section::Overview)
        );
        assert_ne!(
            Section::shown(Role::Operator, Section::Manage),
            Some(Section::Manage)
        );
    }

    #[test]
    fn slugs_are_unique_and_round_trip() {
        for &section in Section::ALL {
            assert_eq!(Section::from_slug(section.slug()), Some(section));
            assert_eq!(Section::ALL[section.index()], section);
        }
        assert_eq!(Section::from_slug("no-such-section"), None);
    }
}
