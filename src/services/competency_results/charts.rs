//! The distributions the results page draws: the JPM distribution, the average competency profile
//! against the standard, and a histogram of every scale's scores. Counted here so that a page
//! never needs ten thousand rows to draw a chart.
use std::collections::BTreeMap;

use serde::Serialize;

use super::{CampaignCompetencies, Computed};
use crate::domain::competency::jpm::JpmResult;

/// One bar of a histogram: values from `from` (inclusive) to `to` (exclusive); an open end has
/// no bound.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Bin {
    /// Lower bound, inclusive; none for the first bar of an open-ended histogram.
    pub from: Option<f64>,
    /// Upper bound, exclusive; none for the last bar.
    pub to: Option<f64>,
    /// Values in the bar.
    pub count: usize,
}

/// The mean achieved and required level of one competency over the participants whose standard
/// requires it and who have a level in it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProfilePoint {
    /// Competency code.
    pub competency: String,
    /// Participants counted.
    pub assessed: usize,
    /// Mean achieved level (2 decimals).
    pub mean_achieved: f64,
    /// Mean required level (2 decimals).
    pub mean_required: f64,
    /// Of them, below standard.
    pub below: usize,
}

/// The distribution of one scale's scores: T scores where the scale has a norm table, raw scores
/// otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScaleHistogram {
    /// Instrument code.
    pub instrument: String,
    /// Scale code.
    pub scale: String,
    /// `t` or `raw`.
    pub score: String,
    /// Scores counted.
    pub n: usize,
    /// Their mean (2 decimals).
    pub mean: Option<f64>,
    /// The bars.
    pub bins: Vec<Bin>,
}

/// Everything the summary charts draw.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CompetencyCharts {
    /// Complete JPMs in bars of 10 points: 0–10, …, 80–90, and 90 and above.
    pub jpm_distribution: Vec<Bin>,
    /// Per competency of the evidence mapping, in its order.
    pub profile: Vec<ProfilePoint>,
    /// Per scale, in instrument and scale order.
    pub scales: Vec<ScaleHistogram>,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Counts `values` into bars of `width` starting at `first`; the first bar is open below when
/// `open_below`, the last (`count`-th) is open above.
fn histogram(values: &[f64], first: f64, width: f64, count: usize, open_below: bool) -> Vec<Bin> {
    let mut bins: Vec<Bin> = (0..count)
        .map(|i| Bin {
            from: (i > 0 || !open_below).then_some(first + width * i as f64),
            to: (i + 1 < count).then(|| first + width * (i + 1) as f64),
            count: 0,
        })
        .collect();
    for &v in values {
        let i = ((v - first) / width).floor();
        let i = if i.is_nan() || i < 0.0 {
            0
        } else {
            (i as usize).min(count - 1)
        };
        bins[i].count += 1;
    }
    bins
}

/// Ten equal bars from the lowest to the highest raw score (one bar when all are equal).
fn raw_histogram(values: &[f64]) -> Vec<Bin> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi <= lo || hi.is_nan() || lo.is_nan() {
        return vec![Bin {
            from: Some(lo),
            to: None,
            count: values.len(),
        }];
    }
    let width = (hi - lo) / 10.0;
    let mut bins = histogram(values, lo, width, 10, false);
    // The highest score belongs to the last bar, which is closed at the top here.
    if let Some(last) = bins.last_mut() {
        last.to = Some(hi);
    }
    bins
}

/// The charts of a computed campaign.
pub(crate) fn of(computed: &Computed) -> CompetencyCharts {
    CompetencyCharts {
        jpm_distribution: jpm_distribution(&computed.all),
        profile: profile(&computed.all),
        scales: scales(computed),
    }
}

fn jpm_distribution(all: &CampaignCompetencies) -> Vec<Bin> {
    let jpms: Vec<f64> = all
        .participants
        .iter()
        .filter_map(|p| p.jpm.as_ref().and_then(JpmResult::percent))
        .collect();
    histogram(&jpms, 0.0, 10.0, 10, false)
}

