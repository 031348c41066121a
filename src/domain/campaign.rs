//! Campaigns: one battery delivered to enrolled participants within a window, in scheduled
//! sessions, with the rule that says which norm group each participant is compared with.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::time_zone::{zone_field, IndonesianTimeZone};
use super::FieldError;

/// Longest campaign name.
pub const MAX_NAME_CHARS: usize = 200;
/// Most sessions in one campaign.
pub const MAX_SESSIONS: usize = 500;
/// Largest capacity of one session.
pub const MAX_SESSION_CAPACITY: u32 = 20_000;

/// A participant attribute a norm rule can look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormAttribute {
    /// Highest education (SD … S3).
    Education,
    /// Job level, e.g. "Pelaksana", "Administrator".
    JobLevel,
    /// The free group column of the enrolment file.
    Group,
}

/// One rule: participants whose attribute is one of `values` use norm group `group`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormRuleEntry {
    /// The attribute looked at.
    pub attribute: NormAttribute,
    /// Values that match, compared without regard to case or surrounding spaces.
    pub values: Vec<String>,
    /// The norm-group code to use, e.g. `s1-pelaksana`.
    pub group: String,
}

/// Which norm table applies to whom: the first matching rule wins, else `default_group`. A scale
/// without a table for the chosen group falls back to the default group (see `scoring`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormRule {
    /// The group used when no rule matches (usually `umum`, the general population).
    pub default_group: String,
    /// Rules, tried in order.
    #[serde(default)]
    pub rules: Vec<NormRuleEntry>,
}

impl Default for NormRule {
    fn default() -> Self {
        Self {
            default_group: "umum".into(),
            rules: Vec::new(),
        }
    }
}

/// What a norm rule sees of a participant.
#[derive(Debug, Clone, Copy)]
pub struct NormSubject<'a> {
    /// Education, canonical (e.g. `S1`).
    pub education: &'a str,
    /// Job level.
    pub job_level: &'a str,
    /// Group column, when given.
    pub group: Option<&'a str>,
}

impl NormRule {
    /// The norm-group code for a participant: the first rule whose attribute value matches.
    pub fn group_for(&self, who: NormSubject<'_>) -> &str {
        let norm = |s: &str| s.trim().to_lowercase();
        for rule in &self.rules {
            let value = match rule.attribute {
                NormAttribute::Education => Some(who.education),
                NormAttribute::JobLevel => Some(who.job_level),
                NormAttribute::Group => who.group,
            };
            if let Some(v) = value {
                if rule
                    .values
                    .iter()
                    .any(|candidate| norm(candidate) == norm(v))
                {
                    return &rule.group;
                }
            }
        }
        &self.default_group
    }
}

/// A session as HR defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDoc {
    /// Short name, unique in the campaign; the enrolment file's `session` column refers to it.
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

/// A campaign as HR creates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignDoc {
    /// Display name.
    pub name: String,
    /// The battery delivered.
    pub battery: Uuid,
    /// Candidates may sign in from this moment…
    pub opens_at: DateTime<Utc>,
    /// …until this one.
    pub closes_at: DateTime<Utc>,
    /// Whether candidates see their scores on the end screen.
    #[serde(default)]
    pub show_score_to_candidate: bool,
    /// Whether continuing on another device needs a proctor's unlock instead of taking over.
    #[serde(default)]
    pub resume_requires_unlock: bool,
    /// Which norm group applies to whom.
    #[serde(default)]
    pub norm_rule: NormRule,
    /// Scheduled sittings.
    #[serde(default)]
    pub sessions: Vec<SessionDoc>,
    /// Candidates of a session wait in a lobby until a proctor admits them and starts the
    /// session; the first section then starts for every admitted candidate with one deadline.
    #[serde(default)]
    pub lobby: bool,
    /// Pause an attempt automatically when its integrity events reach this count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_pause_after: Option<u32>,
    /// The zone in which the candidate's page shows the campaign's times (its window, a
    /// session's start).
    #[serde(default, deserialize_with = "zone_field")]
    pub time_zone: IndonesianTimeZone,
    /// Where a participant asks about, or for, their personal data (an e-mail address or an
    /// office), shown on the consent screen (UU 27/2022).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_contact: Option<String>,
    /// How many months the participant's answers and results are kept, shown on the consent
    /// screen. Read as any whole number so that one out of range is named with the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_months: Option<i64>,
}

/// Longest data contact, in characters after trimming.
pub const MAX_DATA_CONTACT_CHARS: usize = 200;
/// Longest retention a campaign may state, in months (ten years).
pub const MAX_RETENTION_MONTHS: i64 = 120;

/// Most integrity events a campaign may tolerate before an automatic pause.
pub const MAX_AUTO_PAUSE_AFTER: u32 = 1000;

