//! The yearly records HR imports for the synthetic participants, as the files HR would upload:
//! SKP ratings for the campaign's closing year and the year before (what the 9-box reads), and a
//! discipline record of the closing year for most of them. Pure: the same seed and people give
//! the same files.
use super::draw::Draw;
use super::people::Participant;
use crate::domain::discipline::DisciplineLevel;
use crate::domain::performance::{Expectation, Predicate};

/// Whether participant `number` has SKP ratings for the year before the closing year, for the
/// closing year: about one in thirteen has neither (HR has not imported them: the 9-box says
/// "no performance rating"), about one in eleven only the closing year's.
pub fn rated_years(number: u32) -> (bool, bool) {
    match (number % 13 == 7, number % 11 == 5) {
        (true, _) => (false, false),
        (false, true) => (false, true),
        (false, false) => (true, true),
    }
}

/// Whether participant `number` has a discipline record of the closing year (nine in ten).
pub fn has_discipline_record(number: u32) -> bool {
    number % 10 != 8
}

/// The predicate of an SKP from its two ratings, by the matrix of PermenPANRB 6/2022: behaviour
/// below expectation gives Kurang (Sangat Kurang with results below too); otherwise results below
/// give Butuh Perbaikan, both above Sangat Baik, and the rest Baik.
pub fn predicate(work_results: Expectation, work_behaviour: Expectation) -> Predicate {
    use Expectation::{Above, Below};
    match (work_results, work_behaviour) {
        (Below, Below) => Predicate::SangatKurang,
        (_, Below) => Predicate::Kurang,
        (Below, _) => Predicate::ButuhPerbaikan,
        (Above, Above) => Predicate::SangatBaik,
        _ => Predicate::Baik,
    }
}

fn expectation(z: f64, above: f64, below: f64) -> Expectation {
    if z >= above {
        Expectation::Above
    } else if z < below {
        Expectation::Below
    } else {
        Expectation::Meets
    }
}

fn words(e: Expectation) -> &'static str {
    match e {
        Expectation::Above => "di atas ekspektasi",
        Expectation::Meets => "sesuai ekspektasi",
        Expectation::Below => "di bawah ekspektasi",
    }
}

/// The SKP file (`nip,year,rating,work_results,work_behaviour`) of `people` for the years
/// `closing_year - 1` and `closing_year`. Each year's two ratings are drawn from the person's
/// latent performance plus that year's luck, so most are rated Baik, about one in six Sangat
/// Baik, and a few Butuh Perbaikan or worse.
pub fn skp_csv(seed: u64, people: &[Participant], closing_year: i32) -> String {
    let mut csv = String::from("nip,year,rating,work_results,work_behaviour\n");
    for p in people {
        let (before, closing) = rated_years(p.number);
        for (year, rated) in [(closing_year - 1, before), (closing_year, closing)] {
            if !rated {
                continue;
            }
            let mut d = Draw::new(seed, &format!("skp:{}:{year}", p.number));
            let perf = p.latent.performance;
            let results = expectation(0.75 * perf + 0.66 * d.normal(), 0.5, -1.8);
            let behaviour = expectation(0.6 * perf + 0.8 * d.normal(), 0.5, -2.0);
            csv.push_str(&format!(
                "{},{year},{},{},{}\n",
                p.id.nip,
                predicate(results, behaviour).label(),
                words(results),
                words(behaviour)
            ));
        }
    }
    csv
}

