//! Who may do what: the one permission table, `Role × Action → allowed`, and the scope rule.
//!
//! Every authorisation decision of the server goes through [`check`]: the role must be allowed
//! the action by [`allows`], and the target org must lie inside the caller's [`Scope`]. Nothing
//! else in the code base matches on a role to decide access, so the table below *is* the policy
//! (`domain.md` §7); its unit test prints and checks every cell. The dashboard uses the same
//! table to show only the controls a role may use.

use serde::{Deserialize, Serialize};

use crate::answer::Channel;
use crate::org::{OrgPath, Role};

/// Something a staff member may be allowed to do, always on an org (and its subtree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read aggregated figures: `/stats`, trends, rankings, exports of figures.
    ReadResults,
    /// List the org tree in one's scope (to choose what to read or manage).
    ListOrgs,
    /// List the survey points in one's scope: operators need their institution's points for
    /// kiosks and keyed-in paper; observers read results only.
    ListPoints,
    /// Read citizens' comments and free-text answers (masked before they leave the server).
    ReadComments,
    /// Take up citizens' comments: tag them with a stage and a lean loss, move them new →
    /// «принято в работу» → «сделано» with a public answer, and record improvement measures.
    /// Both are published on the institution's public page (`/r/<org>`) in its name, so only
    /// those who answer for the institution do it: officials and admins, not observers (who
    /// read only) nor operators (who see no results).
    ReviewComments,
    /// Read what identifies a person: who keyed in a paper batch, staff logins.
    ReadPersonalData,
    /// Create and edit orgs below one's scope.
    ManageOrgs,
    /// Create and edit survey points, print their posters.
    ManagePoints,
    /// Create, disable and list staff accounts in one's scope.
    ManageUsers,
    /// Grant the admin role (create an admin account).
    GrantAdmin,
    /// Enter НОК checklists (K1–K3 inputs).
    EnterChecklists,
    /// Enter НСИ targets and process-time measurements.
    EnterTargets,
    /// Mint kiosk enrolment codes.
    EnrolDevices,
    /// List the kiosk fleet with its sequence gaps.
    ListDevices,
    /// Revoke a kiosk's token.
    RevokeDevices,
    /// Key in staff channels (paper, phone, interview) and upload a kiosk's exported queue.
    UploadStaffChannels,
    /// Record expert walk-throughs («контрольная закупка», channel `observation`), and list
    /// the points of one's scope to record them at: the expert group's one write.
    RecordObservations,
    /// Publish a new version of a questionnaire (the catalog is shared by every region, so an
    /// administrator's task).
    PublishQuestionnaires,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: &'static [Action] = &[
        Action::ReadResults,
        Action::ListOrgs,
        Action::ListPoints,
        Action::ReadComments,
        Action::ReviewComments,
        Action::ReadPersonalData,
        Action::ManageOrgs,
        Action::ManagePoints,
        Action::ManageUsers,
        Action::GrantAdmin,
        Action::EnterChecklists,
        Action::EnterTargets,
        Action::EnrolDevices,
        Action::ListDevices,
        Action::RevokeDevices,
        Action::UploadStaffChannels,
        Action::RecordObservations,
        Action::PublishQuestionnaires,
    ];

    /// What a person is told when their role may not do this.
    pub fn refusal(self) -> &'static str {
        match self {
            Action::ReadResults => "this role does not read results",
            Action::ListOrgs => "this role does not list orgs",
            Action::ListPoints => "this role does not list survey points",
            Action::ReadComments => "this role does not read comments",
            Action::ReviewComments => "this role does not review comments",
            Action::ReadPersonalData => "this role does not see personal data",
            Action::ManageOrgs => "this role does not manage orgs",
            Action::ManagePoints => "this role does not manage survey points",
            Action::ManageUsers => "this role does not manage users",
            Action::GrantAdmin => "only an admin creates admins",
            Action::EnterChecklists => "this role does not enter НОК checklists",
            Action::EnterTargets => "this role does not enter targets",
            Action::EnrolDevices => "this role does not enrol devices",
            Action::ListDevices => "this role does not manage devices",
            Action::RevokeDevices => "only officials and admins revoke devices",
            Action::UploadStaffChannels => "this role does not key in responses",
            Action::RecordObservations => "this role does not record walk-throughs",
            Action::PublishQuestionnaires => "only an admin publishes questionnaires",
        }
    }
}

