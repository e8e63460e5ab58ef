//! Replies of the org and point lists (`contract.md` §5 «Orgs, points, users») as their readers
//! decode them: the dashboard builds its scope tree from [`OrgsReply`] and finds the
//! questionnaires a subtree runs from [`PointsReply`].

use serde::{Deserialize, Serialize};

use crate::org::{OrgKind, Sector, Settlement};

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
