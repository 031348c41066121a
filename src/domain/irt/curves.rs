//! The curves of a parameter set over a θ grid, for the psychometrics page: each item's
//! characteristic curve (P(θ) of a right answer; for a graded item its expected score divided by
//! its highest score, so every curve runs from 0 to 1) and information, and the test's
//! information and standard error SE(θ) = 1/√I(θ).
use serde::Serialize;

use super::bank::{BankModel, ItemParameterDoc, ItemParametersDoc};
use super::grm::GradedItem;

/// The θ grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Lowest θ.
    pub from: f64,
    /// Highest θ.
    pub to: f64,
    /// Number of points, 2–401.
    pub points: usize,
}

impl Grid {
    /// Checks the grid: finite bounds in −10 … 10 with `from` < `to`, 2–401 points.
    pub fn new(from: f64, to: f64, points: usize) -> Result<Self, String> {
        if !(from.is_finite() && to.is_finite() && from >= -10.0 && to <= 10.0 && from < to) {
            return Err("the θ range must lie within −10 … 10 with from below to".into());
        }
        if !(2..=401).contains(&points) {
            return Err("give from 2 to 401 points".into());
        }
        Ok(Self { from, to, points })
    }

    /// The θ values.
    pub fn thetas(&self) -> Vec<f64> {
        let step = (self.to - self.from) / (self.points - 1) as f64;
        (0..self.points)
            .map(|i| self.from + step * i as f64)
            .collect()
    }
}

/// One item's curves.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ItemCurves {
    /// The item's code.
    pub item: String,
    /// Its model.
    pub model: BankModel,
    /// P(θ) of a right answer, or a graded item's expected score over its highest score.
    pub characteristic: Vec<f64>,
    /// Item information I(θ).
    pub information: Vec<f64>,
}

/// The curves of a whole set.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Curves {
    /// The θ grid.
    pub theta: Vec<f64>,
    /// Per item, in the set's order.
    pub items: Vec<ItemCurves>,
    /// The test information (sum over the items).
    pub test_information: Vec<f64>,
    /// SE(θ) = 1/√I(θ) (null where the information is 0).
    pub standard_error: Vec<Option<f64>>,
}

fn item_curves(p: &ItemParameterDoc, d: f64, thetas: &[f64]) -> Option<ItemCurves> {
    let (characteristic, information) = match p.model {
        BankModel::Graded => {
            let item = GradedItem::new(p.a, p.thresholds.clone()?).ok()?;
            let top = (item.categories() - 1) as f64;
            thetas
                .iter()
                .map(|&x| {
                    let expected: f64 = (0..item.categories())
                        .map(|k| k as f64 * item.p(x, d, k))
                        .sum();
                    (expected / top, item.information(x, d))
                })
                .unzip()
        }
        _ => {
            let item = p.dichotomous_item()?;
            thetas
                .iter()
                .map(|&x| (item.p(x, d), item.information(x, d)))
                .unzip()
        }
    };
    Some(ItemCurves {
        item: p.item.clone(),
        model: p.model,
        characteristic,
        information,
    })
}

/// The curves of `set` over `grid`. Entries whose parameters do not form an item (a stored set
/// is checked, so none) are left out.
pub fn curves(set: &ItemParametersDoc, grid: Grid) -> Curves {
    let theta = grid.thetas();
    let items: Vec<ItemCurves> = set
        .items
        .iter()
        .filter_map(|p| item_curves(p, set.d, &theta))
        .collect();
    let test_information: Vec<f64> = (0..theta.len())
        .map(|i| items.iter().map(|c| c.information[i]).sum())
        .collect();
    let standard_error = test_information
        .iter()
        .map(|&info| (info > 0.0).then(|| 1.0 / info.sqrt()))
        .collect();
    Curves {
        theta,
        items,
        test_information,
        standard_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(json: &str) -> ItemParametersDoc {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_2pl_item_at_its_difficulty_has_p_one_half_and_the_test_se_is_one_over_root_information() {
        let s = set(r#"{"method":"m","items":[{"item":"V1","model":"2PL","a":1,"b":0}]}"#);
        let c = curves(&s, Grid::new(-1.0, 1.0, 3).unwrap());
        assert_eq!(c.theta, vec![-1.0, 0.0, 1.0]);
        assert!((c.items[0].characteristic[1] - 0.5).abs() < 1e-12);
        // I(0) = D²a²/4 = 1.702²/4 = 0.724201; SE = 1/√0.724201 = 1.175088.
        assert!((c.test_information[1] - 0.724201).abs() < 1e-9);
        assert!((c.standard_error[1].unwrap() - 1.175088).abs() < 1e-6);
    }

    #[test]
    fn a_graded_item_gives_the_worked_expected_score_and_information() {
        // a = 1, thresholds −1 and 1, D = 1.702, θ = 0: P*_1 = 1/(1 + e^−1.702) = 0.845796,
        // P*_2 = 0.154204; P_0 = 0.154204, P_1 = 0.691592, P_2 = 0.154204; expected score
        // = 0.691592 + 2·0.154204 = 1, over 2 = 0.5. P*(1 − P*) = 0.130425 for both thresholds:
        // P_0' = −D·0.130425 = −0.221984, P_1' = 0, P_2' = 0.221984;
        // I = 2·0.221984²/0.154204 = 0.639111.
        let s = set(
            r#"{"method":"m","items":[{"item":"L1","model":"GRM","a":1,"thresholds":[-1,1]}]}"#,
        );
        let c = curves(&s, Grid::new(-1.0, 1.0, 3).unwrap());
        assert!((c.items[0].characteristic[1] - 0.5).abs() < 1e-9);
        assert!(
            (c.items[0].information[1] - 0.639111).abs() < 1e-5,
            "{}",
            c.items[0].information[1]
        );
    }

    #[test]
    fn information_is_never_negative_and_characteristic_curves_rise() {
        let s = set(
            r#"{"method":"m","items":[{"item":"V1","model":"3PL","a":1.4,"b":0.3,"c":0.2},
            {"item":"L1","model":"GRM","a":0.8,"thresholds":[-2,-0.5,0.7,2.1]}]}"#,
        );
        let c = curves(&s, Grid::new(-4.0, 4.0, 81).unwrap());
        for it in &c.items {
            assert!(it.information.iter().all(|&i| i >= 0.0));
            assert!(it.characteristic.windows(2).all(|w| w[1] > w[0]));
        }
    }

    #[test]
    fn a_grid_outside_its_bounds_is_refused() {
        assert!(Grid::new(1.0, -1.0, 10).is_err());
        assert!(Grid::new(-4.0, 4.0, 1).is_err());
        assert!(Grid::new(-4.0, 4.0, 1000).is_err());
        assert!(Grid::new(f64::NAN, 4.0, 10).is_err());
    }
}
