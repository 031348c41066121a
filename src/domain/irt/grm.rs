//! Samejima's graded response model (Samejima 1969) for Likert items with m ordered categories
//! k = 0 … m − 1, and the estimation of θ from a pattern of such answers.
//!
//! With D the scaling constant, a > 0 the discrimination and ordered thresholds
//! b₁ < … < b_{m−1}, the probability of answering in category k or above is
//! P*_k(θ) = 1 / (1 + exp(−D·a·(θ − b_k))) for k = 1 … m − 1, with P*₀ = 1 and P*_m = 0; the
//! probability of category k is P_k = P*_k − P*_{k+1}.
//!
//! Item information (Samejima 1969; Baker & Kim 2004, eq. 9.7): I(θ) = Σ_k (P_k′)² / P_k with
//! P_k′ = P*_k′ − P*_{k+1}′ and P*′ = D·a·P*·(1 − P*) (0 for P*₀ and P*_m).
use super::estimate::{estimate_pattern, Estimate, EstimateError, Method, Prior, Quadrature};

/// A checked graded item: a > 0 and finite, at least one threshold, thresholds finite and
/// strictly increasing.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedItem {
    a: f64,
    thresholds: Vec<f64>,
}

impl GradedItem {
    /// Checks the discrimination `a` and the `thresholds` b₁ < … < b_{m−1}.
    pub fn new(a: f64, thresholds: Vec<f64>) -> Result<Self, String> {
        if !(a.is_finite() && a > 0.0) {
            return Err(format!("a must be a number above 0, not {a}"));
        }
        if thresholds.is_empty() {
            return Err("a graded item needs at least one threshold (two categories)".into());
        }
        if let Some(k) = thresholds.iter().position(|b| !b.is_finite()) {
            return Err(format!("thresholds[{k}] must be a finite number"));
        }
        if let Some(k) = thresholds.windows(2).position(|w| w[0] >= w[1]) {
            return Err(format!(
                "thresholds must increase strictly: thresholds[{}] = {} is not above thresholds[{k}] = {}",
                k + 1,
                thresholds[k + 1],
                thresholds[k]
            ));
        }
        Ok(Self { a, thresholds })
    }

    /// The discrimination a.
    pub fn a(&self) -> f64 {
        self.a
    }

    /// The thresholds b₁ … b_{m−1}.
    pub fn thresholds(&self) -> &[f64] {
        &self.thresholds
    }

    /// The number of categories m (one more than the thresholds).
    pub fn categories(&self) -> usize {
        self.thresholds.len() + 1
    }

    /// P*_k(θ), the probability of category k or above (1 for k = 0, 0 for k ≥ m).
    pub fn cumulative(&self, theta: f64, d: f64, k: usize) -> f64 {
        cumulative(self.a, &self.thresholds, theta, d, k)
    }

    /// P_k(θ) = P*_k − P*_{k+1}, the probability of category k (0 for k ≥ m).
    pub fn p(&self, theta: f64, d: f64, k: usize) -> f64 {
        category_probability(self.a, &self.thresholds, theta, d, k)
    }

    /// I(θ) = Σ_k (P_k′)² / P_k.
    pub fn information(&self, theta: f64, d: f64) -> f64 {
        let slope = |k: usize| {
            let s = self.cumulative(theta, d, k);
            if k == 0 || k >= self.categories() {
                0.0
            } else {
                d * self.a * s * (1.0 - s)
            }
        };
        (0..self.categories())
            .map(|k| {
                let p = self.p(theta, d, k);
                let dp = slope(k) - slope(k + 1);
                if p > 0.0 {
                    dp * dp / p
                } else {
                    0.0
                }
            })
            .sum()
    }

    /// log P_k(θ), bounded below so a category of vanishing probability stays finite.
    pub fn log_likelihood(&self, theta: f64, d: f64, k: usize) -> f64 {
        self.p(theta, d, k).max(1e-300).ln()
    }
}

/// P*_k(θ) for a discrimination and thresholds not checked (the calibration's trial values).
pub(super) fn cumulative(a: f64, thresholds: &[f64], theta: f64, d: f64, k: usize) -> f64 {
    if k == 0 {
        return 1.0;
    }
    match thresholds.get(k - 1) {
        Some(b) => 1.0 / (1.0 + (-d * a * (theta - b)).exp()),
        None => 0.0,
    }
}

/// P_k(θ) for a discrimination and thresholds not checked: negative when they are out of order.
pub(super) fn category_probability(
    a: f64,
    thresholds: &[f64],
    theta: f64,
    d: f64,
    k: usize,
) -> f64 {
    if k > thresholds.len() {
        return 0.0;
    }
    cumulative(a, thresholds, theta, d, k) - cumulative(a, thresholds, theta, d, k + 1)
}

