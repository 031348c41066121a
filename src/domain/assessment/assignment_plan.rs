//! Assigning assessors by rule: for one exercise, give every participant `per_participant`
//! assessors, keeping the load balanced and (optionally) never letting anyone rate a participant
//! of their own unit.
//!
//! The rule, deterministic for the same input: participants are taken in the order given; for
//! each, the eligible assessors (not already assigned to that participant in this exercise, not
//! of the participant's unit when `exclude_same_unit`) are ordered by their current load (every
//! assignment they hold in the campaign, existing ones included), then by their position in the
//! assessor list, and the first ones needed are taken. A participant who cannot get enough
//! eligible assessors is reported, and the caller stores nothing.
use std::collections::BTreeMap;

/// A participant or assessor with the unit they belong to (if known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<K> {
    /// Who.
    pub key: K,
    /// Their unit; two units are the same when equal after trimming and ignoring case.
    pub unit: Option<String>,
}

/// A participant the rule could not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall<P> {
    /// The participant.
    pub participant: P,
    /// How many more assessors they needed than were eligible.
    pub missing: u32,
}

/// Whether two units are the same: both known, equal after trimming and ignoring case.
pub fn same_unit(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (a.trim(), b.trim());
            !a.is_empty() && a.to_lowercase() == b.to_lowercase()
        }
        _ => false,
    }
}

/// The new (participant, assessor) pairs for one exercise. `existing` lists the pairs already
/// held in this exercise (they count towards `per_participant`); `load` is each assessor's current
/// number of assignments in the campaign.
pub fn plan<P: Clone + Ord, A: Clone + Ord>(
    participants: &[Member<P>],
    assessors: &[Member<A>],
    existing: &[(P, A)],
    load: &BTreeMap<A, u32>,
    per_participant: u32,
    exclude_same_unit: bool,
) -> Result<Vec<(P, A)>, Vec<Shortfall<P>>> {
    let mut load: BTreeMap<A, u32> = assessors
        .iter()
        .map(|a| (a.key.clone(), load.get(&a.key).copied().unwrap_or(0)))
        .collect();
    let mut out = Vec::new();
    let mut short = Vec::new();
    for p in participants {
        let held: Vec<&A> = existing
            .iter()
            .filter(|(q, _)| *q == p.key)
            .map(|(_, a)| a)
            .collect();
        let need = per_participant.saturating_sub(held.len() as u32);
        if need == 0 {
            continue;
        }
        let mut eligible: Vec<(u32, usize, &Member<A>)> = assessors
            .iter()
            .enumerate()
            .filter(|(_, a)| !held.contains(&&a.key))
            .filter(|(_, a)| !(exclude_same_unit && same_unit(&a.unit, &p.unit)))
            .map(|(i, a)| (load[&a.key], i, a))
            .collect();
        eligible.sort_by_key(|(l, i, _)| (*l, *i));
        if (eligible.len() as u32) < need {
            short.push(Shortfall {
                participant: p.key.clone(),
                missing: need - eligible.len() as u32,
            });
            continue;
        }
        for (_, _, a) in eligible.into_iter().take(need as usize) {
            *load.entry(a.key.clone()).or_default() += 1;
            out.push((p.key.clone(), a.key.clone()));
        }
    }
    if short.is_empty() {
        Ok(out)
    } else {
        Err(short)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(key: u32, unit: Option<&str>) -> Member<u32> {
        Member {
            key,
            unit: unit.map(str::to_owned),
        }
    }

    #[test]
    fn six_participants_with_three_assessors_two_each_gives_every_assessor_four() {
        let ps: Vec<_> = (1..=6).map(|k| m(k, None)).collect();
        let ass = vec![m(100, None), m(101, None), m(102, None)];
        let pairs = plan(&ps, &ass, &[], &BTreeMap::new(), 2, true).unwrap();
        assert_eq!(pairs.len(), 12);
        for a in [100, 101, 102] {
            assert_eq!(pairs.iter().filter(|(_, x)| *x == a).count(), 4);
        }
        // The first participant gets the first two assessors; the second the least loaded.
        assert_eq!(&pairs[..4], &[(1, 100), (1, 101), (2, 102), (2, 100)]);
    }

    #[test]
    fn nobody_rates_a_participant_of_their_own_unit_whatever_the_case_or_spaces() {
        let ps = vec![m(1, Some("Dinas Kesehatan")), m(2, Some("BKPSDM"))];
        let ass = vec![
            m(100, Some(" dinas kesehatan")),
            m(101, Some("BKPSDM")),
            m(102, None),
        ];
        let pairs = plan(&ps, &ass, &[], &BTreeMap::new(), 2, true).unwrap();
        assert_eq!(pairs, vec![(1, 101), (1, 102), (2, 100), (2, 102)]);
    }

    #[test]
    fn existing_pairs_count_and_existing_load_steers_new_ones_elsewhere() {
        let ps = vec![m(1, None), m(2, None)];
        let ass = vec![m(100, None), m(101, None), m(102, None)];
        let load = BTreeMap::from([(100, 5), (101, 0), (102, 1)]);
        let pairs = plan(&ps, &ass, &[(1, 101)], &load, 2, false).unwrap();
        assert_eq!(pairs, vec![(1, 102), (2, 101), (2, 102)]);
    }

    #[test]
    fn a_participant_without_enough_eligible_assessors_is_reported_and_nothing_is_planned() {
        let ps = vec![m(1, Some("A")), m(2, Some("B"))];
        let ass = vec![m(100, Some("A")), m(101, Some("B"))];
        let short = plan(&ps, &ass, &[], &BTreeMap::new(), 2, true).unwrap_err();
        assert_eq!(
            short,
            vec![
                Shortfall {
                    participant: 1,
                    missing: 1
                },
                Shortfall {
                    participant: 2,
                    missing: 1
                }
            ]
        );
    }
}
