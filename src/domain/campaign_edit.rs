//! Editing a campaign after it was created: a partial change applied to what is stored, and the
//! rules that keep an edit from undoing what candidates were already given.
//!
//! What may change, and when:
//! - name, whether candidates see their scores, whether a device switch needs an unlock, the
//!   automatic pause, and what the candidate's page says (time zone, data contact, retention): at
//!   any time (each is read when it is next needed);
//! - the window: at any time, except that once candidates have signed in it cannot open later
//!   than now, and closing it now on candidates who have not finished must be said explicitly
//!   (`expire_unfinished`): their attempts then expire and are scored on what they answered;
//! - sessions: added, renamed, moved (time, room, capacity, proctor) at any time, a capacity never
//!   below the participants enrolled in it; removed only while nobody is enrolled in it;
//! - the norm rule: until the first candidate signs in (each attempt takes its norm group then);
//! - the lobby: until a session was started or a candidate began a section;
//! - the battery: never (answers belong to its items; a new battery is a new campaign).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use super::campaign::{CampaignDoc, NormRule, SessionDoc};
use super::time_zone::{zone_field, IndonesianTimeZone};
use super::FieldError;

/// A session as HR edits it: with the id of a stored session to change it, without to add one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionEdit {
    /// The stored session this entry changes; none for a new session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// Short name, unique in the campaign.
    pub name: String,
    /// Where it takes place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// When candidates may start.
    pub starts_at: DateTime<Utc>,
    /// Most participants in it.
    pub capacity: u32,
    /// The proctor account watching it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proctor: Option<Uuid>,
}

impl SessionEdit {
    fn doc(&self) -> SessionDoc {
        SessionDoc {
            name: self.name.trim().to_owned(),
            room: self.room.clone(),
            starts_at: self.starts_at,
            capacity: self.capacity,
            proctor: self.proctor,
        }
    }
}

/// A partial change of a campaign: every field left out stays as it is. `sessions`, when given,
/// is the whole list in its new order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignPatch {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The battery: accepted only when it is the campaign's own (it never changes).
    #[serde(default)]
    pub battery: Option<Uuid>,
    /// Window start.
    #[serde(default)]
    pub opens_at: Option<DateTime<Utc>>,
    /// Window end.
    #[serde(default)]
    pub closes_at: Option<DateTime<Utc>>,
    /// Whether candidates see their scores on the end screen.
    #[serde(default)]
    pub show_score_to_candidate: Option<bool>,
    /// Whether continuing on another device needs a proctor's unlock.
    #[serde(default)]
    pub resume_requires_unlock: Option<bool>,
    /// Which norm group applies to whom.
    #[serde(default)]
    pub norm_rule: Option<NormRule>,
    /// Whether candidates wait in a lobby.
    #[serde(default)]
    pub lobby: Option<bool>,
    /// The automatic pause: a count, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    pub auto_pause_after: Option<Option<u32>>,
    /// The zone the candidate's page shows the campaign's times in (never `null`).
    #[serde(default, deserialize_with = "zone_given")]
    pub time_zone: Option<IndonesianTimeZone>,
    /// Where participants ask about their data, or `null` for none stated.
    #[serde(default, deserialize_with = "present")]
    pub data_contact: Option<Option<String>>,
    /// How long answers and results are kept, in months, or `null` for none stated.
    #[serde(default, deserialize_with = "present")]
    pub retention_months: Option<Option<i64>>,
    /// The sessions, all of them, in order.
    #[serde(default)]
    pub sessions: Option<Vec<SessionEdit>>,
    /// Closing the window now ends the attempts of candidates who have not finished (they expire
    /// and are scored on what they answered): this says so.
    #[serde(default)]
    pub expire_unfinished: bool,
    /// Why, kept with the audit entry.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A field that is present (even as `null`) is `Some`: `null` then means "none".
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A `time_zone` that is present is a zone (`null` is refused, naming the field).
fn zone_given<'de, D>(d: D) -> Result<Option<IndonesianTimeZone>, D::Error>
where
    D: Deserializer<'de>,
{
    zone_field(d).map(Some)
}

