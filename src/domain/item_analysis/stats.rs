//! The small descriptive statistics the analysis is built from. Each returns `None` where the
//! statistic does not exist (no variance), so no NaN can reach a result.

/// Arithmetic mean; 0 for an empty slice (never called with one: the analysis has ≥ 2 respondents).
pub(crate) fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().sum::<f64>() / x.len() as f64
}

/// Variance with denominator N (two-pass). A variance this small relative to the values is
/// rounding noise of a constant column and counts as 0.
pub(crate) fn population_variance(x: &[f64]) -> f64 {
    let m = mean(x);
    let v = mean(&x.iter().map(|v| (v - m) * (v - m)).collect::<Vec<_>>());
    if v <= 1e-12 * (1.0 + m * m) {
        0.0
    } else {
        v
    }
}

/// Sample standard deviation (denominator N − 1); 0 for fewer than two values.
pub(crate) fn sample_sd(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    if x.len() < 2 {
        return 0.0;
    }
    (population_variance(x) * n / (n - 1.0)).sqrt()
}

/// Pearson's r; `None` when either variable does not vary.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let (vx, vy) = (population_variance(x), population_variance(y));
    if vx == 0.0 || vy == 0.0 || x.len() != y.len() {
        return None;
    }
    let (mx, my) = (mean(x), mean(y));
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / x.len() as f64;
    Some((cov / (vx * vy).sqrt()).clamp(-1.0, 1.0))
}

/// Cronbach's α of the item columns `items` (each one entry per respondent):
/// α = k/(k−1) · (1 − Σ s²ⱼ / s²_X). `None` for fewer than two items or totals without variance.
pub(crate) fn cronbach_alpha(items: &[&[f64]]) -> Option<f64> {
    let k = items.len();
    let n = items.first()?.len();
    if k < 2 {
        return None;
    }
    let totals: Vec<f64> = (0..n)
        .map(|i| items.iter().map(|c| c.get(i).copied().unwrap_or(0.0)).sum())
        .collect();
    let total_var = population_variance(&totals);
    if total_var == 0.0 {
        return None;
    }
    let item_var: f64 = items.iter().map(|c| population_variance(c)).sum();
    let k = k as f64;
    Some(k / (k - 1.0) * (1.0 - item_var / total_var))
}

/// The weight of each respondent in the group of the `share` (0 < share ≤ 0.5) with the highest
/// totals (`upper`) or the lowest: g = share·N places, filled from the extreme inwards; the
/// respondents tied at the cut score split the places left equally (module documentation).
pub(crate) fn extreme_group_weights(totals: &[f64], share: f64, upper: bool) -> Vec<f64> {
    let n = totals.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let c = totals[a].total_cmp(&totals[b]);
        if upper {
            c.reverse()
        } else {
            c
        }
    });
    let mut weights = vec![0.0; n];
    let mut left = share * n as f64;
    let mut start = 0;
    while start < n && left > 0.0 {
        let score = totals[order[start]];
        let end = order[start..]
            .iter()
            .position(|&i| totals[i] != score)
            .map_or(n, |p| start + p);
        let tied = (end - start) as f64;
        let w = if left >= tied { 1.0 } else { left / tied };
        for &i in &order[start..end] {
            weights[i] = w;
        }
        left -= w * tied;
        start = end;
    }
    weights
}

/// Σ wᵢxᵢ / Σ wᵢ; `None` when the weights sum to 0.
pub(crate) fn weighted_mean(x: &[f64], w: &[f64]) -> Option<f64> {
    let total: f64 = w.iter().sum();
    if total <= 0.0 {
        return None;
    }
    Some(x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_a_constant_column_does_not_exist() {
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        // Three times 0.1 does not sum to exactly 0.3; the noise is not a variance.
        assert_eq!(population_variance(&[0.1, 0.1, 0.1]), 0.0);
        assert_eq!(pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Some(1.0));
    }

    #[test]
    fn the_upper_27_percent_of_five_splits_the_two_tied_at_the_top() {
        // Totals 3, 3, 2, 2, 0: g = 0.27·5 = 1.35 places. Upper: the two 3s tie at the top and
        // share 1.35 → 0.675 each. Lower: the 0 takes 1 place, the two 2s share 0.35 → 0.175.
        let t = [3.0, 3.0, 2.0, 2.0, 0.0];
        let up = extreme_group_weights(&t, 0.27, true);
        let low = extreme_group_weights(&t, 0.27, false);
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(close(&up, &[0.675, 0.675, 0.0, 0.0, 0.0]), "{up:?}");
        assert!(close(&low, &[0.0, 0.0, 0.175, 0.175, 1.0]), "{low:?}");
        // Listing the respondents in another order moves the weights with them.
        let low2 = extreme_group_weights(&[0.0, 2.0, 3.0, 2.0, 3.0], 0.27, false);
        assert!(close(&low2, &[1.0, 0.175, 0.0, 0.175, 0.0]), "{low2:?}");
    }

    #[test]
    fn extreme_groups_without_ties_take_whole_respondents_then_a_fraction() {
        // Totals 1…10, share 0.27 → 2.7 places: 10 and 9 fully, 8 by 0.7.
        let t: Vec<f64> = (1..=10).map(f64::from).collect();
        let up = extreme_group_weights(&t, 0.27, true);
        assert_eq!(up[9], 1.0);
        assert_eq!(up[8], 1.0);
        assert!((up[7] - 0.7).abs() < 1e-12);
        assert_eq!(up[..7].iter().sum::<f64>(), 0.0);
        assert!((up.iter().sum::<f64>() - 2.7).abs() < 1e-12);
    }
}
