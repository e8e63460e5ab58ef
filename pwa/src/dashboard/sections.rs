//! The sections of the dashboard a role may open, from the shared permission table
//! (`otklik_shared::access`), so the client offers exactly what the server would allow.
//!
//! A section lives in the address's path (`/dashboard/<slug>`, the overview at `/dashboard`
//! itself), so it is bookmarked with the org and period the query holds. Every role has at
//! least one section: an operator's first is «Ввод анкет», a reader's the overview.

use otklik_shared::access::{allows, keys_in, Action};
use otklik_shared::org::Role;

/// A part of the dashboard. Adding one: a variant here (its slug, action and place in
/// [`Section::ALL`]), its name in the dashboard's strings (`section_names`), and its arm in
/// the workspace's dispatch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Section {
    /// Results of the selected org: the period, the cards and the charts.
    #[default]
    Overview,
    /// The institutions below the selected org ranked by one figure, in tied groups.
    Ranking,
    /// An institution's НОК figures (1.1–5.3, K1–K5, Sn) and its expert checklist form.
    Nok,
    /// «НСИ»: a life situation's quarterly НСИ report against its baseline, target and
    /// benchmark, its problem stages, and the region-wide summary of every situation.
    Nsi,
    /// The masked feed of citizens' comments.
    Comments,
    /// «Наблюдение»: the expert walk-throughs' figures and batches, apart from citizens'.
    Observation,
    /// «Ввод анкет»: keying in paper, phone and interview questionnaires, and walk-throughs.
    Entry,
    /// «Точки опроса»: the selected subtree's survey points, their QR codes and posters, and
    /// adding one.
    Points,
    /// «Планшеты»: the selected subtree's kiosks with their `seq` gaps, revoking one, and
    /// enrolment codes.
    Devices,
    /// «Управление»: the selected org's details, orgs added under it one by one or from a
    /// CSV file, and the staff accounts of the scope.
    Manage,
    /// «Данные НСИ»: approved targets, baselines (with their versions) and process-time
    /// measurements entered for a life situation.
    NsiData,
}

/// The officials' bundles ([`Section::in_this_bundle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bundle {
    /// `dashboard`: figures of the selected org.
    Results,
    /// `nsi`: the НСИ report, its data entry and the comment loop.
    Nsi,
    /// `desk`: keying in, points, tablets, management.
    Desk,
}

