//! The one clock of a node (invariant 9): services and stores take the time from the clock in the
//! application context, never from `Utc::now()` directly, so a test moves time instead of sleeping
//! or rewriting deadlines in the database.
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

/// The time as this node tells it: the system's, or (in tests) the system's moved forward by a
/// settable amount. Moving only ever goes forward, so deadlines and expiries stay ordered.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// How far a settable clock runs ahead of the system's, in milliseconds; `None` for the
    /// system clock, which cannot be moved.
    ahead_ms: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock: what production runs on.
    pub fn system() -> Self {
        Self { ahead_ms: None }
    }

    /// A clock that starts at the system's time and that [`Clock::advance`] moves forward; every
    /// copy of it (every node of a test sharing it) moves together.
    pub fn settable() -> Self {
        Self {
            ahead_ms: Some(Arc::new(AtomicI64::new(0))),
        }
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        match &self.ahead_ms {
            Some(ms) => now + chrono::Duration::milliseconds(ms.load(Ordering::Relaxed)),
            None => now,
        }
    }

    /// Today's date (UTC), for rules that need "today" (ages, NIP plausibility).
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves a settable clock forward by `by`. Returns false, moving nothing, on the system
    /// clock: production time is not ours to move.
    pub fn advance(&self, by: std::time::Duration) -> bool {
        let Some(ms) = &self.ahead_ms else {
            return false;
        };
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        ms.fetch_add(by, Ordering::Relaxed);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_settable_clock_moves_forward_by_what_it_is_told_and_its_copies_move_with_it() {
        let clock = Clock::settable();
        let copy = clock.clone();
        let before = clock.now();
        assert!(clock.advance(Duration::from_secs(3600)));
        let after = copy.now();
        let moved = (after - before).num_milliseconds();
        // The hour, plus the few microseconds the system clock itself moved meanwhile.
        assert!((3_600_000..3_601_000).contains(&moved), "moved {moved} ms");
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        let clock = Clock::system();
        assert!(!clock.advance(Duration::from_secs(3600)));
        let drift = (clock.now() - Utc::now()).num_milliseconds().abs();
        assert!(drift < 1000, "the system clock is the system's time");
    }
}