/// The discipline file (`nip,year,level,note`) of `people` for `closing_year`: mostly no
/// penalty, a few light ones, rarely a moderate or heavy one.
pub fn discipline_csv(seed: u64, people: &[Participant], closing_year: i32) -> String {
    let mut csv = String::from("nip,year,level,note\n");
    for p in people.iter().filter(|p| has_discipline_record(p.number)) {
        let mut d = Draw::new(seed, &format!("discipline:{}:{closing_year}", p.number));
        let level = *d.weighted(&[
            (DisciplineLevel::None, 186),
            (DisciplineLevel::Light, 10),
            (DisciplineLevel::Moderate, 3),
            (DisciplineLevel::Heavy, 1),
        ]);
        let note = match level {
            DisciplineLevel::None => "",
            _ => "data sintetis (demo)",
        };
        csv.push_str(&format!(
            "{},{closing_year},{},{note}\n",
            p.id.nip,
            level.as_str()
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::super::draw::DEMO_SEED;
    use super::super::people::roster;
    use super::*;
    use crate::domain::discipline::parse_discipline;
    use crate::domain::performance::parse_ratings;
    use std::collections::BTreeMap;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn the_matrix_gives_each_predicate_from_the_two_ratings() {
        use Expectation::{Above, Below, Meets};
        assert_eq!(predicate(Above, Above), Predicate::SangatBaik);
        assert_eq!(predicate(Above, Meets), Predicate::Baik);
        assert_eq!(predicate(Meets, Above), Predicate::Baik);
        assert_eq!(predicate(Meets, Meets), Predicate::Baik);
        assert_eq!(predicate(Below, Above), Predicate::ButuhPerbaikan);
        assert_eq!(predicate(Below, Meets), Predicate::ButuhPerbaikan);
        assert_eq!(predicate(Above, Below), Predicate::Kurang);
        assert_eq!(predicate(Meets, Below), Predicate::Kurang);
        assert_eq!(predicate(Below, Below), Predicate::SangatKurang);
    }

    #[test]
    fn the_skp_file_imports_whole_with_a_realistic_spread_and_gaps() {
        let people = roster(DEMO_SEED, 200);
        let rows = parse_ratings(skp_csv(DEMO_SEED, &people, 2026).as_bytes(), today())
            .unwrap_or_else(|e| panic!("{:?}", e.first()));
        let unrated = people
            .iter()
            .filter(|p| !rows.iter().any(|r| r.nip.as_str() == p.id.nip))
            .count();
        assert_eq!(
            unrated,
            people
                .iter()
                .filter(|p| rated_years(p.number) == (false, false))
                .count()
        );
        assert!((10..=20).contains(&unrated), "{unrated} without any rating");
        let only_closing = people
            .iter()
            .filter(|p| {
                let years: Vec<i32> = rows
                    .iter()
                    .filter(|r| r.nip.as_str() == p.id.nip)
                    .map(|r| r.year.value())
                    .collect();
                years == [2026]
            })
            .count();
        assert!(
            only_closing >= 10,
            "{only_closing} rated for the closing year only"
        );
        let mut by: BTreeMap<Predicate, usize> = BTreeMap::new();
        for r in &rows {
            *by.entry(r.rating.predicate).or_default() += 1;
        }
        let share = |p| by.get(&p).copied().unwrap_or(0) as f64 / rows.len() as f64;
        assert!(share(Predicate::Baik) > 0.55, "{by:?}");
        assert!(
            (0.08..0.3).contains(&share(Predicate::SangatBaik)),
            "{by:?}"
        );
        assert!(share(Predicate::ButuhPerbaikan) > 0.0, "{by:?}");
        assert!(rows
            .iter()
            .all(|r| r.rating.work_results.is_some() && r.rating.work_behaviour.is_some()));
    }

    #[test]
    fn the_discipline_file_imports_whole_for_nine_in_ten_mostly_without_penalty() {
        let people = roster(DEMO_SEED, 200);
        let rows = parse_discipline(discipline_csv(DEMO_SEED, &people, 2026).as_bytes(), today())
            .unwrap_or_else(|e| panic!("{:?}", e.first()));
        assert_eq!(rows.len(), 180);
        let clean = rows
            .iter()
            .filter(|r| r.record.level == DisciplineLevel::None)
            .count();
        assert!(
            (160..180).contains(&clean),
            "{clean} of 180 without penalty"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_files() {
        let people = roster(3, 40);
        assert_eq!(skp_csv(3, &people, 2026), skp_csv(3, &people, 2026));
        assert_eq!(
            discipline_csv(3, &people, 2026),
            discipline_csv(3, &people, 2026)
        );
        assert_ne!(skp_csv(3, &people, 2026), skp_csv(4, &people, 2026));
    }
}
