//! The states of an attempt and of its sections, and the kinds of event its timeline records.
//!
//! The statuses are stored as the same snake_case words they always were (sea-orm maps the
//! enums onto the existing text columns), so no data changes; what changes is that a status can
//! only be one of these.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};

use super::integrity::IntegritySignal;

/// Where an attempt stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    /// Signed in, not yet started a section.
    #[sea_orm(string_value = "not_started")]
    NotStarted,
    /// A section has been started.
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    /// Finished by the candidate, or every section closed.
    #[sea_orm(string_value = "finished")]
    Finished,
    /// The campaign closed before the candidate finished; scored on what was given.
    #[sea_orm(string_value = "expired")]
    Expired,
    /// A proctor ended the attempt; scored on what was given, flagged in the results.
    #[sea_orm(string_value = "terminated")]
    Terminated,
}

impl AttemptStatus {
    /// The stored and wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::NotStarted => "not_started",
            AttemptStatus::InProgress => "in_progress",
            AttemptStatus::Finished => "finished",
            AttemptStatus::Expired => "expired",
            AttemptStatus::Terminated => "terminated",
        }
    }

    /// Whether nothing more can be saved: finished, expired or terminated.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            AttemptStatus::Finished | AttemptStatus::Expired | AttemptStatus::Terminated
        )
    }

    /// The statuses an attempt may still be finished (or expired, or terminated) from.
    pub const RUNNING: [AttemptStatus; 2] = [AttemptStatus::NotStarted, AttemptStatus::InProgress];

    /// Why a section still open is closed when the attempt ends in this status.
    pub fn closes_open_section_as(self) -> ClosedReason {
        match self {
            AttemptStatus::Expired => ClosedReason::Timeout,
            AttemptStatus::Terminated => ClosedReason::Terminated,
            _ => ClosedReason::Submitted,
        }
    }
}

/// Whether a section's deadline and the grace after it have passed at `now`: from then on
/// answers are refused and the section is due to close. The one rule the answer path, the
/// section reads and the expiry sweep all apply.
pub fn past_grace(deadline: DateTime<Utc>, grace: Duration, now: DateTime<Utc>) -> bool {
    now > deadline + grace
}

/// Milliseconds left before `deadline`: counted to `now`, or to the moment a pause began (a
/// paused clock stands still); never below zero.
pub fn time_left_ms(
    deadline: DateTime<Utc>,
    paused_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> i64 {
    (deadline - paused_at.unwrap_or(now))
        .num_milliseconds()
        .max(0)
}

/// Where a section of an attempt stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum SectionStatus {
    /// Not yet started.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Started; its deadline runs.
    #[sea_orm(string_value = "open")]
    Open,
    /// Submitted, timed out or ended with the attempt.
    #[sea_orm(string_value = "closed")]
    Closed,
}

impl SectionStatus {
    /// The stored and wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionStatus::Pending => "pending",
            SectionStatus::Open => "open",
            SectionStatus::Closed => "closed",
        }
    }
}

/// Why a section closed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    /// The candidate submitted it (or finished the attempt).
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// Its deadline and grace passed, or the campaign closed.
    #[sea_orm(string_value = "timeout")]
    Timeout,
    /// A proctor ended the attempt.
    #[sea_orm(string_value = "terminated")]
    Terminated,
    /// An adaptive section's rule stopped it: it had measured precisely enough, given its
    /// maximum number of items, or run out of items.
    #[sea_orm(string_value = "completed")]
    Completed,
}

impl ClosedReason {
    /// The stored and wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            ClosedReason::Submitted => "submitted",
            ClosedReason::Timeout => "timeout",
            ClosedReason::Terminated => "terminated",
            ClosedReason::Completed => "completed",
        }
    }
}

/// An integrity event: what a proctor should know happened around a candidate's screen. Facts
/// for a person to weigh, never a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegrityEvent {
    /// A signal the candidate's page reported.
    Signal(IntegritySignal),
    /// The attempt was signed in to on another device or tab.
    DeviceTakeover,
    /// The candidate's page came back after a long silence.
    Disconnected,
}

impl IntegrityEvent {
    /// Every integrity event, in the order the proctor's row lists them.
    pub const ALL: [IntegrityEvent; 8] = [
        IntegrityEvent::Signal(IntegritySignal::PageHidden),
        IntegrityEvent::Signal(IntegritySignal::WindowBlur),
        IntegrityEvent::Signal(IntegritySignal::FullscreenExit),
        IntegrityEvent::Signal(IntegritySignal::Copy),
        IntegrityEvent::Signal(IntegritySignal::Paste),
        IntegrityEvent::Signal(IntegritySignal::ContextMenu),
        IntegrityEvent::DeviceTakeover,
        IntegrityEvent::Disconnected,
    ];
}

/// What happened to an attempt, as its timeline records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The candidate signed in.
    SignIn,
    /// The candidate accepted the consent statement.
    Consent,
    /// A section's clock started.
    SectionStart,
    /// A section closed.
    SectionEnd,
    /// An integrity event.
    Integrity(IntegrityEvent),
    /// A proctor let the candidate in from the lobby.
    Admit,
    /// The attempt was paused (by a proctor, or automatically).
    Pause,
    /// The attempt was resumed.
    Resume,
    /// Time was added to the running section.
    Extend,
    /// A proctor's message to the candidate.
    Message,
    /// The candidate closed a proctor's message.
    MessageDismissed,
    /// A proctor recorded an irregularity.
    Irregularity,
    /// A proctor released the device holding the attempt.
    Unlock,
    /// The attempt ended in this status (finished, expired or terminated).
    Ended(AttemptStatus),
}

