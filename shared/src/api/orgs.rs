//! Replies of the org and point lists (`contract.md` §5 «Orgs, points, users») as their readers
//! decode them: the dashboard builds its scope tree from [`OrgsReply`] and finds the
//! questionnaires a subtree runs from [`PointsReply`]; the server writes and the dashboard's
//! management page reads staff accounts as [`User`].

use serde::{Deserialize, Serialize};

use crate::org::{OrgKind, Role, Sector, Settlement};

/// An org unit as the API shows it («Org» in the contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Org {
    /// Code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind; decides where it sits in the tree.
    pub kind: OrgKind,
    /// Parent's code; `null` at the root.
    pub parent: Option<String>,
    /// Sector, where one is set.
    pub sector: Option<Sector>,
    /// IANA time zone.
    pub tz: String,
    /// Urban or rural, where known.
    #[serde(default)]
    pub settlement: Option<Settlement>,
    /// bus.gov.ru id, where known.
    #[serde(default)]
    pub bus_gov_id: Option<String>,
}

/// The fields of an org as the API names them in errors (`details.field`), in the order of
/// [`Org`]: what the server reports and what the dashboard puts in words.
pub const ORG_FIELDS: [&str; 8] = [
    "code",
    "name",
    "kind",
    "parent",
    "sector",
    "tz",
    "settlement",
    "bus_gov_id",
];

/// Reply of `GET /api/v1/orgs`: the orgs in the caller's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgsReply {
    /// The orgs, parents before their children.
    pub orgs: Vec<Org>,
}

/// A survey point as `GET /api/v1/points?org=CODE` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Point code (the QR target).
    pub code: String,
    /// The org it belongs to.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Life situation code, if bound to one.
    pub life_situation: Option<String>,
    /// Stage code within the life situation.
    pub stage: Option<String>,
    /// What the QR code encodes: `<public-url>/q/<code>`.
    pub url: String,
}

/// Reply of `GET /api/v1/points?org=CODE`: the points of the org's subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsReply {
    /// The points.
    pub points: Vec<Point>,
}

/// A staff account as the API shows it: never the password or its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Scope org code (`null` for admins).
    pub scope: Option<String>,
    /// Whether the account may sign in.
    pub active: bool,
}

/// Reply of `GET /api/v1/users`: the accounts the caller may manage, by login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersReply {
    /// The accounts.
    pub users: Vec<User>,
}

/// Reply of `POST /api/v1/users` and `PATCH /api/v1/users/{login}`: the account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserReply {
    /// The account.
    pub user: User,
}

/// Reply of `POST /api/v1/orgs` and `PATCH /api/v1/orgs/{code}`: the org as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgReply {
    /// The org.
    pub org: Org,
}
