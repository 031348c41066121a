//! Integrity signals a candidate's page reports: what a proctor should know happened on the
//! candidate's screen. They are facts for a person to weigh, never a verdict.
use serde::{Deserialize, Serialize};

/// One kind of signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegritySignal {
    /// The page was hidden (another tab or application in front).
    PageHidden,
    /// The window lost focus.
    WindowBlur,
    /// Fullscreen was left.
    FullscreenExit,
    /// A copy was attempted.
    Copy,
    /// A paste was attempted.
    Paste,
    /// The context menu was opened.
    ContextMenu,
}

/// Longest free-text detail a page may attach to a signal.
pub const MAX_DETAIL_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_read_from_snake_case() {
        let s: IntegritySignal = serde_json::from_str("\"fullscreen_exit\"").unwrap();
        assert_eq!(s, IntegritySignal::FullscreenExit);
        assert!(serde_json::from_str::<IntegritySignal>("\"screenshot\"").is_err());
    }
}