/// The permission table: whether `role` may perform `action` (inside its scope).
///
/// - admin: everything, everywhere;
/// - official: everything but granting admin and publishing questionnaires, within a subtree;
/// - observer: results and (masked) comments only, and the org tree to choose them by — no
///   personal data, no management, no point list — and, as a member of the expert group, the
///   walk-throughs they make (`domain.md` §4);
/// - operator: kiosks and keyed-in paper, phone and interview questionnaires, the orgs and
///   points they run them at; no results, no comments, no walk-throughs (§7 gives them paper
///   and phone; a walk-through is the experts' and officials' research channel).
pub const fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Official => !matches!(action, GrantAdmin | PublishQuestionnaires),
        Role::Observer => matches!(
            action,
            ReadResults | ReadComments | ListOrgs | RecordObservations
        ),
        Role::Operator => matches!(
            action,
            ListOrgs | ListPoints | EnrolDevices | ListDevices | UploadStaffChannels
        ),
    }
}

/// The action that lets a person key in a response on `channel`: a walk-through
/// (`observation`) is [`Action::RecordObservations`], every other staff channel
/// [`Action::UploadStaffChannels`]. The server's ingest and the entry page's channel list
/// both ask this, so they offer and accept the same.
pub const fn action_to_key(channel: Channel) -> Action {
    match channel {
        Channel::Observation => Action::RecordObservations,
        _ => Action::UploadStaffChannels,
    }
}

/// Whether `role` keys in any staff channel ([`action_to_key`]): who gets «Ввод анкет» and
/// whose token uploads what was keyed in.
pub fn keys_in(role: Role) -> bool {
    Channel::ALL
        .into_iter()
        .any(|c| c.needs_staff() && allows(role, action_to_key(c)))
}

/// Whether the role is bound to an org subtree (every role but admin): an account of such a
/// role needs a scope org, and a token of it carries the scope's path.
pub const fn is_scoped(role: Role) -> bool {
    !matches!(role, Role::Admin)
}

/// What part of the org tree a caller acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole tree (admins).
    Everything,
    /// One org and everything below it.
    Subtree(OrgPath),
}

impl Scope {
    /// Whether the org at `path` lies inside this scope.
    pub fn covers(&self, path: &OrgPath) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Subtree(root) => root.covers(path),
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The role may not do this anywhere (403 `forbidden`).
    #[error("{}", .0.refusal())]
    Role(Action),
    /// The role may, but not on this org (403 `out_of_scope`).
    #[error("outside your scope")]
    OutOfScope,
}

/// The one authorisation check: `role` may do `action` on the org at `target` from `scope`.
///
/// # Errors
/// [`Denied::Role`] when the table refuses the role, else [`Denied::OutOfScope`] when the
/// target is outside the scope.
pub fn check(role: Role, scope: &Scope, action: Action, target: &OrgPath) -> Result<(), Denied> {
    if !allows(role, action) {
        return Err(Denied::Role(action));
    }
    if !scope.covers(target) {
        return Err(Denied::OutOfScope);
    }
    Ok(())
}