/// Estimates θ from `responses` (0-based categories, one per item; `None`: not administered) to
/// graded `items`, with the methods and standard errors of [`super::estimate::estimate`]. The MLE
/// is refused when every answer is in its item's lowest category, or every answer in its highest:
/// the likelihood then rises without end.
pub fn estimate_graded(
    items: &[GradedItem],
    responses: &[Option<u8>],
    d: f64,
    method: Method,
    quadrature: Quadrature,
    prior: Prior,
) -> Result<Estimate, EstimateError> {
    if items.len() != responses.len() {
        return Err(EstimateError::Invalid(
            "give one response (or null) per item".into(),
        ));
    }
    let mut given = Vec::new();
    for (i, (item, r)) in items.iter().zip(responses).enumerate() {
        if let Some(k) = r {
            let k = usize::from(*k);
            if k >= item.categories() {
                return Err(EstimateError::Invalid(format!(
                    "responses[{i}]: {k} is not a category of an item with {} (0 to {})",
                    item.categories(),
                    item.categories() - 1
                )));
            }
            given.push((item, k));
        }
    }
    let all_lowest = given.iter().all(|(_, k)| *k == 0);
    let all_highest = given.iter().all(|(i, k)| *k + 1 == i.categories());
    let refusal = (all_lowest || all_highest).then_some(
        "the maximum likelihood estimate needs a pattern that is neither all in the lowest nor \
         all in the highest categories: this pattern's likelihood rises without end; use eap or map",
    );
    estimate_pattern(
        given.len(),
        |t| given.iter().map(|(i, k)| i.log_likelihood(t, d, *k)).sum(),
        |t| given.iter().map(|(i, _)| i.information(t, d)).sum(),
        refusal,
        d,
        method,
        quadrature,
        prior,
    )
}

#[cfg(test)]
mod tests {
    use super::super::DEFAULT_D;
    use super::*;

    #[test]
    fn a_four_category_item_gives_the_worked_probabilities_information_and_log_likelihood() {
        // a = 1, b = (−1, 0, 1), θ = 0.5, D = 1.702:
        // P*₁ = 1/(1 + e^(−1.702·1.5)) = 1/(1 + e^−2.553) = 1/1.077848 = 0.927775,
        // P*₂ = 1/(1 + e^−0.851) = 1/1.426988 = 0.700777, P*₃ = 1/(1 + e^0.851) = 0.299223;
        // P = (1 − 0.927775, 0.927775 − 0.700777, 0.700777 − 0.299223, 0.299223)
        //   = (0.072225, 0.226998, 0.401554, 0.299223), summing to 1.
        // P*′ = 1.702·P*(1 − P*) = (0.114049, 0.356890, 0.356890) for k = 1, 2, 3, so
        // P′ = (0 − 0.114049, 0.114049 − 0.356890, 0.356890 − 0.356890, 0.356890 − 0)
        //    = (−0.114049, −0.242841, 0, 0.356890);
        // I = 0.114049²/0.072225 + 0.242841²/0.226998 + 0 + 0.356890²/0.299223
        //   = 0.180092 + 0.259790 + 0 + 0.425670 = 0.865552.
        let item = GradedItem::new(1.0, vec![-1.0, 0.0, 1.0]).unwrap();
        let want = [0.072225, 0.226998, 0.401554, 0.299223];
        for (k, w) in want.iter().enumerate() {
            let p = item.p(0.5, DEFAULT_D, k);
            assert!((p - w).abs() < 1e-6, "P_{k} = {p}");
        }
        assert_eq!(item.p(0.5, DEFAULT_D, 4), 0.0);
        assert!((item.cumulative(0.5, DEFAULT_D, 2) - 0.700777).abs() < 1e-6);
        let info = item.information(0.5, DEFAULT_D);
        assert!((info - 0.865552).abs() < 1e-6, "{info}");
        // log 0.401554 = −0.912414.
        let ll = item.log_likelihood(0.5, DEFAULT_D, 2);
        assert!((ll + 0.912414).abs() < 1e-6, "{ll}");
    }

    #[test]
    fn a_three_category_item_midway_between_its_thresholds_is_symmetric() {
        // a = 1.3, b = (−0.8, 0.4), θ = −0.2 lies midway: D·a·(θ − b) = ±2.2126·0.6 = ±1.32756,
        // P*₁ = 1/(1 + e^−1.32756) = 1/1.265123 = 0.790437, P*₂ = 1/(1 + e^1.32756) = 0.209563;
        // P = (0.209563, 0.580873, 0.209563); P*′₁ = P*′₂ = 2.2126·0.790437·0.209563 = 0.366509,
        // so P′ = (−0.366509, 0, 0.366509) and I = 2·0.366509²/0.209563 = 1.281992 (from the
        // unrounded values).
        let item = GradedItem::new(1.3, vec![-0.8, 0.4]).unwrap();
        assert!((item.p(-0.2, DEFAULT_D, 0) - 0.209563).abs() < 1e-6);
        assert!((item.p(-0.2, DEFAULT_D, 1) - 0.580873).abs() < 1e-6);
        assert!((item.p(-0.2, DEFAULT_D, 2) - 0.209563).abs() < 1e-6);
        let info = item.information(-0.2, DEFAULT_D);
        assert!((info - 1.281992).abs() < 1e-6, "{info}");
    }