/// A norm-group code: 1–40 of `a–z 0–9 _ -` (the instrument format's group codes).
pub fn is_group_code(s: &str) -> bool {
    super::is_code(s, 40, |b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
    })
}

impl CampaignDoc {
    /// The data contact as it is kept: trimmed.
    pub fn trimmed_data_contact(&self) -> Option<String> {
        self.data_contact.as_deref().map(|c| c.trim().to_owned())
    }

    /// Every problem that can be seen without the database.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            errs.push(FieldError::top(
                "name",
                format!("must be 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        if self.closes_at <= self.opens_at {
            errs.push(FieldError::top("closes_at", "must be after opens_at"));
        }
        if !is_group_code(&self.norm_rule.default_group) {
            errs.push(FieldError::top(
                "norm_rule.default_group",
                "must be a norm-group code (1–40 of a–z 0–9 _ -)",
            ));
        }
        for (i, rule) in self.norm_rule.rules.iter().enumerate() {
            if !is_group_code(&rule.group) {
                errs.push(FieldError::top(
                    format!("norm_rule.rules[{i}].group"),
                    "must be a norm-group code (1–40 of a–z 0–9 _ -)",
                ));
            }
            if rule.values.is_empty() || rule.values.iter().any(|v| v.trim().is_empty()) {
                errs.push(FieldError::top(
                    format!("norm_rule.rules[{i}].values"),
                    "needs at least one non-empty value",
                ));
            }
        }
        if self.lobby && self.sessions.is_empty() {
            errs.push(FieldError::top(
                "lobby",
                "a lobby needs at least one session: candidates wait in their session's lobby",
            ));
        }
        if self
            .auto_pause_after
            .is_some_and(|n| !(1..=MAX_AUTO_PAUSE_AFTER).contains(&n))
        {
            errs.push(FieldError::top(
                "auto_pause_after",
                format!("must be from 1 to {MAX_AUTO_PAUSE_AFTER}, or left out"),
            ));
        }
        if self.data_contact.as_deref().is_some_and(|c| {
            let n = c.trim().chars().count();
            n == 0 || n > MAX_DATA_CONTACT_CHARS
        }) {
            errs.push(FieldError::top(
                "data_contact",
                format!("must be 1 to {MAX_DATA_CONTACT_CHARS} characters, or left out"),
            ));
        }
        if self
            .retention_months
            .is_some_and(|n| !(1..=MAX_RETENTION_MONTHS).contains(&n))
        {
            errs.push(FieldError::top(
                "retention_months",
                format!("must be a whole number of months from 1 to {MAX_RETENTION_MONTHS}, or left out"),
            ));
        }
        if self.sessions.len() > MAX_SESSIONS {
            errs.push(FieldError::top(
                "sessions",
                format!("a campaign has at most {MAX_SESSIONS} sessions"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let p = format!("sessions[{i}]");
            let n = s.name.trim();
            if n.is_empty() || n.chars().count() > 80 {
                errs.push(FieldError::top(
                    format!("{p}.name"),
                    "must be 1 to 80 characters",
                ));
            } else if !seen.insert(n.to_lowercase()) {
                errs.push(FieldError::top(
                    format!("{p}.name"),
                    format!("the session name '{n}' is used twice"),
                ));
            }
            if s.room.as_deref().is_some_and(|r| r.chars().count() > 120) {
                errs.push(FieldError::top(
                    format!("{p}.room"),
                    "must be at most 120 characters",
                ));
            }
            if !(1..=MAX_SESSION_CAPACITY).contains(&s.capacity) {
                errs.push(FieldError::top(
                    format!("{p}.capacity"),
                    format!("must be from 1 to {MAX_SESSION_CAPACITY}"),
                ));
            }
            if s.starts_at < self.opens_at || s.starts_at >= self.closes_at {
                errs.push(FieldError::top(
                    format!("{p}.starts_at"),
                    "must fall within the campaign's window (opens_at to closes_at)",
                ));
            }
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> CampaignDoc {
        serde_json::from_value(serde_json::json!({
            "name": "Pemetaan Kompetensi 2026", "battery": Uuid::nil(),
            "opens_at": "2026-12-01T00:00:00Z", "closes_at": "2026-12-03T00:00:00Z",
            "norm_rule": {"default_group": "umum", "rules": [
                {"attribute": "education", "values": ["S1", "D4"], "group": "s1"},
                {"attribute": "job_level", "values": ["Pelaksana"], "group": "pelaksana"}]},
            "sessions": [{"name": "Sesi 1", "room": "Lab A", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40}]
        }))
        .unwrap()
    }

    #[test]
    fn a_well_formed_campaign_has_no_problems() {
        assert_eq!(doc().validate(), vec![]);
    }

    #[test]
    fn a_lobby_needs_a_session_and_auto_pause_a_count_from_one_to_a_thousand() {
        let mut d = doc();
        d.lobby = true;
        d.auto_pause_after = Some(3);
        assert_eq!(d.validate(), vec![]);
        d.sessions.clear();
        d.auto_pause_after = Some(0);
        let fields: Vec<String> = d.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["lobby", "auto_pause_after"]);
        d.auto_pause_after = Some(MAX_AUTO_PAUSE_AFTER + 1);
        d.lobby = false;
        let fields: Vec<String> = d.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["auto_pause_after"]);
    }

    #[test]
    fn the_candidate_settings_default_to_wib_and_nothing_stated() {
        let d = doc();
        assert_eq!(d.time_zone, IndonesianTimeZone::Wib);
        assert_eq!((d.data_contact, d.retention_months), (None, None));
        let v = serde_json::to_value(doc()).unwrap();
        assert_eq!(v["time_zone"], "WIB");
        assert_eq!(v.get("data_contact"), None);
    }

    #[test]
    fn a_data_contact_of_1_to_200_characters_and_a_retention_of_1_to_120_months_are_taken() {
        let mut d = doc();
        d.time_zone = IndonesianTimeZone::Wit;
        for (contact, months) in [
            ("  privasi@bkpsdm.example.go.id ", 1),
            ("x", 120),
            (&"é".repeat(MAX_DATA_CONTACT_CHARS)[..], 24),
        ] {
            d.data_contact = Some(contact.to_owned());
            d.retention_months = Some(months);
            assert_eq!(d.validate(), vec![], "{contact} {months}");
        }
        d.data_contact = Some("  privasi@bkpsdm.example.go.id ".into());
        assert_eq!(
            d.trimmed_data_contact().as_deref(),
            Some("privasi@bkpsdm.example.go.id")
        );
    }

    #[test]
    fn an_empty_or_long_data_contact_and_a_retention_outside_1_to_120_are_named() {
        for (contact, months) in [
            ("   ".to_owned(), 0),
            ("a".repeat(MAX_DATA_CONTACT_CHARS + 1), 121),
            (String::new(), -5),
        ] {
            let mut d = doc();
            d.data_contact = Some(contact);
            d.retention_months = Some(months);
            let fields: Vec<String> = d.validate().into_iter().map(|e| e.field).collect();
            assert_eq!(fields, ["data_contact", "retention_months"], "{months}");
        }
    }

    #[test]
    fn a_time_zone_is_one_of_the_three_codes() {
        let mut v = serde_json::to_value(doc()).unwrap();
        v["time_zone"] = serde_json::json!("WITA");
        let d: CampaignDoc = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(d.time_zone, IndonesianTimeZone::Wita);
        for bad in [
            serde_json::json!("UTC+8"),
            serde_json::json!("wita"),
            serde_json::json!(null),
        ] {
            v["time_zone"] = bad;
            let e = serde_json::from_value::<CampaignDoc>(v.clone()).unwrap_err();
            assert!(e.to_string().contains("time_zone"), "{e}");
        }
    }

    #[test]
    fn the_first_matching_norm_rule_wins_and_values_ignore_case() {
        let rule = doc().norm_rule;
        let who = |education, job_level| NormSubject {
            education,
            job_level,
            group: None,
        };
        assert_eq!(rule.group_for(who("S1", "Pelaksana")), "s1");
        assert_eq!(rule.group_for(who("SMA", " pelaksana ")), "pelaksana");
        assert_eq!(rule.group_for(who("SMA", "Pengawas")), "umum");
    }

    #[test]
    fn a_window_that_closes_before_it_opens_and_a_session_outside_it_are_named() {
        let mut d = doc();
        d.closes_at = d.opens_at;
        d.sessions[0].capacity = 0;
        let fields: Vec<String> = d.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["closes_at", "sessions[0].capacity", "sessions[0].starts_at"]
        );
    }

    #[test]
    fn session_names_are_unique_without_regard_to_case() {
        let mut d = doc();
        let mut again = d.sessions[0].clone();
        again.name = "SESI 1".into();
        d.sessions.push(again);
        let errs = d.validate();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "sessions[1].name");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut v = serde_json::to_value(doc()).unwrap();
        v["show_scores"] = serde_json::json!(true);
        assert!(serde_json::from_value::<CampaignDoc>(v).is_err());
    }

    #[test]
    fn bad_norm_group_codes_are_named() {
        let mut d = doc();
        d.norm_rule.default_group = "Umum Nasional".into();
        d.norm_rule.rules[0].values.clear();
        let fields: Vec<String> = d.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["norm_rule.default_group", "norm_rule.rules[0].values"]
        );
    }
}
