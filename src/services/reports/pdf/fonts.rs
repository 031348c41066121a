//! The two faces a report is set in, DejaVu Sans and DejaVu Sans Bold (licence in
//! `fonts/LICENSE`), compiled into the binary so a report looks the same on every node.
//!
//! Text is measured with the fonts' own advance widths, so lines wrap where they really end.
//! Each face is embedded as a composite (Type 0) font whose descendant is the TrueType subset of
//! the glyphs the report used: glyph ids are renumbered in the order of first use, and the
//! content streams carry the new ids as two-byte codes (`Identity-H`). A `ToUnicode` map sends
//! each glyph back to its character, so the text can be searched, copied and extracted.
//! Characters the font lacks print as U+FFFD (�), visibly, rather than as nothing.
use std::collections::BTreeMap;
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;
use ttf_parser::GlyphId;

use super::RenderError;

const REGULAR_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Which face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Face {
    Regular,
    Bold,
}

impl Face {
    /// The font's name in a page's resources.
    pub(super) fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }

    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
        }
    }
}

/// A parsed face and what is needed of it for layout and embedding.
struct Loaded {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    /// The PostScript name, without a subset tag.
    name: &'static str,
    units_per_em: f32,
    /// The glyph that stands for a character the face lacks.
    replacement: (GlyphId, char),
    /// The advance of every glyph in font units, looked up once so measuring is a table read.
    advances: Vec<u16>,
    /// The glyphs of the Latin blocks (U+0000–U+024F), looked up once for the same reason.
    latin: Vec<(GlyphId, char)>,
}

/// The end of the Latin blocks the glyph table holds.
const LATIN_END: u32 = 0x250;

impl Loaded {
    fn parse(data: &'static [u8], name: &'static str) -> Result<Self, String> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| format!("{name}: {e}"))?;
        let replacement = ['\u{FFFD}', '?']
            .into_iter()
            .find_map(|c| face.glyph_index(c).map(|g| (g, c)))
            .ok_or_else(|| format!("{name}: no replacement glyph"))?;
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(GlyphId(g)).unwrap_or(0))
            .collect();
        let mut loaded = Self {
            data,
            name,
            units_per_em: f32::from(face.units_per_em()),
            face,
            replacement,
            advances,
            latin: Vec::new(),
        };
        loaded.latin = (0..LATIN_END)
            .filter_map(char::from_u32)
            .map(|c| loaded.look_up(c))
            .collect();
        Ok(loaded)
    }

    /// The glyph a character is set with and the character it stands for in the text layer.
    fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.latin.get(c as usize) {
            Some(found) => *found,
            None => self.look_up(c),
        }
    }

    fn look_up(&self, c: char) -> (GlyphId, char) {
        // Tabs and the odd spaces are set as a plain space; other controls as the replacement.
        let c = if c == '\t' || (c.is_whitespace() && c != '\n') {
            ' '
        } else {
            c
        };
        if c.is_control() {
            return self.replacement;
        }
        match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => (g, c),
            _ => self.replacement,
        }
    }

    fn advance(&self, g: GlyphId) -> f32 {
        f32::from(self.advances.get(usize::from(g.0)).copied().unwrap_or(0))
    }
}

/// The two faces, parsed once per process.
fn faces() -> Result<&'static [Loaded; 2], RenderError> {
    static FACES: OnceLock<Result<[Loaded; 2], String>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Ok([
                Loaded::parse(REGULAR_TTF, "DejaVuSans")?,
                Loaded::parse(BOLD_TTF, "DejaVuSans-Bold")?,
            ])
        })
        .as_ref()
        .map_err(|e| RenderError::Font(e.clone()))
}

/// The glyphs one document uses of each face, in order of first use.
struct Used {
    remapper: GlyphRemapper,
    /// New glyph id → the character it shows (the first one seen, when several share a glyph).
    text: BTreeMap<u16, char>,
}

/// The fonts of one document being written: measures text and encodes it, remembering which
/// glyphs are used so that only those are embedded.
pub(super) struct Fonts {
    faces: &'static [Loaded; 2],
    used: [Used; 2],
}

impl Fonts {
    pub(super) fn new() -> Result<Self, RenderError> {
        let used = || Used {
            remapper: GlyphRemapper::new(),
            text: BTreeMap::new(),
        };
        Ok(Self {
            faces: faces()?,
            used: [used(), used()],
        })
    }