/// A stored session with what has happened in it.
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// Its id.
    pub id: Uuid,
    /// Its fields.
    pub doc: SessionDoc,
    /// Participants enrolled in it.
    pub enrolled: u64,
    /// A proctor started it (lobby campaigns).
    pub started: bool,
}

/// What the candidates of a campaign have done so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct CampaignUse {
    /// Candidates who signed in (each has an attempt).
    pub signed_in: u64,
    /// Attempts that began a section.
    pub begun: u64,
    /// Attempts not over yet (not finished, expired or terminated).
    pub unfinished: u64,
}

/// A campaign as it is stored, with what has happened in it.
#[derive(Debug, Clone)]
pub struct StoredCampaign {
    /// Its fields (sessions in order, as `sessions` below).
    pub doc: CampaignDoc,
    /// Its sessions in order.
    pub sessions: Vec<StoredSession>,
    /// What its candidates have done.
    pub used: CampaignUse,
}

/// A patch that may be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The campaign after the change.
    pub doc: CampaignDoc,
    /// For each session of `doc`, the stored session it is (none: a new one).
    pub session_ids: Vec<Option<Uuid>>,
    /// Stored sessions no longer listed.
    pub removed: Vec<Uuid>,
    /// Sessions (by index in `doc.sessions`) whose proctor is new, to be checked against the
    /// organisation's accounts; an unchanged proctor is kept even if since disabled.
    pub new_proctors: Vec<(usize, Uuid)>,
    /// Whether the sessions were given.
    pub sessions_given: bool,
}

impl Edit {
    /// Whether the edit changes nothing.
    pub fn changes_nothing(&self, stored: &StoredCampaign) -> bool {
        self.doc == stored.doc
            && self.removed.is_empty()
            && self.session_ids
                == stored
                    .sessions
                    .iter()
                    .map(|s| Some(s.id))
                    .collect::<Vec<_>>()
    }
}

/// Why a patch cannot be stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The campaign after the change would be invalid (names, window, sessions…).
    Invalid(Vec<FieldError>),
    /// The change would alter what candidates were already given.
    Locked(Vec<FieldError>),
}