    #[test]
    fn a_graded_item_with_two_categories_is_the_2pl_item() {
        let graded = GradedItem::new(1.4, vec![0.3]).unwrap();
        let two_pl = super::super::Item::new(
            super::super::Model::TwoPl,
            super::super::ItemParams {
                a: 1.4,
                b: 0.3,
                c: 0.0,
            },
        )
        .unwrap();
        for k in -30..=30 {
            let t = f64::from(k) / 10.0;
            assert!((graded.p(t, DEFAULT_D, 1) - two_pl.p(t, DEFAULT_D)).abs() < 1e-12);
            assert!(
                (graded.information(t, DEFAULT_D) - two_pl.information(t, DEFAULT_D)).abs() < 1e-12
            );
        }
    }

    #[test]
    fn category_probabilities_sum_to_one_and_information_is_never_negative() {
        let item = GradedItem::new(0.9, vec![-1.7, -0.2, 0.6, 2.1]).unwrap();
        for k in -60..=60 {
            let t = f64::from(k) / 10.0;
            let total: f64 = (0..5).map(|c| item.p(t, DEFAULT_D, c)).sum();
            assert!((total - 1.0).abs() < 1e-12);
            assert!((0..5).all(|c| item.p(t, DEFAULT_D, c) >= 0.0));
            assert!(item.information(t, DEFAULT_D) >= 0.0);
        }
    }

    #[test]
    fn items_with_bad_parameters_are_refused_with_the_reason() {
        assert!(GradedItem::new(0.0, vec![0.0])
            .unwrap_err()
            .contains("above 0"));
        assert!(GradedItem::new(f64::NAN, vec![0.0]).is_err());
        assert!(GradedItem::new(1.0, vec![])
            .unwrap_err()
            .contains("at least one threshold"));
        assert!(GradedItem::new(1.0, vec![0.0, f64::INFINITY])
            .unwrap_err()
            .contains("thresholds[1]"));
        let err = GradedItem::new(1.0, vec![-1.0, 0.5, 0.5]).unwrap_err();
        assert!(err.contains("increase strictly"), "{err}");
    }

    #[test]
    fn a_graded_pattern_is_scored_like_the_same_dichotomous_pattern_when_m_is_two() {
        use super::super::estimate::estimate;
        use super::super::{items_of, ItemParams, Model};
        let params = [(1.0, -1.0), (1.5, 0.0), (0.8, 1.0)];
        let graded: Vec<GradedItem> = params
            .iter()
            .map(|&(a, b)| GradedItem::new(a, vec![b]).unwrap())
            .collect();
        let dich = items_of(
            Model::TwoPl,
            &params
                .iter()
                .map(|&(a, b)| ItemParams { a, b, c: 0.0 })
                .collect::<Vec<_>>(),
        )
        .unwrap();
        for method in [Method::Eap, Method::Map, Method::Mle] {
            let g = estimate_graded(
                &graded,
                &[Some(1), Some(1), Some(0)],
                DEFAULT_D,
                method,
                Quadrature::default(),
                Prior::default(),
            )
            .unwrap();
            let e = estimate(
                &dich,
                &[Some(true), Some(true), Some(false)],
                DEFAULT_D,
                method,
                Quadrature::default(),
                Prior::default(),
            )
            .unwrap();
            assert!((g.theta - e.theta).abs() < 1e-9, "{method:?}");
            assert!((g.se - e.se).abs() < 1e-9, "{method:?}");
        }
    }

    #[test]
    fn the_graded_eap_rises_with_each_higher_category_and_the_mle_of_an_extreme_pattern_is_refused()
    {
        let items = vec![
            GradedItem::new(1.2, vec![-1.5, -0.5, 0.5, 1.5]).unwrap(),
            GradedItem::new(0.8, vec![-1.0, 0.0, 1.0, 2.0]).unwrap(),
            GradedItem::new(1.5, vec![-2.0, -0.7, 0.3, 1.1]).unwrap(),
        ];
        let run = |r: &[Option<u8>], m| {
            estimate_graded(
                &items,
                r,
                DEFAULT_D,
                m,
                Quadrature::default(),
                Prior::default(),
            )
        };
        let mut pattern = [Some(0u8); 3];
        let mut last = run(&pattern, Method::Eap).unwrap().theta;
        for step in 0..12 {
            pattern[step % 3] = pattern[step % 3].map(|k| k + 1);
            let now = run(&pattern, Method::Eap).unwrap().theta;
            assert!(now > last, "{pattern:?}: {now} ≤ {last}");
            last = now;
        }
        assert_eq!(
            run(&[Some(4), None, Some(4)], Method::Mle)
                .unwrap_err()
                .code(),
            "mle_undefined"
        );
        assert_eq!(
            run(&[Some(0), Some(0), None], Method::Mle)
                .unwrap_err()
                .code(),
            "mle_undefined"
        );
        assert!(run(&[Some(0), Some(4), None], Method::Mle).is_ok());
        assert_eq!(
            run(&[Some(5), None, None], Method::Eap).unwrap_err().code(),
            "invalid_input"
        );
    }
}
