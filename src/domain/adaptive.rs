//! Adaptive sections as candidates take them: the pool an instrument's calibrated items make, the
//! selection stored with every answer, and where a candidate stands from what is stored.
//!
//! A section is adaptive when its battery gives it CAT settings ([`CatConfig`]) and pins a
//! version of the instrument's item parameters ([`AdaptiveSpec`]). Its plan is the whole pool;
//! the candidate meets one item at a time and cannot go back:
//!
//! - The **first item** is the rule's choice with no answer yet ([`progress`] computes it). It is
//!   a function of the pool, the settings and the attempt's seed only, so every node and every
//!   restart names the same one without storing anything.
//! - Each **answer** is stored with the **selection** made after it ([`Selection`]: the next
//!   item or the stop, θ̂ and SE, the items passed over), in the same row and the same commit, so a
//!   reload, another device or another node resumes at exactly the stored next item.
//! - The generator of step k is the attempt seed's stream `section:{position}:cat:{k}`: the same
//!   answers give the same items on every node (randomesque and Sympson–Hetter draw from it).
//!
//! Everything here is pure; the delivery service reads and writes the rows.
use serde::{Deserialize, Serialize};

use super::delivery::AttemptSeed;
use super::instrument::InstrumentDoc;
use super::irt::bank::ItemParametersDoc;
use super::irt::cat::{
    finish, next, CatConfig, CatError, CatResult, Decision, Given, History, Pool, PoolFile,
    PoolItemFile, StopReason, RULE_VERSION,
};
use super::irt::Model;
use super::item::{ItemDoc, ItemFormat};
use super::scoring::{score_item, Response};

/// An adaptive section's settings as stored with its battery section and copied into each
/// attempt's section: the rule's settings and the parameter version they run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdaptiveSpec {
    /// The version of the instrument's item parameters the pool is built from.
    pub parameters_version: u32,
    /// Selection and stopping.
    pub config: CatConfig,
}

/// The selection made after an answer, stored in the answer's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// How many answers the section holds with this one (1 for the first answer).
    pub step: u32,
    /// Whether the answer was right, as the rule used it.
    pub correct: bool,
    /// θ̂ after this answer (the interim method's; the final method's at a stop).
    pub theta: f64,
    /// Its standard error.
    pub se: f64,
    /// The item to give next (its code), unless the test stops here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Why the test stops here, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<StopReason>,
    /// Items the exposure control passed over at this step (codes); never given afterwards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed: Vec<String>,
    /// The selection rule's version.
    pub rule: String,
}

/// The pool an instrument's parameter set makes: its scored right/wrong items (single choice or
/// numeric entry, not practice) that have 1PL, 2PL or 3PL parameters, in the instrument's order,
/// with their content tags and Sympson–Hetter K. Items of different models are pooled under the
/// most general of them (a 2PL item is a 3PL item with c = 0; 1PL items keep their common a as
/// 2PL items).
pub fn pool_of(doc: &InstrumentDoc, params: &ItemParametersDoc) -> Result<Pool, CatError> {
    let mut items = Vec::new();
    let mut models = Vec::new();
    for item in doc.items.iter().filter(|i| is_dichotomous(i)) {
        let Some(p) = params.items.iter().find(|p| p.item == item.code) else {
            continue;
        };
        let (Some(model), Some(b)) = (p.model.dichotomous(), p.b) else {
            continue;
        };
        models.push(model);
        items.push(PoolItemFile {
            id: item.code.clone(),
            a: p.a,
            b,
            c: p.c.unwrap_or(0.0),
            content: p.content.clone(),
            sh_k: p.exposure_k,
        });
    }
    let model = if models.contains(&Model::ThreePl) {
        Model::ThreePl
    } else if models.iter().all(|m| *m == Model::OnePl) {
        Model::OnePl
    } else {
        Model::TwoPl
    };
    Pool::parse(PoolFile {
        model,
        d: Some(params.d),
        items,
    })
}

fn is_dichotomous(item: &ItemDoc) -> bool {
    !item.practice
        && matches!(
            item.format,
            ItemFormat::SingleChoice | ItemFormat::NumericEntry
        )
}