impl CampaignPatch {
    /// The campaign after this change, or every reason it cannot be made; `now` is the server's
    /// time (the window may not be closed now on unfinished attempts without saying so).
    pub fn apply(&self, stored: &StoredCampaign, now: DateTime<Utc>) -> Result<Edit, Refusal> {
        let cur = &stored.doc;
        let used = stored.used;
        let mut invalid = Vec::new();
        let mut locked = Vec::new();
        let mut doc = cur.clone();
        if let Some(name) = &self.name {
            doc.name = name.trim().to_owned();
        }
        if let Some(b) = self.battery {
            if b != cur.battery {
                locked.push(FieldError::top(
                    "battery",
                    "the battery of a campaign never changes (answers belong to its items); create a new campaign for another battery",
                ));
            }
        }
        if let Some(t) = self.opens_at {
            doc.opens_at = t;
            if t != cur.opens_at && used.signed_in > 0 && t > now {
                locked.push(FieldError::top(
                    "opens_at",
                    format!(
                        "{} candidate(s) have signed in: the window cannot open later than now",
                        used.signed_in
                    ),
                ));
            }
        }
        if let Some(t) = self.closes_at {
            doc.closes_at = t;
            if t != cur.closes_at && t <= now && used.unfinished > 0 && !self.expire_unfinished {
                locked.push(FieldError::top(
                    "closes_at",
                    format!(
                        "{} candidate(s) have not finished: closing the window now ends their attempts as expired, scored on what they answered; send expire_unfinished: true to do so",
                        used.unfinished
                    ),
                ));
            }
        }
        if let Some(v) = self.show_score_to_candidate {
            doc.show_score_to_candidate = v;
        }
        if let Some(v) = self.resume_requires_unlock {
            doc.resume_requires_unlock = v;
        }
        if let Some(rule) = &self.norm_rule {
            doc.norm_rule = rule.clone();
            if *rule != cur.norm_rule && used.signed_in > 0 {
                locked.push(FieldError::top(
                    "norm_rule",
                    format!(
                        "{} candidate(s) have signed in and were given their norm group by the current rule: it can no longer change",
                        used.signed_in
                    ),
                ));
            }
        }
        if let Some(v) = self.lobby {
            doc.lobby = v;
            let started = stored.sessions.iter().any(|s| s.started);
            if v != cur.lobby && (used.begun > 0 || started) {
                locked.push(FieldError::top(
                    "lobby",
                    "a session has started or a candidate has begun: the lobby can no longer be switched",
                ));
            }
        }
        if let Some(v) = self.auto_pause_after {
            doc.auto_pause_after = v;
        }
        if let Some(z) = self.time_zone {
            doc.time_zone = z;
        }
        if let Some(c) = &self.data_contact {
            doc.data_contact = c.as_deref().map(|c| c.trim().to_owned());
        }
        if let Some(m) = self.retention_months {
            doc.retention_months = m;
        }
        let mut session_ids: Vec<Option<Uuid>> =
            stored.sessions.iter().map(|s| Some(s.id)).collect();
        let mut removed = Vec::new();
        let mut new_proctors = Vec::new();
        if let Some(list) = &self.sessions {
            let mut seen = std::collections::HashSet::new();
            doc.sessions = list.iter().map(SessionEdit::doc).collect();
            session_ids = list.iter().map(|s| s.id).collect();
            for (i, s) in list.iter().enumerate() {
                let old = match s.id {
                    None => None,
                    Some(id) => {
                        if !seen.insert(id) {
                            invalid.push(FieldError::top(
                                format!("sessions[{i}].id"),
                                "this session is listed twice",
                            ));
                        }
                        let found = stored.sessions.iter().find(|x| x.id == id);
                        if found.is_none() {
                            invalid.push(FieldError::top(
                                format!("sessions[{i}].id"),
                                "no session with this id in this campaign",
                            ));
                        }
                        found
                    }
                };
                if let Some(old) = old {
                    // A capacity of 0 is already named by the document's own check.
                    if s.capacity > 0 && u64::from(s.capacity) < old.enrolled {
                        invalid.push(FieldError::top(
                            format!("sessions[{i}].capacity"),
                            format!(
                                "{n} participants are enrolled in this session: the capacity must be at least {n}",
                                n = old.enrolled
                            ),
                        ));
                    }
                }
                if let Some(p) = s.proctor {
                    if old.and_then(|o| o.doc.proctor) != Some(p) {
                        new_proctors.push((i, p));
                    }
                }
            }
            for old in &stored.sessions {
                if seen.contains(&old.id) {
                    continue;
                }
                if old.enrolled > 0 {
                    locked.push(FieldError::top(
                        "sessions",
                        format!(
                            "the session '{}' has {} participant(s) enrolled and cannot be removed",
                            old.doc.name, old.enrolled
                        ),
                    ));
                } else {
                    removed.push(old.id);
                }
            }
        }
        let mut shape = doc.validate();
        shape.append(&mut invalid);
        if !shape.is_empty() {
            return Err(Refusal::Invalid(shape));
        }
        if !locked.is_empty() {
            return Err(Refusal::Locked(locked));
        }
        Ok(Edit {
            doc,
            session_ids,
            removed,
            new_proctors,
            sessions_given: self.sessions.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn stored(used: CampaignUse) -> StoredCampaign {
        let doc: CampaignDoc = serde_json::from_value(json!({
            "name": "Pemetaan 2026", "battery": Uuid::nil(),
            "opens_at": "2026-12-01T00:00:00Z", "closes_at": "2026-12-03T00:00:00Z",
            "norm_rule": {"default_group": "umum", "rules": []},
            "sessions": [
                {"name": "Sesi 1", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40},
                {"name": "Sesi 2", "starts_at": "2026-12-01T05:00:00Z", "capacity": 40}]
        }))
        .unwrap();
        let sessions = doc
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| StoredSession {
                id: Uuid::from_u128(i as u128 + 1),
                doc: s.clone(),
                enrolled: if i == 0 { 12 } else { 0 },
                started: false,
            })
            .collect();
        StoredCampaign {
            doc,
            sessions,
            used,
        }
    }

    fn patch(v: serde_json::Value) -> CampaignPatch {
        serde_json::from_value(v).unwrap()
    }

    fn fields(r: Result<Edit, Refusal>) -> (&'static str, Vec<String>) {
        match r {
            Ok(_) => ("ok", vec![]),
            Err(Refusal::Invalid(e)) => ("invalid", e.into_iter().map(|e| e.field).collect()),
            Err(Refusal::Locked(e)) => ("locked", e.into_iter().map(|e| e.field).collect()),
        }
    }

    const BEFORE: &str = "2026-11-20T00:00:00Z";
    const DURING: &str = "2026-12-02T00:00:00Z";

    #[test]
    fn an_empty_patch_changes_nothing_and_null_clears_the_automatic_pause() {
        let s = stored(CampaignUse::default());
        let e = patch(json!({})).apply(&s, at(BEFORE)).unwrap();
        assert!(e.changes_nothing(&s));
        let mut with_pause = s.clone();
        with_pause.doc.auto_pause_after = Some(3);
        let e = patch(json!({"auto_pause_after": null}))
            .apply(&with_pause, at(BEFORE))
            .unwrap();
        assert_eq!(e.doc.auto_pause_after, None);
        let e = patch(json!({"name": "  Baru  "}))
            .apply(&with_pause, at(BEFORE))
            .unwrap();
        assert_eq!(e.doc.name, "Baru");
        assert_eq!(e.doc.auto_pause_after, Some(3), "left out: unchanged");
    }

    #[test]
    fn settings_that_do_not_touch_answers_change_while_candidates_work() {
        let used = CampaignUse {
            signed_in: 5,
            begun: 4,
            unfinished: 3,
        };
        let e = patch(
            json!({"show_score_to_candidate": true, "resume_requires_unlock": true,
            "auto_pause_after": 5, "name": "Pemetaan Ulang", "closes_at": "2026-12-05T00:00:00Z"}),
        )
        .apply(&stored(used), at(DURING))
        .unwrap();
        assert!(e.doc.show_score_to_candidate && e.doc.resume_requires_unlock);
        assert_eq!(e.doc.auto_pause_after, Some(5));
        assert_eq!(e.doc.closes_at, at("2026-12-05T00:00:00Z"));
    }

    #[test]
    fn the_candidate_settings_change_at_any_time_and_two_of_them_clear_with_null() {
        let used = CampaignUse {
            signed_in: 5,
            begun: 4,
            unfinished: 3,
        };
        let s = stored(used);
        let e = patch(
            json!({"time_zone": "WITA", "data_contact": "  privasi@example.go.id ",
            "retention_months": 36}),
        )
        .apply(&s, at(DURING))
        .unwrap();
        assert_eq!(e.doc.time_zone, IndonesianTimeZone::Wita);
        assert_eq!(e.doc.data_contact.as_deref(), Some("privasi@example.go.id"));
        assert_eq!(e.doc.retention_months, Some(36));
        let with = StoredCampaign {
            doc: e.doc.clone(),
            ..s.clone()
        };
        // Left out: unchanged; null: cleared (the zone stays).
        let kept = patch(json!({"name": "Baru"}))
            .apply(&with, at(DURING))
            .unwrap();
        assert_eq!(
            kept.doc.data_contact.as_deref(),
            Some("privasi@example.go.id")
        );
        assert_eq!(kept.doc.retention_months, Some(36));
        let cleared = patch(json!({"data_contact": null, "retention_months": null}))
            .apply(&with, at(DURING))
            .unwrap();
        assert_eq!(
            (cleared.doc.data_contact, cleared.doc.retention_months),
            (None, None)
        );
        assert_eq!(cleared.doc.time_zone, IndonesianTimeZone::Wita);
        // Sending the stored values again is no change.
        let same = patch(
            json!({"time_zone": "WITA", "data_contact": "privasi@example.go.id",
            "retention_months": 36}),
        )
        .apply(&with, at(DURING))
        .unwrap();
        assert!(same.changes_nothing(&with));
    }

    #[test]
    fn bad_candidate_settings_are_named_and_the_zone_cannot_be_cleared() {
        let s = stored(CampaignUse::default());
        let r = patch(json!({"data_contact": " ", "retention_months": 121})).apply(&s, at(BEFORE));
        assert_eq!(
            fields(r),
            (
                "invalid",
                vec!["data_contact".into(), "retention_months".into()]
            )
        );
        for bad in [json!({"time_zone": null}), json!({"time_zone": "UTC"})] {
            let e = serde_json::from_value::<CampaignPatch>(bad).unwrap_err();
            assert!(e.to_string().contains("time_zone"), "{e}");
        }
    }

    #[test]
    fn the_battery_never_changes_and_the_norm_rule_and_lobby_stop_once_used() {
        let used = CampaignUse {
            signed_in: 1,
            begun: 1,
            unfinished: 1,
        };
        let rule = json!({"default_group": "s1", "rules": []});
        let p = patch(json!({"battery": Uuid::from_u128(9), "norm_rule": rule, "lobby": true}));
        assert_eq!(
            fields(p.apply(&stored(used), at(DURING))),
            (
                "locked",
                vec!["battery".into(), "norm_rule".into(), "lobby".into()]
            )
        );
        // Before anyone signs in, the rule and the lobby change; the battery still does not.
        assert_eq!(
            fields(p.apply(&stored(CampaignUse::default()), at(BEFORE))),
            ("locked", vec!["battery".into()])
        );
        let same = patch(json!({"battery": Uuid::nil(), "norm_rule": rule, "lobby": true}));
        assert_eq!(
            fields(same.apply(&stored(CampaignUse::default()), at(BEFORE))),
            ("ok", vec![])
        );
        // Sending the values as they are is no change, whatever has happened.
        let unchanged = patch(json!({"battery": Uuid::nil(), "lobby": false,
            "norm_rule": {"default_group": "umum", "rules": []}}));
        assert_eq!(
            fields(unchanged.apply(&stored(used), at(DURING))),
            ("ok", vec![])
        );
    }

    #[test]
    fn a_started_session_fixes_the_lobby() {
        let mut s = stored(CampaignUse::default());
        s.sessions[1].started = true;
        assert_eq!(
            fields(patch(json!({"lobby": true})).apply(&s, at(DURING))),
            ("locked", vec!["lobby".into()])
        );
    }

    #[test]
    fn closing_now_on_unfinished_candidates_must_be_said_and_opening_later_is_refused() {
        let used = CampaignUse {
            signed_in: 2,
            begun: 2,
            unfinished: 1,
        };
        let close = json!({"closes_at": "2026-12-01T12:00:00Z"});
        assert_eq!(
            fields(patch(close.clone()).apply(&stored(used), at(DURING))),
            ("locked", vec!["closes_at".into()])
        );
        let mut said = close.clone();
        said["expire_unfinished"] = json!(true);
        assert_eq!(
            fields(patch(said).apply(&stored(used), at(DURING))),
            ("ok", vec![])
        );
        // Everyone finished: closing now needs no confirmation.
        let done = CampaignUse {
            unfinished: 0,
            ..used
        };
        assert_eq!(
            fields(patch(close).apply(&stored(done), at(DURING))),
            ("ok", vec![])
        );
        // Opening later than now would lock out those who signed in (the sessions go too: they
        // would start before the window; the first one has participants and stays).
        let later = json!({"opens_at": "2026-12-02T06:00:00Z", "sessions": []});
        assert_eq!(
            fields(patch(later).apply(&stored(done), at(DURING))),
            ("locked", vec!["opens_at".into(), "sessions".into()])
        );
        let earlier = json!({"opens_at": "2026-11-30T00:00:00Z"});
        assert_eq!(
            fields(patch(earlier).apply(&stored(done), at(DURING))),
            ("ok", vec![])
        );
    }

    #[test]
    fn sessions_are_added_changed_and_removed_only_when_nobody_is_enrolled() {
        let s = stored(CampaignUse::default());
        let one = Uuid::from_u128(1);
        let two = Uuid::from_u128(2);
        let proctor = Uuid::from_u128(77);
        let e = patch(json!({"sessions": [
            {"name": "Sesi Baru", "starts_at": "2026-12-02T01:00:00Z", "capacity": 10, "proctor": proctor},
            {"id": one, "name": "Sesi Pagi", "room": "Lab B", "starts_at": "2026-12-01T02:00:00Z", "capacity": 12}
        ]}))
        .apply(&s, at(BEFORE))
        .unwrap();
        assert_eq!(e.session_ids, vec![None, Some(one)]);
        assert_eq!(e.removed, vec![two]);
        assert_eq!(e.new_proctors, vec![(0, proctor)]);
        assert_eq!(e.doc.sessions[1].name, "Sesi Pagi");
        assert!(!e.changes_nothing(&s));

        // Session 1 has 12 participants: not below 12, and not removed.
        let r = patch(json!({"sessions": [
            {"id": one, "name": "Sesi 1", "starts_at": "2026-12-01T01:00:00Z", "capacity": 11}]}))
        .apply(&s, at(BEFORE));
        assert_eq!(fields(r), ("invalid", vec!["sessions[0].capacity".into()]));
        let r = patch(json!({"sessions": [
            {"id": two, "name": "Sesi 2", "starts_at": "2026-12-01T05:00:00Z", "capacity": 40}]}))
        .apply(&s, at(BEFORE));
        assert_eq!(fields(r), ("locked", vec!["sessions".into()]));
    }

    #[test]
    fn unknown_or_repeated_session_ids_and_an_invalid_result_are_named() {
        let s = stored(CampaignUse::default());
        let one = Uuid::from_u128(1);
        let r = patch(json!({"closes_at": "2026-11-30T00:00:00Z", "sessions": [
            {"id": one, "name": "Sesi 1", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40},
            {"id": one, "name": "Sesi 1b", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40},
            {"id": Uuid::from_u128(5), "name": "Sesi 5", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40}]}))
        .apply(&s, at(BEFORE));
        assert_eq!(
            fields(r),
            (
                "invalid",
                vec![
                    "closes_at".into(),
                    "sessions[0].starts_at".into(),
                    "sessions[1].starts_at".into(),
                    "sessions[2].starts_at".into(),
                    "sessions[1].id".into(),
                    "sessions[2].id".into(),
                ]
            )
        );
    }

    #[test]
    fn an_unchanged_proctor_is_not_checked_again() {
        let mut s = stored(CampaignUse::default());
        let p = Uuid::from_u128(70);
        s.sessions[0].doc.proctor = Some(p);
        s.doc.sessions[0].proctor = Some(p);
        let e = patch(json!({"sessions": [
            {"id": Uuid::from_u128(1), "name": "Sesi 1", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40, "proctor": p},
            {"id": Uuid::from_u128(2), "name": "Sesi 2", "starts_at": "2026-12-01T05:00:00Z", "capacity": 40}]}))
        .apply(&s, at(BEFORE))
        .unwrap();
        assert!(e.new_proctors.is_empty());
        assert!(e.changes_nothing(&s));
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_value::<CampaignPatch>(json!({"show_scores": true})).is_err());
        assert!(serde_json::from_value::<CampaignPatch>(
            json!({"sessions": [{"name": "x", "starts_at": "2026-12-01T01:00:00Z", "capacity": 1, "seats": 3}]})
        )
        .is_err());
    }
}
