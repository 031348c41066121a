//! Bilingual text shown to people: Bahasa Indonesia is required, English optional.
use serde::{Deserialize, Serialize};

/// A text in Indonesian (`id`, required) and English (`en`, optional; falls back to Indonesian).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Bahasa Indonesia, the default language.
    pub id: String,
    /// English, when a translation exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    /// A text with both languages.
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            en: Some(en.into()),
        }
    }

    /// The English text, or the Indonesian one when there is no translation.
    pub fn english(&self) -> &str {
        self.en.as_deref().unwrap_or(&self.id)
    }

    /// Problems with this text: empty Indonesian, or an English field that is present but empty.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.id.trim().is_empty() {
            out.push("the Indonesian text (id) must not be empty");
        }
        if matches!(&self.en, Some(en) if en.trim().is_empty()) {
            out.push("the English text (en) must not be empty when given; leave it out instead");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_falls_back_to_indonesian() {
        let t = Text {
            id: "Halo".into(),
            en: None,
        };
        assert_eq!(t.english(), "Halo");
        assert_eq!(Text::new("Halo", "Hello").english(), "Hello");
    }

    #[test]
    fn empty_texts_are_reported() {
        let t = Text {
            id: " ".into(),
            en: Some("".into()),
        };
        assert_eq!(t.problems().len(), 2);
        assert!(Text::new("a", "b").problems().is_empty());
    }

    #[test]
    fn unknown_language_fields_are_refused() {
        let r: Result<Text, _> = serde_json::from_str(r#"{"id":"a","fr":"b"}"#);
        assert!(r.is_err());
    }
}