/// Whether an answer to a right/wrong item is right: it earns a point on the item's scale.
pub fn is_correct(item: &ItemDoc, response: &Response) -> bool {
    score_item(item, None, response)
        .scales
        .iter()
        .any(|c| c.points > 0.0)
}

/// One stored answer of an adaptive section: its item and the selection stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The item's code.
    pub item: String,
    /// The selection stored with the answer.
    pub selection: Selection,
}

/// Where a candidate stands in an adaptive section, from the stored answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The items given and answered, in order, with whether each was right.
    pub given: Vec<(String, bool)>,
    /// The item to answer now; `None` once the test has stopped.
    pub current: Option<String>,
    /// Why the test stopped, once it has.
    pub stopped: Option<StopReason>,
    /// θ̂ and SE as the last selection left them (the start θ and the prior's sd before the first
    /// answer).
    pub theta: f64,
    /// See `theta`.
    pub se: f64,
    /// The history the rule continues from (pool indices).
    history: History,
}

impl Progress {
    /// How many items have been answered.
    pub fn answered(&self) -> usize {
        self.given.len()
    }
}

/// The generator of one step of one section of an attempt.
fn step_rng(seed: AttemptSeed, position: i32, step: usize) -> rand_chacha::ChaCha8Rng {
    seed.rng(&format!("section:{position}:cat:{step}"))
}

fn index_of(pool: &Pool, code: &str) -> Result<usize, CatError> {
    pool.items()
        .iter()
        .position(|i| i.id == code)
        .ok_or_else(|| CatError::invalid_history(format!("item {code} is not in the pool")))
}

/// The candidate's standing from the answers stored so far (in any order; they are put in step
/// order). The first item is the rule's choice before any answer; after that, the current item is
/// the last selection's `next`, exactly as stored.
pub fn progress(
    pool: &Pool,
    config: &CatConfig,
    seed: AttemptSeed,
    position: i32,
    mut answered: Vec<Answered>,
) -> Result<Progress, CatError> {
    answered.sort_by_key(|a| a.selection.step);
    let first = next(
        pool,
        &History::default(),
        config,
        &mut step_rng(seed, position, 0),
    )?;
    let mut history = History::default();
    let (mut current, mut stopped, mut theta, mut se) = match first {
        Decision::Next {
            item,
            theta,
            se,
            passed,
        } => {
            history.passed = passed;
            (Some(pool.items()[item].id.clone()), None, theta, se)
        }
        Decision::Stop { reason, theta, se } => (None, Some(reason), theta, se),
    };
    let mut given = Vec::with_capacity(answered.len());
    for a in answered {
        let s = a.selection;
        history.given.push(Given {
            item: index_of(pool, &a.item)?,
            correct: s.correct,
        });
        for p in &s.passed {
            history.passed.push(index_of(pool, p)?);
        }
        given.push((a.item, s.correct));
        current = s.next;
        stopped = s.stop;
        theta = s.theta;
        se = s.se;
    }
    Ok(Progress {
        given,
        current,
        stopped,
        theta,
        se,
        history,
    })
}

/// The selection after the candidate answers the current item (`correct` or not).
pub fn select_after(
    pool: &Pool,
    config: &CatConfig,
    seed: AttemptSeed,
    position: i32,
    progress: &Progress,
    correct: bool,
) -> Result<Selection, CatError> {
    let item = progress
        .current
        .as_deref()
        .ok_or_else(|| CatError::invalid_history("the test has stopped"))?;
    let mut history = progress.history.clone();
    history.given.push(Given {
        item: index_of(pool, item)?,
        correct,
    });
    let step = history.given.len();
    let decision = next(pool, &history, config, &mut step_rng(seed, position, step))?;
    let code = |i: usize| pool.items()[i].id.clone();
    Ok(match decision {
        Decision::Next {
            item,
            theta,
            se,
            passed,
        } => Selection {
            step: step as u32,
            correct,
            theta,
            se,
            next: Some(code(item)),
            stop: None,
            passed: passed.into_iter().map(code).collect(),
            rule: RULE_VERSION.to_owned(),
        },
        Decision::Stop { reason, theta, se } => Selection {
            step: step as u32,
            correct,
            theta,
            se,
            next: None,
            stop: Some(reason),
            passed: Vec::new(),
            rule: RULE_VERSION.to_owned(),
        },
    })
}

