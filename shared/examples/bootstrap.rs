//! Times the НОК bootstrap of one institution: `cargo run --release -p otklik-shared --example
//! bootstrap [respondents]` (default 2,000) prints the median and worst of 21 runs of
//! B = 1,000 replicates (target: ≤ 50 ms for 2,000 respondents, `docs/benchmarks.md`).

use std::time::Instant;

use otklik_shared::catalog::{builtin_questionnaires, nok_methodology};
use otklik_shared::nok::bootstrap::{intervals, seed_of, Respondents, SplitMix64, REPLICATES};
use otklik_shared::nok::Checklist;
use otklik_shared::questionnaire::QuestionKind;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map_or(Ok(2_000), |a| a.parse())?;
    let m = nok_methodology()?;
    let q = builtin_questionnaires()?
        .into_iter()
        .find(|q| q.id == "nok-social")
        .ok_or("no nok-social")?;
    let checklist: Checklist = serde_json::from_str(
        r#"{"1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["phone", "email"], "2.1": ["waiting_zone"], "3.1": ["ramps"], "3.2": ["braille"]}"#,
    )?;
    // Every yes/no item answered «Да» with probability 0.8, a quarter of them skipped (the
    // filter's sub-populations).
    let items: Vec<&str> = q
        .questions
        .iter()
        .filter(|x| x.kind == QuestionKind::YesNo)
        .map(|x| x.id.as_str())
        .collect();
    let mut rng = SplitMix64::new(1);
    let mut respondents = Respondents::new(&q);
    for _ in 0..n {
        let mut answers: Vec<(&str, bool)> = Vec::new();
        for id in &items {
            if rng.below(4) > 0 {
                answers.push((id, rng.below(10) < 8));
            }
        }
        respondents.push(answers);
    }
    let mut times = Vec::new();
    for run in 0..21u64 {
        let start = Instant::now();
        let ci = intervals(
            &m,
            &q,
            &respondents,
            Some(&checklist),
            seed_of(&["bench", &run.to_string()]),
            REPLICATES,
        );
        times.push(start.elapsed());
        std::hint::black_box(ci);
    }
    times.sort();
    println!(
        "bootstrap, {n} respondents, B = {REPLICATES}: median {:.1} ms, worst {:.1} ms",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
    Ok(())
}
