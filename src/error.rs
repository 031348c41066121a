//! The one table of error codes every failure maps into.
//!
//! Each error a client can see has a stable snake_case code, an HTTP status and a message; the body
//! is always `{"code": "…", "message": "…"}` (plus `errors` for field-by-field validation). Modules
//! keep their own error enums and convert into [`ApiError`]; unexpected failures are logged with
//! their whole cause chain and shown to the client only as `internal`.
use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::FieldError;

/// Declares the error-code table once: each row gives a code's variant, its wire name and its HTTP
/// status, and the enum, [`ErrorCode::status`], [`ErrorCode::as_str`] and [`ErrorCode::ALL`] are
/// all generated from it. The wire name is also the variant's serde (and so OpenAPI) name.
macro_rules! error_codes {
    (
        $(#[doc = $enum_doc:tt])*
        pub enum ErrorCode {
            $( $(#[doc = $doc:tt])* $variant:ident = $wire:tt => $status:ident, )*
        }
    ) => {
        $(#[doc = $enum_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* #[serde(rename = $wire)] $variant, )*
        }

        impl ErrorCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The HTTP status this code is sent with.
            pub fn status(self) -> StatusCode {
                match self {
                    $(ErrorCode::$variant => StatusCode::$status,)*
                }
            }

            /// The code as sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                }
            }
        }
    };
}

error_codes! {
    /// Every error code of the API, with its HTTP status.
    pub enum ErrorCode {
        /// The body is not valid JSON.
        InvalidJson = "invalid_json" => BAD_REQUEST,
        /// The body or a field has the wrong type, a missing or unknown field, or an invalid value.
        InvalidInput = "invalid_input" => UNPROCESSABLE_ENTITY,
        /// A query-string parameter is malformed.
        InvalidQuery = "invalid_query" => BAD_REQUEST,
        /// The body is not of a media type this endpoint accepts.
        UnsupportedMediaType = "unsupported_media_type" => UNSUPPORTED_MEDIA_TYPE,
        /// The body is larger than the configured limit.
        PayloadTooLarge = "payload_too_large" => PAYLOAD_TOO_LARGE,
        /// No bearer token was sent.
        Unauthenticated = "unauthenticated" => UNAUTHORIZED,
        /// The bearer token is malformed, expired, revoked or belongs to a disabled account.
        InvalidToken = "invalid_token" => UNAUTHORIZED,
        /// The e-mail address or password is wrong.
        InvalidCredentials = "invalid_credentials" => UNAUTHORIZED,
        /// The account has been disabled by an administrator.
        AccountDisabled = "account_disabled" => FORBIDDEN,
        /// The e-mail address and password open accounts in several organisations: sign in again
        /// naming one by its code (they are listed under `errors`, code as `item`, name as
        /// `message`).
        OrganisationRequired = "organisation_required" => CONFLICT,
        /// The caller's role may not do this.
        Forbidden = "forbidden" => FORBIDDEN,
        /// Too many attempts in a short time.
        TooManyRequests = "too_many_requests" => TOO_MANY_REQUESTS,
        /// No such resource (or it belongs to another organisation).
        NotFound = "not_found" => NOT_FOUND,
        /// The path exists but not with this method.
        MethodNotAllowed = "method_not_allowed" => METHOD_NOT_ALLOWED,
        /// An account of the organisation already has this e-mail address.
        EmailTaken = "email_taken" => CONFLICT,
        /// An administrator tried to disable their own account.
        CannotDisableSelf = "cannot_disable_self" => CONFLICT,
        /// The organisation already has this instrument code and version.
        InstrumentVersionExists = "instrument_version_exists" => CONFLICT,
        /// The instrument document has errors; nothing was imported.
        InvalidInstrument = "invalid_instrument" => UNPROCESSABLE_ENTITY,
        /// An item parameter set has errors (a ≤ 0, c outside 0…1, unordered GRM thresholds, a
        /// model that does not fit the item's format, an unknown item…), every one named by its
        /// field; nothing was stored.
        InvalidItemParameters = "invalid_item_parameters" => UNPROCESSABLE_ENTITY,
        /// Too few finished attempts (or respondents in a group) for the analysis asked for.
        TooFewRespondents = "too_few_respondents" => UNPROCESSABLE_ENTITY,
        /// An adaptive test's pool has fewer usable items than its maximum length.
        PoolTooSmall = "pool_too_small" => UNPROCESSABLE_ENTITY,
        /// Everyone in the sample answered alike: an item in a calibration (named), or a scale's
        /// scores in a norm build; nothing was stored.
        NoVariance = "no_variance" => UNPROCESSABLE_ENTITY,
        /// A Likert category between the lowest and highest that nobody chose leaves a graded
        /// item's threshold undefined (the item is named); nothing was stored.
        EmptyCategory = "empty_category" => UNPROCESSABLE_ENTITY,
        /// The calibration could not be completed: an item's information is not invertible or
        /// the estimation diverged (the item is named); nothing was stored.
        SingularCalibration = "singular_calibration" => UNPROCESSABLE_ENTITY,
        /// The battery document has errors; nothing was created.
        InvalidBattery = "invalid_battery" => UNPROCESSABLE_ENTITY,
        /// The organisation already has a battery with this code.
        BatteryCodeExists = "battery_code_exists" => CONFLICT,
        /// The campaign document has errors; nothing was created.
        InvalidCampaign = "invalid_campaign" => UNPROCESSABLE_ENTITY,
        InvalidRule = "invalid_rule" => UNPROCESSABLE_ENTITY,
        /// A campaign's rule pins name a kind or a version that does not exist.
        InvalidRulePin = "invalid_rule_pin" => UNPROCESSABLE_ENTITY,
        InvalidOverride = "invalid_override" => UNPROCESSABLE_ENTITY,
        /// A campaign's exercise list is not valid (codes, names, competencies); every problem
        /// named, nothing changed.
        InvalidExercises = "invalid_exercises" => UNPROCESSABLE_ENTITY,
        /// An exercise that assessors are assigned to cannot be removed from the campaign.
        ExerciseInUse = "exercise_in_use" => CONFLICT,
        /// Assessor assignments name an unknown participant, exercise or assessor, repeat one,
        /// break the same-unit rule, or the rule cannot give everyone enough assessors; every
        /// problem named, nothing changed.
        InvalidAssignment = "invalid_assignment" => UNPROCESSABLE_ENTITY,
        /// A rating sheet is not valid: a level outside 1–5, a competency the exercise does not
        /// evidence, or (on submitting) a rating without its level or evidence; nothing changed.
        InvalidRating = "invalid_rating" => UNPROCESSABLE_ENTITY,
        /// The rating sheet was submitted and is locked; HR may unlock it with a reason.
        RatingLocked = "rating_locked" => CONFLICT,
        /// The sheet changed since the revision the request was based on (another tab or device
        /// saved it); reload it and try again.
        StaleRevision = "stale_revision" => CONFLICT,
        /// An assignment with submitted ratings cannot be removed.
        AssignmentRated = "assignment_rated" => CONFLICT,
        /// An integrated level is not valid: outside 1–5, no submitted rating to integrate, a
        /// departure from the ratings' mean without a reason, or ratings still pending.
        InvalidIntegration = "invalid_integration" => UNPROCESSABLE_ENTITY,
        /// Releasing a psychological report needs a psychologist account with a name and a
        /// licence number (SIPP) to print under it (UU 23/2022).
        LicenceRequired = "licence_required" => FORBIDDEN,
        /// The participant has no competency results yet: there is nothing to report.
        ReportNotReady = "report_not_ready" => CONFLICT,
        /// The change would alter what a campaign's candidates were already given (its battery,
        /// its norm rule once anyone signed in, a session with participants…); nothing changed.
        CampaignLocked = "campaign_locked" => CONFLICT,
        /// The enrolment file has errors; nobody was enrolled.
        InvalidEnrolment = "invalid_enrolment" => UNPROCESSABLE_ENTITY,
        /// The performance-ratings file has errors; nothing was imported.
        InvalidPerformanceRatings = "invalid_performance_ratings" => UNPROCESSABLE_ENTITY,
        /// The discipline-records file has errors; nothing was imported.
        InvalidDisciplineRecords = "invalid_discipline_records" => UNPROCESSABLE_ENTITY,
        /// The campaign's window has not opened yet.
        CampaignNotOpen = "campaign_not_open" => FORBIDDEN,
        /// The campaign's window has closed.
        CampaignClosed = "campaign_closed" => FORBIDDEN,
        /// The candidate has not yet accepted the consent statement.
        ConsentRequired = "consent_required" => CONFLICT,
        /// Sections are taken in order; this one is not the current one.
        SectionNotCurrent = "section_not_current" => CONFLICT,
        /// The section is closed (submitted, or its time is up).
        SectionClosed = "section_closed" => CONFLICT,
        /// The section has not been started yet.
        SectionNotStarted = "section_not_started" => CONFLICT,
        /// Another device has taken over this attempt.
        DeviceReplaced = "device_replaced" => CONFLICT,
        /// Continuing on another device needs a proctor's unlock in this campaign.
        ResumeLocked = "resume_locked" => CONFLICT,
        /// The attempt is finished; nothing more can be answered.
        AttemptFinished = "attempt_finished" => CONFLICT,
        /// A proctor paused the attempt; its clock is stopped until they resume it.
        AttemptPaused = "attempt_paused" => CONFLICT,
        /// A proctor ended the attempt.
        AttemptTerminated = "attempt_terminated" => CONFLICT,
        /// The candidate waits in the lobby until a proctor admits them.
        NotAdmitted = "not_admitted" => CONFLICT,
        /// The candidate is admitted and waits for the proctor to start the session.
        SessionNotStarted = "session_not_started" => CONFLICT,
        /// An answer that does not fit its item.
        InvalidResponse = "invalid_response" => UNPROCESSABLE_ENTITY,
        /// In a forward-only section, an item already left.
        ItemLocked = "item_locked" => CONFLICT,
        /// In an adaptive section, an item that is not the one to answer now.
        ItemNotCurrent = "item_not_current" => CONFLICT,
        /// An adaptive section ends by itself (enough measured, or its time is up); it cannot
        /// be submitted while it still gives items.
        AdaptiveSectionRunning = "adaptive_section_running" => CONFLICT,
        // The competency framework and job competency standards.
        /// The competency framework document has errors (every one named by its field path);
        /// no new version was made.
        InvalidCompetencyFramework = "invalid_competency_framework" => UNPROCESSABLE_ENTITY,
        /// The job standard, or the standards file, has errors (every one named by field, or by
        /// row and column); nothing was stored.
        InvalidJobStandard = "invalid_job_standard" => UNPROCESSABLE_ENTITY,
        /// The organisation already has a standard for this job level and position.
        JobStandardExists = "job_standard_exists" => CONFLICT,
        /// The resource is not in a state that allows this action.
        InvalidStateTransition = "invalid_state_transition" => CONFLICT,
        /// A store the server depends on is unreachable.
        Unavailable = "unavailable" => SERVICE_UNAVAILABLE,
        /// Other requests held the database longer than this one could wait; nothing was
        /// changed, and the same request may be sent again after `Retry-After` seconds.
        DatabaseBusy = "database_busy" => SERVICE_UNAVAILABLE,
        /// An unexpected failure; it has been logged.
        Internal = "internal" => INTERNAL_SERVER_ERROR,
    }
}

impl ErrorCode {
    /// Seconds after which the same request may succeed, sent as `Retry-After`: every 503 says
    /// when to come back.
    pub fn retry_after_seconds(self) -> Option<u32> {
        match self {
            ErrorCode::DatabaseBusy => Some(1),
            ErrorCode::Unavailable => Some(5),
            _ => None,
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    #[schema(value_type = String, example = "not_found")]
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// Field-by-field problems, for validation errors of whole documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub errors: Option<Vec<FieldError>>,
    /// Facts a client may put in its own words, for the codes that have them (e.g.
    /// `campaign_not_open`: `opens_at`, `time_zone`, `time_zone_iana`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

/// An error on its way to the client.
#[derive(Debug, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ApiError {
    /// Which error of the table.
    pub code: ErrorCode,
    /// What to tell the client.
    pub message: String,
    /// Field-by-field problems.
    pub errors: Option<Vec<FieldError>>,
    /// Facts for the client's own words ([`ErrorBody::details`]).
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    /// An error with a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            errors: None,
            details: None,
        }
    }

    /// The same error with facts a client may put in its own words.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// A validation error listing every problem.
    pub fn with_errors(
        code: ErrorCode,
        message: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        Self {
            code,
            message: message.into(),
            errors: Some(errors),
            details: None,
        }
    }

    /// Nothing, when `errors` is empty; otherwise a refusal listing every field problem at once.
    pub fn unless_no_errors(
        code: ErrorCode,
        message: &str,
        errors: Vec<FieldError>,
    ) -> Result<(), Self> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Self::with_errors(code, message, errors))
        }
    }

    /// The resource does not exist for this caller.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    /// An unexpected failure: the cause chain is logged here, the client sees only `internal`.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        tracing::error!(error = ?err, "unexpected failure");
        Self::new(
            ErrorCode::Internal,
            "an unexpected error occurred; it has been logged",
        )
    }

    /// Contention on the database that outlasted the busy timeout: retryable, and logged as a
    /// warning (it is load, not a fault).
    pub fn database_busy(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        tracing::warn!(error = ?err, "database busy");
        Self::new(
            ErrorCode::DatabaseBusy,
            "the database is busy with other requests; nothing was changed, try again shortly",
        )
    }

    /// A store is unreachable.
    pub fn unavailable(err: impl Into<anyhow::Error>) -> Self {
        let err = err.into();
        tracing::error!(error = ?err, "store unavailable");
        Self::new(
            ErrorCode::Unavailable,
            "a backing store is unavailable; try again shortly",
        )
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err {
            e if crate::store::is_contention(&e) => ApiError::database_busy(e),
            e if crate::store::is_unreachable(&e) => ApiError::unavailable(e),
            other => ApiError::internal(other),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut reply = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.code.retry_after_seconds() {
            reply.insert_header((actix_web::http::header::RETRY_AFTER, seconds));
        }
        reply.json(ErrorBody {
            code: self.code.as_str(),
            message: self.message.clone(),
            errors: self.errors.clone(),
            details: self.details.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_code_serialises_to_its_wire_name() {
        for &code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            let status = code.status().as_u16();
            assert!((400..600).contains(&status));
            assert_eq!(
                status >= 500,
                matches!(
                    code,
                    ErrorCode::Unavailable | ErrorCode::DatabaseBusy | ErrorCode::Internal
                ),
                "{code:?}"
            );
            // A client told to come back later is told when.
            assert_eq!(
                code.retry_after_seconds().is_some(),
                code.status() == StatusCode::SERVICE_UNAVAILABLE,
                "{code:?}"
            );
        }
    }

    /// The wire names were once derived from the variants by serde; a row of the table that
    /// breaks that rule is a typo, and two rows with one name would make codes indistinguishable.
    #[test]
    fn every_wire_name_is_its_variant_in_snake_case_and_unique() {
        let mut seen = HashSet::new();
        for &code in ErrorCode::ALL {
            let mut snake = String::new();
            for (i, c) in format!("{code:?}").chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            assert_eq!(code.as_str(), snake);
            assert!(seen.insert(code.as_str()), "{snake} twice");
        }
    }

    #[test]
    fn the_openapi_schema_lists_every_code_in_table_order() {
        let schema = serde_json::to_value(<ErrorCode as utoipa::PartialSchema>::schema()).unwrap();
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(schema["enum"], serde_json::json!(names));
    }
}