impl Section {
    /// Every section that exists, in menu order.
    pub const ALL: &'static [Section] = &[
        Section::Overview,
        Section::Ranking,
        Section::Nok,
        Section::Nsi,
        Section::Comments,
        Section::Observation,
        Section::Entry,
        Section::Points,
        Section::Devices,
        Section::Manage,
        Section::NsiData,
    ];

    /// The path segment after `/dashboard/` (the overview has none).
    pub fn slug(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Ranking => "ranking",
            Section::Nok => "nok",
            Section::Comments => "comments",
            Section::Observation => "observation",
            Section::Points => "points",
            Section::Devices => "devices",
            Section::Entry => "entry",
            Section::Manage => "manage",
            Section::Nsi => "nsi",
            Section::NsiData => "nsi-data",
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

    /// What the role must be allowed to open it (for «Ввод анкет», see [`Section::open_to`]).
    pub fn action(self) -> Action {
        match self {
            Section::Overview
            | Section::Ranking
            | Section::Nok
            | Section::Observation
            | Section::Nsi => Action::ReadResults,
            Section::NsiData => Action::EnterTargets,
            Section::Comments => Action::ReadComments,
            Section::Points => Action::ListPoints,
            Section::Devices => Action::ListDevices,
            Section::Entry => Action::UploadStaffChannels,
            Section::Manage => Action::ManageOrgs,
        }
    }

    /// Whether the section's content hangs off the org selected in the scope tree (so the
    /// tree is shown beside it).
    pub fn uses_tree(self) -> bool {
        match self {
            Section::Overview
            | Section::Ranking
            | Section::Nok
            | Section::Nsi
            | Section::NsiData
            | Section::Comments
            | Section::Observation
            | Section::Points
            | Section::Devices
            | Section::Manage => true,
            // Its points come from the whole scope, listed by institution in «Точка».
            Section::Entry => false,
        }
    }

    /// Whether this build serves the section. The officials' sections are three bundles, so
    /// that none carries another's code and each stays within the first-visit budget: the
    /// results (`dashboard`), НСИ and the comment loop (`nsi`), and the work (`desk`). The boot
    /// script starts the `nsi` and `desk` bundles for exactly their sections' paths (`NSI_PATH`
    /// and `DESK_PATH` in `pwa/tools/postbuild.mjs`; a test below holds them together).
    pub fn in_this_bundle(self) -> bool {
        match self.bundle() {
            Bundle::Results => cfg!(feature = "dashboard"),
            Bundle::Nsi => cfg!(feature = "nsi"),
            Bundle::Desk => cfg!(feature = "desk"),
        }
    }

    /// The officials' bundle that serves the section.
    fn bundle(self) -> Bundle {
        match self {
            Section::Overview | Section::Ranking | Section::Nok | Section::Observation => {
                Bundle::Results
            }
            Section::Nsi | Section::Comments | Section::NsiData => Bundle::Nsi,
            Section::Entry | Section::Points | Section::Devices | Section::Manage => Bundle::Desk,
        }
    }

    /// The sections `role` may open.
    pub fn for_role(role: Role) -> Vec<Section> {
        Self::ALL
            .iter()
            .copied()
            .filter(|s| s.open_to(role))
            .collect()
    }

    /// Whether `role` may open the section: the table allows its action; «Ввод анкет» opens
    /// for any channel the role keys in (paper for an operator, walk-throughs for an observer).
    fn open_to(self, role: Role) -> bool {
        match self {
            Section::Entry => keys_in(role),
            _ => allows(role, self.action()),
        }
    }

    /// The section to show when the address asks for `wanted`: it if the role may open it,
    /// else the role's first (every role has one: a test holds it).
    pub fn shown(role: Role, wanted: Section) -> Section {
        let mine = Self::for_role(role);
        if mine.contains(&wanted) {
            wanted
        } else {
            mine.first().copied().unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_for_every_role_that_keys_in_observers_walk_throughs_included() {
        for &role in Role::ALL {
            assert!(Section::for_role(role).contains(&Section::Entry), "{role}");
        }
        assert_eq!(
            Section::shown(Role::Operator, Section::Overview),
            Section::Entry,
            "an operator's bookmark of the overview opens their first section"
        );
        assert_eq!(
            Section::shown(Role::Observer, Section::Entry),
            Section::Entry
        );
        // Their first section is still the results they read.
        assert_eq!(Section::for_role(Role::Observer)[0], Section::Overview);
    }

    #[test]
    fn observation_for_readers_of_results_and_not_for_operators() {
        for role in [Role::Admin, Role::Official, Role::Observer] {
            assert!(
                Section::for_role(role).contains(&Section::Observation),
                "{role}"
            );
        }
        assert!(!Section::for_role(Role::Operator).contains(&Section::Observation));
        assert_eq!(
            Section::shown(Role::Operator, Section::Observation),
            Section::Entry
        );
        assert_eq!(Section::Observation.bundle(), Bundle::Results);
    }

    #[test]
    fn results_for_readers_and_nothing_for_operators() {
        let results = [
            Section::Overview,
            Section::Ranking,
            Section::Nok,
            Section::Nsi,
            Section::Comments,
        ];
        for role in [Role::Admin, Role::Official, Role::Observer] {
            for section in results {
                assert!(Section::for_role(role).contains(&section), "{role}");
            }
        }
        for section in results {
            assert!(!Section::for_role(Role::Operator).contains(&section));
        }
        assert_eq!(
            Section::shown(Role::Observer, Section::Overview),
            Section::Overview
        );
    }

    #[test]
    fn operators_get_entry_points_and_tablets_and_observers_neither() {
        assert_eq!(
            Section::for_role(Role::Operator),
            [Section::Entry, Section::Points, Section::Devices]
        );
        assert_eq!(
            Section::for_role(Role::Observer),
            [
                Section::Overview,
                Section::Ranking,
                Section::Nok,
                Section::Nsi,
                Section::Comments,
                Section::Observation,
                Section::Entry
            ]
        );
        assert!(!Section::for_role(Role::Observer).contains(&Section::Points));
        assert!(!Section::for_role(Role::Observer).contains(&Section::Devices));
        assert_eq!(Section::for_role(Role::Official), Section::ALL);
    }

    #[test]
    fn every_role_has_a_section() {
        for &role in Role::ALL {
            assert!(!Section::for_role(role).is_empty(), "{role}");
        }
    }

    #[test]
    fn nsi_data_for_those_who_enter_targets_only() {
        for role in [Role::Admin, Role::Official] {
            assert!(
                Section::for_role(role).contains(&Section::NsiData),
                "{role}"
            );
        }
        for role in [Role::Observer, Role::Operator] {
            assert!(
                !Section::for_role(role).contains(&Section::NsiData),
                "{role}"
            );
        }
        assert_eq!(
            Section::shown(Role::Observer, Section::NsiData),
            Section::Overview
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
            Section::Overview
        );
        assert_ne!(
            Section::shown(Role::Operator, Section::Manage),
            Section::Manage
        );
    }

    #[test]
    fn the_boot_script_starts_the_nsi_and_desk_bundles_for_exactly_their_sections() {
        let postbuild = include_str!("../../tools/postbuild.mjs");
        for (name, bundle) in [("DESK_PATH", Bundle::Desk), ("NSI_PATH", Bundle::Nsi)] {
            let prefix = format!("const {name} = /^\\/dashboard\\/(");
            let rule = postbuild
                .lines()
                .find_map(|l| l.strip_prefix(prefix.as_str()))
                .unwrap_or_else(|| panic!("postbuild.mjs has a {name} rule"));
            let slugs: Vec<&str> = rule
                .split_once(')')
                .expect("the rule's slugs in one group")
                .0
                .split('|')
                .collect();
            let served: Vec<&str> = Section::ALL
                .iter()
                .filter(|s| s.bundle() == bundle)
                .map(|s| s.slug())
                .collect();
            assert_eq!(slugs, served, "{name}");
        }
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
