//! The assessment centre (issue 13): a campaign's exercises, the assessors assigned to rate its
//! participants in them, the assessors' own workspace (drafts, submission, independence), the
//! agreement between assessors, and the panel's integration of ratings into a final level that
//! the competency results read as evidence.
use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::assessment::exercise::Exercise;
use crate::domain::assessment::rating::{DraftRating, RatingSheet, SheetStatus};
use crate::domain::ids::{CampaignId, OrganisationId};
use crate::error::ApiError;
use crate::store::entities::{assessor_assignment, campaign_exercise, participant};

pub mod agreement;
pub mod assignments;
pub mod evidence;
pub mod exercises;
pub mod integration;
pub mod workspace;

/// The campaign must exist in the organisation; another organisation's answers 404.
async fn campaign_in_org(
    db: &impl sea_orm::ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<(), ApiError> {
    crate::store::campaigns::find(db, org, campaign)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("campaign"))
}

/// An exercise row as the domain type.
fn exercise_of(row: campaign_exercise::Model) -> Result<Exercise, ApiError> {
    Ok(Exercise {
        competencies: serde_json::from_str(&row.competencies).map_err(ApiError::internal)?,
        code: row.code,
        name: row.name,
    })
}

/// A campaign's exercises, in order.
async fn exercises_of(
    db: &impl sea_orm::ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<Exercise>, ApiError> {
    crate::store::exercises::of_campaign(db, org, campaign)
        .await?
        .into_iter()
        .map(exercise_of)
        .collect()
}

/// The stored sheet of an assignment.
fn sheet_of(row: &assessor_assignment::Model) -> Result<BTreeMap<String, DraftRating>, ApiError> {
    serde_json::from_str::<RatingSheet>(&row.ratings)
        .map(|s| s.ratings().clone())
        .map_err(ApiError::internal)
}

fn status_of(row: &assessor_assignment::Model) -> Result<SheetStatus, ApiError> {
    SheetStatus::parse(&row.status).map_err(|m| ApiError::internal(anyhow::anyhow!(m)))
}

/// Who is rated, as an assessor or HR sees them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RatedParticipant {
    /// Participant id.
    pub id: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
    /// Job level.
    pub job_level: String,
    /// Position.
    pub position: Option<String>,
    /// Unit.
    pub unit: Option<String>,
}

impl From<&participant::Model> for RatedParticipant {
    fn from(p: &participant::Model) -> Self {
        Self {
            id: p.id,
            nip: p.nip.clone(),
            name: p.name.clone(),
            job_level: p.job_level.clone(),
            position: p.position.clone(),
            unit: p.unit.clone(),
        }
    }
}

/// An assessor as shown beside an assignment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssessorRef {
    /// Account id.
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
}
