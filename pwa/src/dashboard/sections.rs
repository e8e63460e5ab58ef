//! The sections of the dashboard a role may open, from the shared permission table
//! (`otklik_shared::access`), so the client offers exactly what the server would allow.
//!
//! Only sections that exist are listed; a role with none of them (an operator, for now) gets a
//! home screen that says what it will find here, never a link to a page that is not built.

use otklik_shared::access::{allows, Action};
use otklik_shared::org::Role;

/// A part of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Results of the selected org: the scope tree, the period and the cards.
    Overview,
    // later: «Точки опроса» (ManagePoints), «Планшеты» (ListDevices), «Комментарии»
    // (ReadComments), «Чек-лист НОК» (EnterChecklists), «Ввод анкет» (UploadStaffChannels),
    // «Управление» (ManageOrgs/ManageUsers): each joins `ALL` with its action when it is built.
}

impl Section {
    /// Every section that exists, in menu order.
    pub const ALL: [Section; 1] = [Section::Overview];

    /// What the role must be allowed to open it.
    pub fn action(self) -> Action {
        match self {
            Section::Overview => Action::ReadResults,
        }
    }

    /// The sections `role` may open.
    pub fn for_role(role: Role) -> Vec<Section> {
        Self::ALL
            .into_iter()
            .filter(|s| allows(role, s.action()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_for_readers_and_nothing_for_operators() {
        for role in [Role::Admin, Role::Official, Role::Observer] {
            assert_eq!(Section::for_role(role), [Section::Overview], "{role}");
        }
        assert!(Section::for_role(Role::Operator).is_empty());
    }
}
