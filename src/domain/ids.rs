//! Typed identifiers: a function that takes an `AccountId` cannot be handed an `InstrumentId`.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered identifier (UUID v7: index-friendly for inserts).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The underlying UUID, for the store layer.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An organisation (tenant): an agency or assessment provider.
    OrganisationId
);
id_type!(
    /// A staff account.
    AccountId
);
id_type!(
    /// One version of an instrument.
    InstrumentId
);
id_type!(
    /// An item of an instrument.
    ItemId
);
id_type!(
    /// A battery of timed sections.
    BatteryId
);
id_type!(
    /// A norm table of one scale and norm group.
    NormTableId
);
id_type!(
    /// A campaign: one battery delivered to enrolled participants within a window.
    CampaignId
);
id_type!(
    /// A scheduled sitting of a campaign: date, room, capacity, proctor.
    SessionId
);
id_type!(
    /// A participant enrolled in a campaign.
    ParticipantId
);
id_type!(
    /// A participant's attempt at a campaign's battery.
    AttemptId
);
id_type!(
    /// A job competency standard (its versions share it).
    JobStandardId
);
id_type!(
    /// An assessor's assignment to rate one participant in one exercise.
    AssignmentId
);
id_type!(
    /// A psychological report of one participant (its released versions share it).
    ReportId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_through_its_text_form() {
        let id = AccountId::new();
        let parsed: AccountId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
    }

    #[test]
    fn a_malformed_id_does_not_parse() {
        assert!("not-a-uuid".parse::<InstrumentId>().is_err());
    }

    #[test]
    fn new_ids_are_distinct_and_time_ordered() {
        let a = ItemId::new();
        let b = ItemId::new();
        assert_ne!(a, b);
        assert!(a < b);
    }
}