fn profile(all: &CampaignCompetencies) -> Vec<ProfilePoint> {
    // (Σ achieved, Σ required, n, below) per competency.
    let mut sums: BTreeMap<&str, (f64, f64, usize, usize)> = BTreeMap::new();
    for p in &all.participants {
        let Some(jpm) = &p.jpm else { continue };
        for c in &jpm.competencies {
            if let Some(a) = c.achieved {
                let e = sums.entry(c.competency.as_str()).or_default();
                e.0 += f64::from(a.get());
                e.1 += f64::from(c.required.get());
                e.2 += 1;
                if a < c.required {
                    e.3 += 1;
                }
            }
        }
    }
    // In the evidence mapping's order (the order of every participant's levels), then any other.
    let mut order: Vec<&str> = all
        .participants
        .iter()
        .find(|p| !p.levels.is_empty())
        .map(|p| {
            p.levels
                .iter()
                .map(|l| l.computed.competency.as_str())
                .collect()
        })
        .unwrap_or_default();
    order.extend(
        sums.keys()
            .filter(|k| !order.contains(k))
            .copied()
            .collect::<Vec<_>>(),
    );
    order
        .into_iter()
        .filter_map(|code| {
            let &(achieved, required, n, below) = sums.get(code)?;
            Some(ProfilePoint {
                competency: code.to_owned(),
                assessed: n,
                mean_achieved: round2(achieved / n as f64),
                mean_required: round2(required / n as f64),
                below,
            })
        })
        .collect()
}

fn scales(computed: &Computed) -> Vec<ScaleHistogram> {
    /// The T scores and the raw scores of one scale.
    type Values = (Vec<f64>, Vec<f64>);
    let mut found: BTreeMap<(&str, &str), Values> = BTreeMap::new();
    for p in &computed.results.participants {
        for s in &p.scores {
            let e = found
                .entry((s.instrument.as_str(), s.scale.as_str()))
                .or_default();
            if let Some(t) = s.t.filter(|t| t.is_finite()) {
                e.0.push(t);
            }
            if let Some(r) = s.raw.filter(|r| r.is_finite()) {
                e.1.push(r);
            }
        }
    }
    found
        .into_iter()
        .filter_map(|((instrument, scale), (t, raw))| {
            let (score, values, bins) = if !t.is_empty() {
                // T 25 to 75 in bars of 5, open at both ends.
                let bins = histogram(&t, 20.0, 5.0, 12, true);
                ("t", t, bins)
            } else if !raw.is_empty() {
                let bins = raw_histogram(&raw);
                ("raw", raw, bins)
            } else {
                return None;
            };
            Some(ScaleHistogram {
                instrument: instrument.to_owned(),
                scale: scale.to_owned(),
                score: score.to_owned(),
                n: values.len(),
                mean: Some(round2(values.iter().sum::<f64>() / values.len() as f64)),
                bins,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpm_bars_are_ten_points_wide_and_the_last_holds_ninety_and_above() {
        let bins = histogram(
            &[0.0, 9.99, 10.0, 55.5, 90.0, 100.0, 104.0],
            0.0,
            10.0,
            10,
            false,
        );
        let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]);
        assert_eq!(bins[0].from, Some(0.0));
        assert_eq!(bins[0].to, Some(10.0));
        assert_eq!(bins[9].from, Some(90.0));
        assert_eq!(bins[9].to, None);
    }

    #[test]
    fn t_bars_are_open_at_both_ends() {
        // T 20 → below 25; 25 → 25–30; 74.9 → 70–75; 75 and 90 → 75 and above.
        let bins = histogram(&[20.0, 25.0, 74.9, 75.0, 90.0], 20.0, 5.0, 12, true);
        assert_eq!(bins.len(), 12);
        assert_eq!(
            (bins[0].from, bins[0].to, bins[0].count),
            (None, Some(25.0), 1)
        );
        assert_eq!(
            (bins[1].from, bins[1].to, bins[1].count),
            (Some(25.0), Some(30.0), 1)
        );
        assert_eq!(
            (bins[10].from, bins[10].to, bins[10].count),
            (Some(70.0), Some(75.0), 1)
        );
        assert_eq!(
            (bins[11].from, bins[11].to, bins[11].count),
            (Some(75.0), None, 2)
        );
    }

    #[test]
    fn raw_scores_fall_into_ten_bars_from_lowest_to_highest() {
        let values: Vec<f64> = (0..=20).map(f64::from).collect();
        let bins = raw_histogram(&values);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 21);
        // 0–2 holds 0 and 1; the last bar 18–20 holds 18, 19 and 20.
        assert_eq!(
            (bins[0].from, bins[0].to, bins[0].count),
            (Some(0.0), Some(2.0), 2)
        );
        assert_eq!(
            (bins[9].from, bins[9].to, bins[9].count),
            (Some(18.0), Some(20.0), 3)
        );
        assert_eq!(
            raw_histogram(&[7.0, 7.0]),
            vec![Bin {
                from: Some(7.0),
                to: None,
                count: 2
            }]
        );
    }
}