    /// The width of `text` set in `face` at `size` points, in points.
    pub(super) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let loaded = &self.faces[face.index()];
        let units: f32 = text
            .chars()
            .map(|c| loaded.advance(loaded.glyph(c).0))
            .sum();
        units * size / loaded.units_per_em
    }

    /// `text` as the two-byte codes of the subset's glyphs.
    pub(super) fn encode(&mut self, face: Face, text: &str) -> Vec<u8> {
        let loaded = &self.faces[face.index()];
        let used = &mut self.used[face.index()];
        let mut codes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (g, shown) = loaded.glyph(c);
            let new = used.remapper.remap(g.0);
            used.text.entry(new).or_insert(shown);
            codes.extend_from_slice(&new.to_be_bytes());
        }
        codes
    }

    /// Writes both faces (the subset, its widths, descriptor and `ToUnicode` map) with the
    /// given ids: each face takes five, starting at `refs[face]`.
    pub(super) fn write(&self, pdf: &mut Pdf, refs: [Ref; 2]) -> Result<(), RenderError> {
        for (i, first) in refs.into_iter().enumerate() {
            write_face(pdf, first, &self.faces[i], &self.used[i])?;
        }
        Ok(())
    }
}

/// How many object ids a face takes.
pub(super) const REFS_PER_FACE: i32 = 5;

fn write_face(pdf: &mut Pdf, first: Ref, loaded: &Loaded, used: &Used) -> Result<(), RenderError> {
    let type0 = first;
    let cid = Ref::new(first.get() + 1);
    let descriptor = Ref::new(first.get() + 2);
    let file = Ref::new(first.get() + 3);
    let cmap = Ref::new(first.get() + 4);

    let subset = subsetter::subset(loaded.data, 0, &used.remapper)
        .map_err(|e| RenderError::Font(format!("{}: subsetting failed: {e}", loaded.name)))?;
    let base_name = format!("{}+{}", subset_tag(&used.remapper), loaded.name);
    let base = Name(base_name.as_bytes());
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let to_em = 1000.0 / loaded.units_per_em;

    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    let widths: Vec<f32> = used
        .remapper
        .remapped_gids()
        .map(|g| (loaded.advance(GlyphId(g)) * to_em).round())
        .collect();
    let mut font = pdf.cid_font(cid);
    font.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(system)
        .font_descriptor(descriptor)
        .cid_to_gid_map_predefined(Name(b"Identity"))
        .default_width(0.0);
    font.widths().consecutive(0, widths);
    font.finish();

    let face = &loaded.face;
    let bbox = face.global_bounding_box();
    let scale = |v: i16| f32::from(v) * to_em;
    let mut flags = FontFlags::SYMBOLIC;
    if face.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(flags)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(face.italic_angle())
        .ascent(scale(face.ascender()))
        .descent(scale(face.descender()))
        .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
        // No stem width is stored in a TrueType font; this is the usual estimate from the weight.
        .stem_v(10.0 + 0.244 * (f32::from(face.weight().to_number()) - 50.0))
        .font_file2(file);

    let packed = super::compress(&subset);
    pdf.stream(file, &packed).filter(Filter::FlateDecode).pair(
        Name(b"Length1"),
        i32::try_from(subset.len()).unwrap_or(i32::MAX),
    );

    let mut map = UnicodeCmap::new(Name(b"Custom"), system);
    for (&glyph, &c) in &used.text {
        map.pair(glyph, c);
    }
    let map = map.finish();
    pdf.cmap(cmap, &super::compress(map.as_slice()))
        .filter(Filter::FlateDecode);
    Ok(())
}

/// The six capitals before a subset's name: the same glyphs give the same tag (PDF 32000-1,
/// 9.6.4: a subset's name is a tag, `+` and the font's name).
fn subset_tag(remapper: &GlyphRemapper) -> String {
    let mut hash = Sha256::new();
    for g in remapper.remapped_gids() {
        hash.update(g.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_with_the_fonts_advances() {
        let fonts = Fonts::new().unwrap();
        let narrow = fonts.width(Face::Regular, 10.0, "iiii");
        let wide = fonts.width(Face::Regular, 10.0, "WWWW");
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        // Twice the size is twice the width; bold is wider.
        let doubled = fonts.width(Face::Regular, 20.0, "WWWW");
        assert!((doubled - 2.0 * wide).abs() < 1e-3);
        assert!(
            fonts.width(Face::Bold, 10.0, "Kompetensi")
                > fonts.width(Face::Regular, 10.0, "Kompetensi")
        );
    }

    #[test]
    fn a_character_the_font_lacks_is_encoded_as_the_replacement_glyph() {
        let mut fonts = Fonts::new().unwrap();
        let codes = fonts.encode(Face::Regular, "a\u{4E2D}");
        assert_eq!(codes.len(), 4);
        let used = &fonts.used[0];
        let shown: Vec<char> = used.text.values().copied().collect();
        assert_eq!(shown, vec!['a', '\u{FFFD}']);
    }

    #[test]
    fn the_subset_tag_depends_only_on_the_glyphs_used() {
        let a = GlyphRemapper::new_from_glyphs(&[3, 5, 8]);
        let b = GlyphRemapper::new_from_glyphs(&[3, 5, 8]);
        let c = GlyphRemapper::new_from_glyphs(&[3, 5, 9]);
        assert_eq!(subset_tag(&a), subset_tag(&b));
        assert_ne!(subset_tag(&a), subset_tag(&c));
        assert!(subset_tag(&a).chars().all(|c| c.is_ascii_uppercase()));
    }
}