/// The result of an adaptive section that is over: the final θ̂ and SE of the items answered,
/// the items and answers in order, and why it stopped (`closed_early` when the section closed
/// before the rule stopped it: its time ran out or it was ended). `None` when nothing was
/// answered: there is no measurement to report.
pub fn result(
    pool: &Pool,
    config: &CatConfig,
    progress: &Progress,
    closed_early: StopReason,
) -> Result<Option<CatResult>, CatError> {
    if progress.given.is_empty() {
        return Ok(None);
    }
    let reason = progress.stopped.unwrap_or(closed_early);
    finish(pool, &progress.history, config, reason).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::irt::cat::Exposure;
    use serde_json::json;

    fn instrument(n: usize) -> InstrumentDoc {
        let mut items = vec![
            json!({"code": "P1", "format": "single_choice", "scale": "N",
            "practice": true, "stem": {"id": "1 + 1"},
            "options": [{"id": "a", "text": {"id": "2"}}, {"id": "b", "text": {"id": "3"}}],
            "key": "a"}),
        ];
        for k in 0..n {
            items.push(
                json!({"code": format!("I{k:02}"), "format": "single_choice",
                "scale": "N", "stem": {"id": format!("{k} + 1")},
                "options": [{"id": "a", "text": {"id": format!("{}", k + 1)}},
                            {"id": "b", "text": {"id": format!("{}", k + 2)}}],
                "key": "a"}),
            );
        }
        serde_json::from_value(json!({
            "format": "meritest.instrument.v1", "code": "ADA", "version": 1, "kind": "cognitive",
            "name": {"id": "Adaptif"}, "source": "test", "scales": [{"code": "N", "name": {"id": "N"}}],
            "items": items
        }))
        .unwrap()
    }

    fn params(n: usize) -> ItemParametersDoc {
        serde_json::from_value(json!({
            "method": "test", "items": (0..n).map(|k| json!({
                "item": format!("I{k:02}"), "model": "2PL",
                "a": 1.0 + (k % 3) as f64 * 0.3, "b": -2.0 + 4.0 * k as f64 / n as f64,
                "content": if k % 2 == 0 { "x" } else { "y" }
            })).collect::<Vec<_>>()
        }))
        .unwrap()
    }

    fn config() -> CatConfig {
        CatConfig {
            min_items: 3,
            max_items: 6,
            exposure: Exposure::Randomesque { k: 3 },
            ..serde_json::from_value(json!({})).unwrap()
        }
    }

    fn answer(pool: &Pool, seed: AttemptSeed, stored: &[Answered], correct: bool) -> Answered {
        let p = progress(pool, &config(), seed, 1, stored.to_vec()).unwrap();
        Answered {
            item: p.current.clone().unwrap(),
            selection: select_after(pool, &config(), seed, 1, &p, correct).unwrap(),
        }
    }

    #[test]
    fn the_pool_holds_the_scored_items_with_parameters_in_the_instruments_order() {
        let mut p = params(8);
        p.items.remove(3);
        let pool = pool_of(&instrument(8), &p).unwrap();
        let ids: Vec<&str> = pool.items().iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["I00", "I01", "I02", "I04", "I05", "I06", "I07"]);
        assert_eq!(pool.model(), Model::TwoPl);
        assert_eq!(pool.items()[0].content.as_deref(), Some("x"));
    }

    #[test]
    fn the_same_answers_give_the_same_items_and_a_resume_continues_at_the_stored_next_item() {
        let pool = pool_of(&instrument(30), &params(30)).unwrap();
        let seed = AttemptSeed::new(42);
        let mut stored = Vec::new();
        for correct in [true, false, true] {
            let a = answer(&pool, seed, &stored, correct);
            stored.push(a);
        }
        // Recomputed from scratch (another node, a restart): the same items and selections.
        let mut again = Vec::new();
        for correct in [true, false, true] {
            let a = answer(&pool, seed, &again, correct);
            again.push(a);
        }
        assert_eq!(stored, again);
        let p = progress(
            &pool,
            &config(),
            seed,
            1,
            stored.iter().rev().cloned().collect(),
        )
        .unwrap();
        assert_eq!(p.answered(), 3);
        assert_eq!(p.current, stored[2].selection.next);
        assert_eq!(
            p.given.iter().map(|g| g.1).collect::<Vec<_>>(),
            [true, false, true]
        );
        // No item is given twice.
        let mut items: Vec<&str> = stored.iter().map(|a| a.item.as_str()).collect();
        items.sort_unstable();
        items.dedup();
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn the_stored_next_item_is_kept_even_when_the_rule_would_now_choose_another() {
        let pool = pool_of(&instrument(30), &params(30)).unwrap();
        let seed = AttemptSeed::new(7);
        let mut a = answer(&pool, seed, &[], true);
        a.selection.next = Some("I29".into());
        let p = progress(&pool, &config(), seed, 1, vec![a]).unwrap();
        assert_eq!(p.current.as_deref(), Some("I29"));
    }

    #[test]
    fn the_test_stops_at_its_maximum_length_and_the_result_names_the_items_given() {
        let pool = pool_of(&instrument(30), &params(30)).unwrap();
        let seed = AttemptSeed::new(3);
        let mut stored = Vec::new();
        for k in 0..6 {
            let a = answer(&pool, seed, &stored, k % 2 == 0);
            stored.push(a);
        }
        let last = &stored[5].selection;
        assert_eq!((last.step, last.next.as_deref()), (6, None));
        assert_eq!(last.stop, Some(StopReason::MaxItems));
        let p = progress(&pool, &config(), seed, 1, stored.clone()).unwrap();
        assert_eq!(
            (p.current.as_deref(), p.stopped),
            (None, Some(StopReason::MaxItems))
        );
        let r = result(&pool, &config(), &p, StopReason::TimeLimit)
            .unwrap()
            .unwrap();
        assert_eq!(r.stop_reason, StopReason::MaxItems);
        assert_eq!(
            r.items,
            stored.iter().map(|a| a.item.clone()).collect::<Vec<_>>()
        );
        assert_eq!(r.responses, [true, false, true, false, true, false]);
        assert!((r.theta - last.theta).abs() < 1e-12 && (r.se - last.se).abs() < 1e-12);
    }

    #[test]
    fn a_section_closed_before_the_rule_stopped_it_says_why_and_one_without_answers_has_no_result()
    {
        let pool = pool_of(&instrument(30), &params(30)).unwrap();
        let seed = AttemptSeed::new(3);
        let p = progress(&pool, &config(), seed, 1, vec![]).unwrap();
        assert_eq!(
            result(&pool, &config(), &p, StopReason::TimeLimit),
            Ok(None)
        );
        let a = answer(&pool, seed, &[], true);
        let p = progress(&pool, &config(), seed, 1, vec![a]).unwrap();
        let r = result(&pool, &config(), &p, StopReason::TimeLimit)
            .unwrap()
            .unwrap();
        assert_eq!((r.stop_reason, r.items.len()), (StopReason::TimeLimit, 1));
    }

    #[test]
    fn a_right_answer_raises_the_estimate_the_next_item_is_chosen_at() {
        let pool = pool_of(&instrument(30), &params(30)).unwrap();
        let seed = AttemptSeed::new(11);
        let right = answer(&pool, seed, &[], true).selection;
        let wrong = answer(&pool, seed, &[], false).selection;
        assert!(right.theta > 0.0 && wrong.theta < 0.0);
        assert!(right.correct && !wrong.correct);
    }

    #[test]
    fn is_correct_follows_the_key() {
        let doc = instrument(2);
        let item = &doc.items[1];
        let right =
            crate::domain::scoring::parse_response(item, None, &json!({"choice": "a"})).unwrap();
        let wrong =
            crate::domain::scoring::parse_response(item, None, &json!({"choice": "b"})).unwrap();
        assert!(is_correct(item, &right));
        assert!(!is_correct(item, &wrong));
    }
}
