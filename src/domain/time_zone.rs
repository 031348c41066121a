//! Indonesia's three time zones, in which a campaign's times are shown to its candidates. The
//! country keeps no daylight saving, so each zone is one fixed offset from UTC.
use chrono::{FixedOffset, Offset, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Deserializer, Serialize};

/// A time zone of Indonesia, by the code Indonesians use for it. Stored and sent as that code.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum IndonesianTimeZone {
    /// Waktu Indonesia Barat, UTC+7 (Sumatra, Java, West and Central Kalimantan).
    #[default]
    #[sea_orm(string_value = "WIB")]
    #[serde(rename = "WIB")]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8 (Bali, Nusa Tenggara, Sulawesi, South, East and North
    /// Kalimantan).
    #[sea_orm(string_value = "WITA")]
    #[serde(rename = "WITA")]
    Wita,
    /// Waktu Indonesia Timur, UTC+9 (Maluku, Papua).
    #[sea_orm(string_value = "WIT")]
    #[serde(rename = "WIT")]
    Wit,
}

/// Every zone, west to east.
pub const ZONES: [IndonesianTimeZone; 3] = [
    IndonesianTimeZone::Wib,
    IndonesianTimeZone::Wita,
    IndonesianTimeZone::Wit,
];

impl IndonesianTimeZone {
    /// The code: `WIB`, `WITA` or `WIT`.
    pub fn code(self) -> &'static str {
        match self {
            IndonesianTimeZone::Wib => "WIB",
            IndonesianTimeZone::Wita => "WITA",
            IndonesianTimeZone::Wit => "WIT",
        }
    }

    /// The zone of a code (exactly as written, upper case), if it is one.
    pub fn parse(code: &str) -> Option<Self> {
        ZONES.into_iter().find(|z| z.code() == code)
    }

    /// Hours ahead of UTC: 7, 8 or 9.
    pub fn utc_offset_hours(self) -> i32 {
        match self {
            IndonesianTimeZone::Wib => 7,
            IndonesianTimeZone::Wita => 8,
            IndonesianTimeZone::Wit => 9,
        }
    }

    /// The offset from UTC, all year round.
    pub fn utc_offset(self) -> FixedOffset {
        // 7 to 9 hours are well inside the ±24 h a FixedOffset takes.
        FixedOffset::east_opt(self.utc_offset_hours() * 3600).unwrap_or_else(|| Utc.fix())
    }

    /// The IANA time-zone name of the zone's reference city, which a browser's
    /// `Intl.DateTimeFormat` takes: `Asia/Jakarta`, `Asia/Makassar` or `Asia/Jayapura`.
    pub fn iana(self) -> &'static str {
        match self {
            IndonesianTimeZone::Wib => "Asia/Jakarta",
            IndonesianTimeZone::Wita => "Asia/Makassar",
            IndonesianTimeZone::Wit => "Asia/Jayapura",
        }
    }
}

/// What a document's `time_zone` field says when it names no zone.
pub const ZONE_EXPECTED: &str = "time_zone must be WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9)";

/// Deserialises a document's `time_zone` field, refusing anything but a zone's code with a
/// message that names the field.
pub fn zone_field<'de, D: Deserializer<'de>>(d: D) -> Result<IndonesianTimeZone, D::Error> {
    let code = String::deserialize(d).map_err(|_| serde::de::Error::custom(ZONE_EXPECTED))?;
    IndonesianTimeZone::parse(&code)
        .ok_or_else(|| serde::de::Error::custom(format!("{ZONE_EXPECTED}, found '{code}'")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Timelike};

    #[test]
    fn each_zone_has_its_code_offset_and_iana_name() {
        let table: Vec<(&str, i32, &str)> = ZONES
            .iter()
            .map(|z| (z.code(), z.utc_offset_hours(), z.iana()))
            .collect();
        assert_eq!(
            table,
            [
                ("WIB", 7, "Asia/Jakarta"),
                ("WITA", 8, "Asia/Makassar"),
                ("WIT", 9, "Asia/Jayapura")
            ]
        );
        assert_eq!(IndonesianTimeZone::default(), IndonesianTimeZone::Wib);
    }

    #[test]
    fn a_utc_time_reads_in_each_zone_at_its_offset() {
        // 01:30 UTC is 08:30 in Jakarta, 09:30 in Makassar, 10:30 in Jayapura, in any season.
        for date in ["2026-01-15T01:30:00Z", "2026-07-15T01:30:00Z"] {
            let t: DateTime<Utc> = date.parse().unwrap();
            let hours: Vec<u32> = ZONES
                .iter()
                .map(|z| t.with_timezone(&z.utc_offset()).hour())
                .collect();
            assert_eq!(hours, [8, 9, 10], "{date}");
        }
    }

    #[test]
    fn codes_parse_exactly_and_serialise_as_themselves() {
        for z in ZONES {
            assert_eq!(IndonesianTimeZone::parse(z.code()), Some(z));
            assert_eq!(serde_json::to_value(z).unwrap(), z.code());
        }
        for other in ["wib", "UTC", "WITA ", "", "Asia/Jakarta"] {
            assert_eq!(IndonesianTimeZone::parse(other), None, "{other}");
        }
    }

    #[test]
    fn the_field_reader_names_the_field_when_refusing() {
        #[derive(Deserialize)]
        struct Doc {
            #[serde(deserialize_with = "zone_field")]
            time_zone: IndonesianTimeZone,
        }
        let ok: Doc = serde_json::from_str(r#"{"time_zone": "WITA"}"#).unwrap();
        assert_eq!(ok.time_zone, IndonesianTimeZone::Wita);
        for bad in [r#"{"time_zone": "UTC"}"#, r#"{"time_zone": 7}"#] {
            let e = serde_json::from_str::<Doc>(bad).err().unwrap().to_string();
            assert!(e.starts_with(ZONE_EXPECTED), "{e}");
        }
    }
}
