//! НСИ words both officials' bundles use: the KPIs, the units of a duration, the methods a
//! target is set by, the life-situation and year pickers.

use otklik_shared::nsi::{Kpi, Method, TimeUnit};
use otklik_shared::review::Loss;

/// НСИ terms in one language.
#[derive(Debug)]
pub struct NsiTerms {
    /// The KPIs in `Kpi::ALL` order: share satisfied, NPS, process time.
    pub kpis: [&'static str; 3],
    /// The units in `TimeUnit::ALL` order: days, hours, minutes.
    pub units: [&'static str; 3],
    /// The methods in `Method::ALL` order: gap25, position, manual.
    pub methods: [&'static str; 3],
    /// The life-situation combobox.
    pub life_situation: &'static str,
    /// The year combobox or field.
    pub year: &'static str,
    /// A year as a value, `{year}`.
    pub year_value: &'static str,
    /// The lean losses in `Loss::ALL` order (the stage view's columns, a comment's tag).
    pub losses: [&'static str; 5],
}

impl NsiTerms {
    /// A KPI's name by its wire name; empty for one the interface does not know.
    pub fn kpi(&self, wire: &str) -> &'static str {
        Kpi::ALL
            .iter()
            .position(|k| k.as_str() == wire)
            .map_or("", |i| self.kpis[i])
    }

    /// A unit's name by its wire name; the wire name for one the interface does not know.
    pub fn unit(&self, wire: &str) -> String {
        TimeUnit::ALL
            .iter()
            .position(|u| u.as_str() == wire)
            .map_or_else(|| wire.to_owned(), |i| self.units[i].to_owned())
    }

    /// A loss's name.
    pub fn loss(&self, loss: Loss) -> &'static str {
        self.losses[Loss::ALL.iter().position(|l| *l == loss).unwrap_or(0)]
    }

    /// A method's name by its wire name; the wire name for one the interface does not know.
    pub fn method(&self, wire: &str) -> String {
        Method::ALL
            .iter()
            .position(|m| m.as_str() == wire)
            .map_or_else(|| wire.to_owned(), |i| self.methods[i].to_owned())
    }
}

/// Russian.
pub static RU: NsiTerms = NsiTerms {
    kpis: ["Доля удовлетворённых, %", "NPS", "Время процесса"],
    units: ["дни", "часы", "минуты"],
    methods: [
        "gap25: база + 25 % разрыва до ориентира",
        "по позиции региона",
        "вручную",
    ],
    life_situation: "Жизненная ситуация",
    year: "Год",
    year_value: "{year} год",
    losses: [
        "Ожидание",
        "Повторные действия",
        "Переделка",
        "Лишние усилия",
        "Лишние шаги",
    ],
};

/// English.
pub static EN: NsiTerms = NsiTerms {
    kpis: ["Share satisfied, %", "NPS", "Process time"],
    units: ["days", "hours", "minutes"],
    methods: [
        "gap25: baseline + 25 % of the gap to the benchmark",
        "by the region's position",
        "manual",
    ],
    life_situation: "Life situation",
    year: "Year",
    year_value: "{year}",
    losses: [
        "Waiting",
        "Duplicate actions",
        "Rework",
        "Excess effort",
        "Redundant steps",
    ],
};
