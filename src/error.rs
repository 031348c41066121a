//! The one table of error codes every failure maps into.
//!
//! Each error a client can see has a stable snake_case code, an HTTP status and a message; the body
//! is always `{"code": "…", "message": "…"}` (plus `errors` for field-by-field validation). Modules
//! keep their own error enums and convert into [`ApiError`]; unexpected failures are logged with
//! their whole cause chain and shown to the client only as `internal`.
use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::FieldError;

/// Every error code of the API, with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON.
    InvalidJson,
    /// The body or a field has the wrong type, a missing or unknown field, or an invalid value.
    InvalidInput,
    /// A query-string parameter is malformed.
    InvalidQuery,
    /// The body is not of a media type this endpoint accepts.
    UnsupportedMediaType,
    /// The body is larger than the configured limit.
    PayloadTooLarge,
    /// No bearer token was sent.
    Unauthenticated,
    /// The bearer token is malformed, expired, revoked or belongs to a disabled account.
    InvalidToken,
    /// The e-mail address or password is wrong.
    InvalidCredentials,
    /// The account has been disabled by an administrator.
    AccountDisabled,
    /// The caller's role may not do this.
    Forbidden,
    /// Too many attempts in a short time.
    TooManyRequests,
    /// No such resource (or it belongs to another organisation).
    NotFound,
    /// The path exists but not with this method.
    MethodNotAllowed,
    /// An account with this e-mail address exists.
    EmailTaken,
    /// An administrator tried to disable their own account.
    CannotDisableSelf,
    /// The organisation already has this instrument code and version.
    InstrumentVersionExists,
    /// The instrument document has errors; nothing was imported.
    InvalidInstrument,
    /// The battery document has errors; nothing was created.
    InvalidBattery,
    /// The organisation already has a battery with this code.
    BatteryCodeExists,
    /// The campaign document has errors; nothing was created.
    InvalidCampaign,
    /// The enrolment file has errors; nobody was enrolled.
    InvalidEnrolment,
    /// The campaign's window has not opened yet.
    CampaignNotOpen,
    /// The campaign's window has closed.
    CampaignClosed,
    /// The candidate has not yet accepted the consent statement.
    ConsentRequired,
    /// Sections are taken in order; this one is not the current one.
    SectionNotCurrent,
    /// The section is closed (submitted, or its time is up).
    SectionClosed,
    /// Another device has taken over this attempt.
    DeviceReplaced,
    /// Continuing on another device needs a proctor's unlock in this campaign.
    ResumeLocked,
    /// The attempt is finished; nothing more can be answered.
    AttemptFinished,
    /// A proctor paused the attempt; its clock is stopped until they resume it.
    AttemptPaused,
    /// A proctor ended the attempt.
    AttemptTerminated,
    /// The candidate waits in the lobby until a proctor admits them.
    NotAdmitted,
    /// The candidate is admitted and waits for the proctor to start the session.
    SessionNotStarted,
    /// An answer that does not fit its item.
    InvalidResponse,
    /// In a forward-only section, an item already left.
    ItemLocked,
    /// The resource is not in a state that allows this action.
    InvalidStateTransition,
    /// A store the server depends on is unreachable.
    Unavailable,
    /// An unexpected failure; it has been logged.
    Internal,
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            InvalidJson | InvalidQuery => StatusCode::BAD_REQUEST,
            InvalidInput | InvalidInstrument | InvalidBattery | InvalidCampaign
            | InvalidEnrolment | InvalidResponse => StatusCode::UNPROCESSABLE_ENTITY,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Unauthenticated | InvalidToken | InvalidCredentials => StatusCode::UNAUTHORIZED,
            AccountDisabled | Forbidden | CampaignNotOpen | CampaignClosed => StatusCode::FORBIDDEN,
            TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            NotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            EmailTaken
            | CannotDisableSelf
            | InstrumentVersionExists
            | BatteryCodeExists
            | InvalidStateTransition
            | ConsentRequired
            | SectionNotCurrent
            | SectionClosed
            | DeviceReplaced
            | ResumeLocked
            | AttemptFinished
            | AttemptPaused
            | AttemptTerminated
            | NotAdmitted
            | SessionNotStarted
            | ItemLocked => StatusCode::CONFLICT,
            Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code as sent on the wire.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            InvalidJson => "invalid_json",
            InvalidInput => "invalid_input",
            InvalidQuery => "invalid_query",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            Unauthenticated => "unauthenticated",
            InvalidToken => "invalid_token",
            InvalidCredentials => "invalid_credentials",
            AccountDisabled => "account_disabled",
            Forbidden => "forbidden",
            TooManyRequests => "too_many_requests",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            EmailTaken => "email_taken",
            CannotDisableSelf => "cannot_disable_self",
            InstrumentVersionExists => "instrument_version_exists",
            InvalidInstrument => "invalid_instrument",
            InvalidBattery => "invalid_battery",
            BatteryCodeExists => "battery_code_exists",
            InvalidCampaign => "invalid_campaign",
            InvalidEnrolment => "invalid_enrolment",
            CampaignNotOpen => "campaign_not_open",
            CampaignClosed => "campaign_closed",
            ConsentRequired => "consent_required",
            SectionNotCurrent => "section_not_current",
            SectionClosed => "section_closed",
            DeviceReplaced => "device_replaced",
            ResumeLocked => "resume_locked",
            AttemptFinished => "attempt_finished",
            AttemptPaused => "attempt_paused",
            AttemptTerminated => "attempt_terminated",
            NotAdmitted => "not_admitted",
            SessionNotStarted => "session_not_started",
            InvalidResponse => "invalid_response",
            ItemLocked => "item_locked",
            InvalidStateTransition => "invalid_state_transition",
            Unavailable => "unavailable",
            Internal => "internal",
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
}

impl ApiError {
    /// An error with a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            errors: None,
        }
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
        use sea_orm::DbErr;
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => ApiError::unavailable(err),
            other => ApiError::internal(other),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).json(ErrorBody {
            code: self.code.as_str(),
            message: self.message.clone(),
            errors: self.errors.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serialises_to_its_wire_name() {
        use ErrorCode::*;
        for code in [
            InvalidJson,
            InvalidInput,
            InvalidQuery,
            UnsupportedMediaType,
            PayloadTooLarge,
            Unauthenticated,
            InvalidToken,
            InvalidCredentials,
            AccountDisabled,
            Forbidden,
            TooManyRequests,
            NotFound,
            MethodNotAllowed,
            EmailTaken,
            CannotDisableSelf,
            InstrumentVersionExists,
            InvalidInstrument,
            InvalidBattery,
            BatteryCodeExists,
            InvalidCampaign,
            InvalidEnrolment,
            CampaignNotOpen,
            CampaignClosed,
            ConsentRequired,
            SectionNotCurrent,
            SectionClosed,
            DeviceReplaced,
            ResumeLocked,
            AttemptFinished,
            AttemptPaused,
            AttemptTerminated,
            NotAdmitted,
            SessionNotStarted,
            InvalidResponse,
            ItemLocked,
            InvalidStateTransition,
            Unavailable,
            Internal,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            let status = code.status().as_u16();
            assert!((400..600).contains(&status));
            assert_eq!(
                status >= 500,
                matches!(code, Unavailable | Internal),
                "{code:?}"
            );
        }
    }
}
