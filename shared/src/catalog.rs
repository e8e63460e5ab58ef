//! Built-in data shipped with Otklik: questionnaires, life situations, the НОК methodology.
//!
//! It lives in `shared/data/` as JSON so that wording can be corrected without touching code;
//! the server seeds its database from it on start, and admins correct it there. The files are
//! compiled in with `include_str!`, so the crate stays free of I/O and the PWA gets the same
//! data as the server. Every loader checks what it parses, so a broken data file is an error at
//! start-up (and in the tests), never a half-loaded catalogue.

use serde::{Deserialize, Serialize};

use crate::nok::NokMethodology;
use crate::org::Sector;
use crate::questionnaire::Questionnaire;

/// The built-in questionnaires as `(file name, contents)`; the name must be `<id>.v<version>.json`.
const QUESTIONNAIRES: [(&str, &str); 7] = [
    (
        "nsi-satisfaction.v1.json",
        include_str!("../data/questionnaires/nsi-satisfaction.v1.json"),
    ),
    (
        "nsi-core.v1.json",
        include_str!("../data/questionnaires/nsi-core.v1.json"),
    ),
    (
        "express.v1.json",
        include_str!("../data/questionnaires/express.v1.json"),
    ),
    (
        "nok-social.v1.json",
        include_str!("../data/questionnaires/nok-social.v1.json"),
    ),
    (
        "nok-health.v1.json",
        include_str!("../data/questionnaires/nok-health.v1.json"),
    ),
    (
        "nok-education.v1.json",
        include_str!("../data/questionnaires/nok-education.v1.json"),
    ),
    (
        "nok-culture.v1.json",
        include_str!("../data/questionnaires/nok-culture.v1.json"),
    ),
];

const LIFE_SITUATIONS: (&str, &str) = (
    "life_situations.json",
    include_str!("../data/life_situations.json"),
);

const NOK_METHODOLOGY: (&str, &str) = (
    "nok-methodology.v1.json",
    include_str!("../data/nok-methodology.v1.json"),
);

/// Why a built-in data file could not be loaded: a bug in the shipped data, caught by the tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The file is not valid JSON of the expected shape.
    #[error("built-in data file {file} does not parse: {message}")]
    Parse {
        /// The data file.
        file: &'static str,
        /// The parser's message (line and column included).
        message: String,
    },
    /// The file parses but contradicts itself (a failed `check`).
    #[error("built-in data file {file} is incoherent: {message}")]
    Invalid {
        /// The data file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}

fn parse<'a, T: Deserialize<'a>>((file, json): (&'static str, &'a str)) -> Result<T, CatalogError> {
    serde_json::from_str(json).map_err(|e| CatalogError::Parse {
        file,
        message: e.to_string(),
    })
}

fn invalid(file: &'static str, message: String) -> CatalogError {
    CatalogError::Invalid { file, message }
}

/// The built-in questionnaires (`nsi-satisfaction`, `nsi-core`, `express`, `nok-social`,
/// `nok-health`, `nok-education`, `nok-culture`), version 1 each, every one [checked].
///
/// [checked]: Questionnaire::check
///
/// # Errors
/// [`CatalogError`] when a file does not parse, fails its check or is not named after its id
/// and version.
pub fn builtin_questionnaires() -> Result<Vec<Questionnaire>, CatalogError> {
    QUESTIONNAIRES
        .into_iter()
        .map(|entry| {
            let file = entry.0;
            let q: Questionnaire = parse(entry)?;
            q.check().map_err(|e| invalid(file, e.0))?;
            if file != format!("{}.v{}.json", q.id, q.version) {
                return Err(invalid(
                    file,
                    format!("holds {} version {}", q.id, q.version),
                ));
            }
            Ok(q)
        })
        .collect()
}

/// One stage of a life situation («Регистрация», «Диагностика»…): survey points and comments
/// name it so results read along the person's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Stable code within the situation (`before`, `registration`…).
    pub code: String,
    /// Russian name.
    pub name: String,
}

/// A life situation (ЖС): a person's path from a need to its outcome across institutions.
///
/// Serialises exactly as an item of `GET /api/v1/life-situations` (`contract.md` §5), with
/// `null` for the target-model fields the sources do not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeSituation {
    /// Our slug (`job-via-employment-centre`).
    pub code: String,
    /// The official pilot number, shown as «ЖС-8».
    pub no: u32,
    /// The НСИ direction.
    pub direction: Sector,
    /// The name in the pilot deck.
    pub name: String,
    /// The target model's name in the НСИ recommendations, where there is one.
    pub model_name: Option<String>,
    /// The situation's boundary («от … до …»).
    pub boundary: Option<String>,
    /// Who goes through it.
    pub beneficiaries: Option<String>,
    /// The stages in path order.
    pub stages: Vec<Stage>,
}

impl LifeSituation {
    /// The stage with this code, if the situation has it (validates a point's `stage`).
    pub fn stage(&self, code: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.code == code)
    }

    /// The official label («ЖС-8» for number 8), shown next to the name in the UI and exports.
    pub fn label(&self) -> String {
        format!("ЖС-{}", self.no)
    }
}

/// The ten pilot life situations ЖС-1 … ЖС-10, in number order, with their seeded stages.
///
/// # Errors
/// [`CatalogError::Parse`] when the data file does not parse.
pub fn life_situations() -> Result<Vec<LifeSituation>, CatalogError> {
    parse(LIFE_SITUATIONS)
}

/// The НОК methodology table v1 with its default methods, [checked](NokMethodology::check).
///
/// # Errors
/// [`CatalogError`] when the file does not parse or fails its check.
pub fn nok_methodology() -> Result<NokMethodology, CatalogError> {
    let m: NokMethodology = parse(NOK_METHODOLOGY)?;
    m.check().map_err(|e| invalid(NOK_METHODOLOGY.0, e.0))?;
    Ok(m)
}

#[cfg(test)]
mod tests;