impl EventKind {
    /// The stored word: integrity events are `integrity.<what>`; an ending is its status.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SignIn => "sign_in",
            EventKind::Consent => "consent",
            EventKind::SectionStart => "section_start",
            EventKind::SectionEnd => "section_end",
            EventKind::Integrity(i) => match i {
                IntegrityEvent::Signal(IntegritySignal::PageHidden) => "integrity.page_hidden",
                IntegrityEvent::Signal(IntegritySignal::WindowBlur) => "integrity.window_blur",
                IntegrityEvent::Signal(IntegritySignal::FullscreenExit) => {
                    "integrity.fullscreen_exit"
                }
                IntegrityEvent::Signal(IntegritySignal::Copy) => "integrity.copy",
                IntegrityEvent::Signal(IntegritySignal::Paste) => "integrity.paste",
                IntegrityEvent::Signal(IntegritySignal::ContextMenu) => "integrity.context_menu",
                IntegrityEvent::DeviceTakeover => "integrity.device_takeover",
                IntegrityEvent::Disconnected => "integrity.disconnected",
            },
            EventKind::Admit => "admit",
            EventKind::Pause => "pause",
            EventKind::Resume => "resume",
            EventKind::Extend => "extend",
            EventKind::Message => "message",
            EventKind::MessageDismissed => "message_dismissed",
            EventKind::Irregularity => "irregularity",
            EventKind::Unlock => "unlock",
            EventKind::Ended(status) => status.as_str(),
        }
    }

    /// Whether this is an integrity event (counted on the proctor's row, and towards a
    /// campaign's automatic pause).
    pub fn is_integrity(self) -> bool {
        matches!(self, EventKind::Integrity(_))
    }

    /// The stored words of every integrity event.
    pub fn integrity_words() -> [&'static str; 8] {
        IntegrityEvent::ALL.map(|i| EventKind::Integrity(i).as_str())
    }

    /// Whether a stored word names an integrity event.
    pub fn is_integrity_word(word: &str) -> bool {
        Self::integrity_words().contains(&word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    #[test]
    fn statuses_keep_the_words_already_stored() {
        let words: Vec<String> = AttemptStatus::iter().map(|s| s.to_value()).collect();
        assert_eq!(
            words,
            [
                "not_started",
                "in_progress",
                "finished",
                "expired",
                "terminated"
            ]
        );
        for s in AttemptStatus::iter() {
            assert_eq!(s.to_value(), s.as_str());
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for s in SectionStatus::iter() {
            assert_eq!(s.to_value(), s.as_str());
        }
        for r in ClosedReason::iter() {
            assert_eq!(r.to_value(), r.as_str());
        }
        assert_eq!(
            SectionStatus::try_from_value(&"open".to_owned()).unwrap(),
            SectionStatus::Open
        );
        assert!(AttemptStatus::try_from_value(&"paused".to_owned()).is_err());
    }

    #[test]
    fn a_deadline_is_past_its_grace_only_once_the_grace_has_fully_run() {
        let deadline = DateTime::parse_from_rfc3339("2026-11-30T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let grace = Duration::seconds(5);
        assert!(!past_grace(
            deadline,
            grace,
            deadline + Duration::seconds(2)
        ));
        assert!(!past_grace(
            deadline,
            grace,
            deadline + Duration::seconds(5)
        ));
        assert!(past_grace(
            deadline,
            grace,
            deadline + Duration::milliseconds(5001)
        ));
    }

    #[test]
    fn time_left_stands_still_while_paused_and_never_goes_below_zero() {
        let deadline = DateTime::parse_from_rfc3339("2026-11-30T08:10:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let now = deadline - Duration::seconds(90);
        assert_eq!(time_left_ms(deadline, None, now), 90_000);
        let paused = deadline - Duration::seconds(300);
        assert_eq!(time_left_ms(deadline, Some(paused), now), 300_000);
        assert_eq!(
            time_left_ms(deadline, None, deadline + Duration::seconds(1)),
            0
        );
    }

    #[test]
    fn only_finished_expired_and_terminated_attempts_are_over() {
        let over: Vec<AttemptStatus> = AttemptStatus::iter().filter(|s| s.is_over()).collect();
        assert_eq!(
            over,
            [
                AttemptStatus::Finished,
                AttemptStatus::Expired,
                AttemptStatus::Terminated
            ]
        );
        assert_eq!(
            AttemptStatus::Expired.closes_open_section_as(),
            ClosedReason::Timeout
        );
        assert_eq!(
            AttemptStatus::Terminated.closes_open_section_as(),
            ClosedReason::Terminated
        );
        assert_eq!(
            AttemptStatus::Finished.closes_open_section_as(),
            ClosedReason::Submitted
        );
    }

    #[test]
    fn integrity_events_are_stored_under_their_own_words_and_nothing_else_counts_as_one() {
        assert_eq!(
            EventKind::integrity_words(),
            [
                "integrity.page_hidden",
                "integrity.window_blur",
                "integrity.fullscreen_exit",
                "integrity.copy",
                "integrity.paste",
                "integrity.context_menu",
                "integrity.device_takeover",
                "integrity.disconnected",
            ]
        );
        assert!(EventKind::is_integrity_word("integrity.paste"));
        assert!(!EventKind::is_integrity_word("pause"));
        assert!(!EventKind::Pause.is_integrity());
        assert_eq!(
            EventKind::Ended(AttemptStatus::Terminated).as_str(),
            "terminated"
        );
        assert_eq!(EventKind::MessageDismissed.as_str(), "message_dismissed");
    }
}