/// The check for what belongs to no org (creating a region, granting admin): the role must be
/// allowed `action` and the scope must be the whole tree.
///
/// # Errors
/// As [`check`].
pub fn check_everywhere(role: Role, scope: &Scope, action: Action) -> Result<(), Denied> {
    if !allows(role, action) {
        return Err(Denied::Role(action));
    }
    match scope {
        Scope::Everything => Ok(()),
        Scope::Subtree(_) => Err(Denied::OutOfScope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix as `domain.md` §7 states it, one line per action:
    /// admin, official, observer, operator. Changing a cell of [`allows`] fails here.
    const EXPECTED: &[(Action, [bool; 4])] = &[
        (Action::ReadResults, [true, true, true, false]),
        (Action::ListOrgs, [true, true, true, true]),
        (Action::ListPoints, [true, true, false, true]),
        (Action::ReadComments, [true, true, true, false]),
        (Action::ReviewComments, [true, true, false, false]),
        (Action::ReadPersonalData, [true, true, false, false]),
        (Action::ManageOrgs, [true, true, false, false]),
        (Action::ManagePoints, [true, true, false, false]),
        (Action::ManageUsers, [true, true, false, false]),
        (Action::GrantAdmin, [true, false, false, false]),
        (Action::EnterChecklists, [true, true, false, false]),
        (Action::EnterTargets, [true, true, false, false]),
        (Action::EnrolDevices, [true, true, false, true]),
        (Action::ListDevices, [true, true, false, true]),
        (Action::RevokeDevices, [true, true, false, false]),
        (Action::UploadStaffChannels, [true, true, false, true]),
        (Action::RecordObservations, [true, true, true, false]),
        (Action::PublishQuestionnaires, [true, false, false, false]),
    ];

    const ROLES: [Role; 4] = [Role::Admin, Role::Official, Role::Observer, Role::Operator];

    fn matrix() -> String {
        let mut out = format!("{:<22}", "");
        for role in ROLES {
            out += &format!("{:>10}", role.as_str());
        }
        for &action in Action::ALL {
            out += &format!("\n{:<22}", format!("{action:?}"));
            for role in ROLES {
                out += &format!("{:>10}", if allows(role, action) { "yes" } else { "—" });
            }
        }
        out
    }

    #[test]
    fn the_permission_matrix_is_the_one_of_domain_section_7() {
        println!("{}", matrix());
        assert_eq!(EXPECTED.len(), Action::ALL.len(), "every action has a row");
        for &(action, row) in EXPECTED {
            for (role, want) in ROLES.into_iter().zip(row) {
                assert_eq!(
                    allows(role, action),
                    want,
                    "{} × {action:?}\n{}",
                    role.as_str(),
                    matrix()
                );
            }
        }
    }

    #[test]
    fn walk_throughs_are_the_experts_and_officials_and_paper_is_not_the_experts() {
        let key = |role, channel| allows(role, action_to_key(channel));
        for role in [Role::Admin, Role::Official, Role::Observer] {
            assert!(key(role, Channel::Observation), "{}", role.as_str());
        }
        assert!(!key(Role::Operator, Channel::Observation));
        for channel in [Channel::Paper, Channel::Phone, Channel::Interview] {
            assert!(key(Role::Operator, channel));
            assert!(!key(Role::Observer, channel), "{}", channel.as_str());
        }
        for role in ROLES {
            assert!(keys_in(role), "every staff role keys something in");
        }
    }

    #[test]
    fn every_role_but_admin_is_scoped() {
        for role in ROLES {
            assert_eq!(is_scoped(role), role != Role::Admin, "{}", role.as_str());
        }
    }

    #[test]
    fn observers_read_results_but_no_personal_data_and_operators_no_results() {
        assert!(allows(Role::Observer, Action::ReadResults));
        assert!(!allows(Role::Observer, Action::ReadPersonalData));
        assert!(!allows(Role::Operator, Action::ReadResults));
        assert!(!allows(Role::Operator, Action::ReadComments));
        assert!(!allows(Role::Observer, Action::ReviewComments));
    }

    #[test]
    fn a_role_refusal_comes_before_the_scope_and_scope_is_a_subtree() {
        let region = OrgPath::parse("/1/").unwrap();
        let inside = OrgPath::parse("/1/7/").unwrap();
        let other = OrgPath::parse("/2/").unwrap();
        let scope = Scope::Subtree(region);
        assert_eq!(
            check(Role::Official, &scope, Action::ReadResults, &inside),
            Ok(())
        );
        assert_eq!(
            check(Role::Official, &scope, Action::ReadResults, &other),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            check(Role::Operator, &scope, Action::ReadResults, &other),
            Err(Denied::Role(Action::ReadResults))
        );
        assert_eq!(
            check(Role::Admin, &Scope::Everything, Action::GrantAdmin, &other),
            Ok(())
        );
    }

    #[test]
    fn what_belongs_to_no_org_needs_the_whole_tree() {
        let region = Scope::Subtree(OrgPath::parse("/1/").unwrap());
        assert_eq!(
            check_everywhere(Role::Official, &region, Action::ManageOrgs),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            check_everywhere(Role::Official, &region, Action::GrantAdmin),
            Err(Denied::Role(Action::GrantAdmin))
        );
        assert_eq!(
            check_everywhere(Role::Admin, &Scope::Everything, Action::GrantAdmin),
            Ok(())
        );
    }
}
