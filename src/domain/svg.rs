//! What an SVG figure of an item may contain. Figures are served to browsers from our own origin
//! (and a candidate or an author may open one directly), so anything active in them would run
//! as us: scripts, event handlers, links out, styles that fetch. Instead of looking for the bad
//! patterns, which entities, odd spacing and XML's many spellings slip past, the document is
//! parsed as XML and each element and attribute must be on an allow-list of drawing features:
//! shapes, paths, text, groups, gradients, clipping and masking, markers and patterns, and
//! `defs`/`use` with references only inside the figure (`#id`). Values are judged after the
//! XML parser has decoded their entities and character references. Anything else is refused,
//! naming the element or attribute.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::reader::Reader;
use quick_xml::XmlVersion;

/// The SVG namespace, the only one an element may be in.
const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
/// The XLink namespace, declared by figures that write `xlink:href`.
const XLINK_NAMESPACE: &str = "http://www.w3.org/1999/xlink";

/// Elements a figure may use: structure, shapes, text, paint servers, clipping, masking, markers.
pub const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "path",
    "text",
    "tspan",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "marker",
    "pattern",
];

/// Elements whose content is text (and only whitespace may stand between other elements).
const TEXT_ELEMENTS: &[&str] = &["text", "tspan", "title", "desc"];

/// Elements that may refer to another element of the figure with `href` (`#id`).
const REFERRING_ELEMENTS: &[&str] = &["use", "linearGradient", "radialGradient", "pattern"];

/// Presentation properties: allowed as attributes and inside `style`.
pub const PRESENTATION: &[&str] = &[
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "opacity",
    "color",
    "display",
    "visibility",
    "overflow",
    "clip-path",
    "clip-rule",
    "mask",
    "marker-start",
    "marker-mid",
    "marker-end",
    "stop-color",
    "stop-opacity",
    "font",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "font-stretch",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "writing-mode",
    "direction",
    "vector-effect",
    "shape-rendering",
    "text-rendering",
    "paint-order",
];

/// Geometry and structure attributes (besides the presentation properties).
pub const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "lang",
    "xml:lang",
    "xml:space",
    "xmlns",
    "xmlns:xlink",
    "version",
    "viewBox",
    "preserveAspectRatio",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "d",
    "points",
    "pathLength",
    "transform",
    "href",
    "xlink:href",
    "style",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "clipPathUnits",
    "maskUnits",
    "maskContentUnits",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
];

/// Checks that `svg` is a well-formed SVG document of allowed elements and attributes only, or
/// says what is refused, naming the element or attribute.
pub fn check(svg: &str) -> Result<(), String> {
    let mut reader = Reader::from_str(svg);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.allow_dangling_amp = false;
    config.allow_unmatched_ends = false;
    let mut open: Vec<String> = Vec::new();
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "the SVG is not well-formed XML (at byte {}): {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Decl(_) if !seen_root && open.is_empty() => {}
            Event::Decl(_) => return Err("an XML declaration may only open the document".into()),
            Event::DocType(_) => {
                return Err(
                    "a DOCTYPE is not allowed in SVG figures (it can declare entities)".into(),
                )
            }
            Event::PI(_) => {
                return Err("processing instructions (<?…?>) are not allowed in SVG figures".into())
            }
            Event::Comment(_) => {}
            Event::Start(e) | Event::Empty(e) if open.is_empty() && seen_root => {
                return Err(format!(
                    "the document has a second root element <{}>: an SVG figure has one <svg>",
                    name_of(e.name())
                ));
            }
            Event::Start(e) => {
                let name = element(&e, open.is_empty())?;
                seen_root = true;
                open.push(name);
            }
            Event::Empty(e) => {
                element(&e, open.is_empty())?;
                seen_root = true;
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                text_allowed(&open, &text)?;
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                text_allowed(&open, &text)?;
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let known = match r.resolve_char_ref() {
                    Ok(Some(_)) => true,
                    Ok(None) => matches!(&*name, "lt" | "gt" | "amp" | "apos" | "quot"),
                    Err(_) => false,
                };
                if !known {
                    return Err(format!(
                        "the reference &{name}; is not one of XML's own entities or a character \
                         reference"
                    ));
                }
                text_allowed(&open, "&")?;
            }
            Event::Eof => break,
        }
    }
    if !seen_root {
        return Err("an SVG document must have an <svg> element".into());
    }
    Ok(())
}

fn name_of(name: QName<'_>) -> String {
    String::from_utf8_lossy(name.as_ref()).into_owned()
}

/// Checks an element and its attributes; returns its name.
fn element(e: &BytesStart<'_>, root: bool) -> Result<String, String> {
    let name = name_of(e.name());
    // The parser takes a tag's name up to the first space, so `<svg/onload=…>` (which an HTML
    // parser reads as an svg element with a handler) arrives as one strange name.
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_' | b'.'))
    {
        return Err(format!(
            "the tag <{name}> is not well-formed XML: attributes are separated from the \
             element's name by a space and their values are quoted"
        ));
    }
    if root && name != "svg" {
        return Err(format!(
            "an SVG document must have <svg> as its root element, not <{name}>"
        ));
    }
    if !ELEMENTS.contains(&name.as_str()) {
        return Err(format!(
            "the element <{name}> is not allowed in SVG figures"
        ));
    }
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("an attribute of <{name}> is malformed: {err}"))?;
        let key = name_of(attr.key);
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| format!("the attribute '{key}' of <{name}> cannot be read: {err}"))?;
        attribute(&name, &key, &value)?;
    }
    Ok(name)
}

/// Checks one attribute of element `el`, its value decoded.
fn attribute(el: &str, key: &str, value: &str) -> Result<(), String> {
    let refuse = |why: &str| Err(format!("the attribute '{key}' of <{el}> {why}"));
    if key.len() > 2 && key[..2].eq_ignore_ascii_case("on") {
        return refuse("is an event handler: not allowed in SVG figures");
    }
    if !ATTRIBUTES.contains(&key) && !PRESENTATION.contains(&key) {
        return refuse("is not allowed in SVG figures");
    }
    match key {
        "xmlns" if value != SVG_NAMESPACE => refuse(&format!("must be {SVG_NAMESPACE}")),
        "xmlns:xlink" if value != XLINK_NAMESPACE => refuse(&format!("must be {XLINK_NAMESPACE}")),
        "href" | "xlink:href" => {
            if !REFERRING_ELEMENTS.contains(&el) {
                return refuse("is not allowed on this element");
            }
            if !is_local_reference(value.trim()) {
                return refuse(&format!(
                    "must point into the figure itself (#id), not to '{value}'"
                ));
            }
            Ok(())
        }
        "style" => style(value).map_err(|why| format!("the attribute 'style' of <{el}> {why}")),
        _ => property_value(value).map_err(|why| format!("the attribute '{key}' of <{el}> {why}")),
    }
}

/// `#id`: a reference to an element of the same document.
fn is_local_reference(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
    })
}

/// A value that fetches nothing and runs nothing: no scheme a browser would follow, and `url()`
/// only of an element of the figure.
fn property_value(value: &str) -> Result<(), String> {
    let lower = value.to_ascii_lowercase();
    for scheme in ["javascript:", "vbscript:", "data:"] {
        if lower.contains(scheme) {
            return Err(format!("contains '{scheme}': not allowed in SVG figures"));
        }
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let inner = &rest[at + 4..];
        let end = inner
            .find(')')
            .ok_or_else(|| "has a url( without its closing parenthesis".to_string())?;
        let target = inner[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        if !is_local_reference(target) {
            return Err(format!(
                "may only use url(#id) of the figure itself, not url({})",
                &inner[..end]
            ));
        }
        rest = &inner[end..];
    }
    Ok(())
}

/// A `style` attribute: `property: value` declarations of presentation properties only.
fn style(value: &str) -> Result<(), String> {
    if value.contains('\\') || value.contains("/*") || value.contains('@') {
        return Err("may not contain CSS escapes, comments or at-rules".into());
    }
    for declaration in value.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let (property, v) = declaration
            .split_once(':')
            .ok_or_else(|| format!("has '{declaration}', which is not 'property: value'"))?;
        let property = property.trim().to_ascii_lowercase();
        if !PRESENTATION.contains(&property.as_str()) {
            return Err(format!(
                "sets '{property}', which is not allowed in SVG figures"
            ));
        }
        property_value(v).map_err(|why| format!("sets '{property}' to a value that {why}"))?;
    }
    Ok(())
}

/// Text is allowed inside text elements; elsewhere only whitespace.
fn text_allowed(open: &[String], text: &str) -> Result<(), String> {
    match open.last() {
        Some(el) if TEXT_ELEMENTS.contains(&el.as_str()) => Ok(()),
        _ if text.trim().is_empty() => Ok(()),
        Some(el) => Err(format!(
            "text is allowed only in <text>, <tspan>, <title> and <desc>, not in <{el}>"
        )),
        None => Err("text is not allowed outside the <svg> element".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns="http://www.w3.org/2000/svg""#;

    fn refused(svg: &str) -> String {
        check(svg).expect_err(svg)
    }

    #[test]
    fn a_figure_of_shapes_text_gradients_and_local_uses_is_accepted() {
        let svg = format!(
            r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- a figure -->
<svg {NS} xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100" width="200" height="200">
  <title>Deret &amp; pola</title>
  <defs>
    <linearGradient id="g1" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fff"/><stop offset="1" style="stop-color: #000; stop-opacity: 0.5"/></linearGradient>
    <symbol id="dot"><circle cx="5" cy="5" r="4"/></symbol>
    <clipPath id="c"><rect width="50" height="50"/></clipPath>
  </defs>
  <g transform="translate(10,10)" clip-path="url(#c)" fill="url('#g1')">
    <rect x="0" y="0" width="30" height="30" stroke="#222" stroke-width="2"/>
    <path d="M0 0 L10 10 Z"/><polygon points="0,0 1,1 0,1"/><ellipse cx="1" cy="1" rx="1" ry="2"/>
    <use href="#dot" x="40"/><use xlink:href="#dot" x="60"/>
    <text x="5" y="90" font-family="sans-serif" font-size="12">A &lt; B &#x263A; <tspan dy="2">x</tspan></text>
  </g>
</svg>"##
        );
        assert_eq!(check(&svg), Ok(()));
    }

    #[test]
    fn an_event_handler_is_refused_however_it_is_written() {
        for (svg, named) in [
            (
                format!("<svg {NS} onload=\"alert(1)\"/>"),
                "'onload' of <svg>",
            ),
            (
                format!("<svg {NS}><rect ONCLICK = 'x()'/></svg>"),
                "'ONCLICK' of <rect>",
            ),
            (
                format!("<svg {NS}><g onmouseover\n=\"x()\"></g></svg>"),
                "'onmouseover' of <g>",
            ),
        ] {
            let why = refused(&svg);
            assert!(
                why.contains(named) && why.contains("event handler"),
                "{why}"
            );
        }
    }

    #[test]
    fn svg_slash_onload_is_refused() {
        // Browsers' HTML parser reads this as <svg onload=…>; here it is not even XML.
        for svg in [
            "<svg/onload=alert(1)>",
            "<svg/onload=alert(1)/>",
            "<svg/onload='x'></svg>",
        ] {
            let why = refused(svg);
            assert!(why.contains("not well-formed XML"), "{why}");
        }
    }

    #[test]
    fn a_script_or_foreign_object_is_refused_by_name() {
        for (svg, named) in [
            (
                format!("<svg {NS}><script>alert(1)</script></svg>"),
                "<script>",
            ),
            (
                format!("<svg {NS}><foreignObject><div/></foreignObject></svg>"),
                "<foreignObject>",
            ),
            (format!("<svg {NS}><a href=\"#x\"><rect/></a></svg>"), "<a>"),
            (format!("<svg {NS}><image href=\"#x\"/></svg>"), "<image>"),
            (
                format!("<svg {NS}><style>rect{{fill:red}}</style></svg>"),
                "<style>",
            ),
            (
                format!("<svg {NS}><set attributeName=\"href\" to=\"x\"/></svg>"),
                "<set>",
            ),
            (
                format!("<svg {NS}><animate attributeName=\"x\"/></svg>"),
                "<animate>",
            ),
            (
                format!("<svg {NS}><SCRIPT>alert(1)</SCRIPT></svg>"),
                "<SCRIPT>",
            ),
        ] {
            let why = refused(&svg);
            assert!(why.contains(named) && why.contains("not allowed"), "{why}");
        }
    }

    #[test]
    fn an_entity_encoded_javascript_url_is_judged_decoded() {
        for svg in [
            format!("<svg {NS}><use href=\"&#106;avascript:alert(1)\"/></svg>"),
            format!("<svg {NS}><use href=\"&#x6A;&#x61;vascript:alert(1)\"/></svg>"),
            format!("<svg {NS}><rect fill=\"&#117;rl(javascript:alert(1))\"/></svg>"),
        ] {
            let why = refused(&svg);
            assert!(why.contains("javascript:"), "{why}");
        }
    }

    #[test]
    fn an_href_with_spaces_around_its_equals_sign_is_still_an_href() {
        let why = refused(&format!(
            "<svg {NS}><use href = \"https://tracker.example/x.svg#a\"/></svg>"
        ));
        assert!(
            why.contains("'href' of <use> must point into the figure itself"),
            "{why}"
        );
        let why = refused(&format!(
            "<svg {NS} xmlns:xlink=\"http://www.w3.org/1999/xlink\"><use xlink:href\t=\t'//x.example/a#b'/></svg>"
        ));
        assert!(why.contains("'xlink:href' of <use>"), "{why}");
    }

    #[test]
    fn external_references_are_refused_wherever_they_are() {
        for (svg, named) in [
            (
                format!("<svg {NS}><use href=\"other.svg#a\"/></svg>"),
                "'href' of <use>",
            ),
            (
                format!("<svg {NS}><rect href=\"#a\"/></svg>"),
                "'href' of <rect>",
            ),
            (
                format!("<svg {NS}><rect fill=\"url(https://x.example/p.svg#g)\"/></svg>"),
                "'fill' of <rect>",
            ),
            (
                format!("<svg {NS}><rect filter=\"url(#f)\"/></svg>"),
                "'filter' of <rect>",
            ),
            (
                format!("<svg {NS}><rect fill=\"url(data:image/svg+xml,abc)\"/></svg>"),
                "'fill' of <rect>",
            ),
            (
                format!("<svg {NS} xmlns:xlink=\"https://evil.example\"/>"),
                "'xmlns:xlink' of <svg>",
            ),
            (
                "<svg xmlns=\"http://www.w3.org/1999/xhtml\"/>".to_string(),
                "'xmlns' of <svg>",
            ),
        ] {
            let why = refused(&svg);
            assert!(why.contains(named), "{named}: {why}");
        }
    }

    #[test]
    fn a_style_may_only_set_presentation_properties_without_urls_out() {
        for (svg, says) in [
            (
                format!("<svg {NS}><rect style=\"fill: url(https://x.example/a)\"/></svg>"),
                "sets 'fill'",
            ),
            (
                format!("<svg {NS}><rect style=\"background-image: url(#a)\"/></svg>"),
                "sets 'background-image'",
            ),
            (
                format!("<svg {NS}><rect style=\"fill: u\\72l(//x.example)\"/></svg>"),
                "CSS escapes",
            ),
            (
                format!("<svg {NS}><rect style=\"@import 'x.css'\"/></svg>"),
                "at-rules",
            ),
            (
                format!("<svg {NS}><rect style=\"fill:red /* */\"/></svg>"),
                "comments",
            ),
            (
                format!("<svg {NS}><rect style=\"fill: &#117;rl(//x.example)\"/></svg>"),
                "sets 'fill'",
            ),
        ] {
            let why = refused(&svg);
            assert!(
                why.contains("'style' of <rect>") && why.contains(says),
                "{why}"
            );
        }
        assert_eq!(
            check(&format!(
                "<svg {NS}><rect style=\"fill:#fff;stroke: url(#g)\"/></svg>"
            )),
            Ok(())
        );
    }

    #[test]
    fn a_doctype_and_its_entities_are_refused() {
        let why = refused(&format!(
            "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x \"javascript:alert(1)\">]><svg {NS}><use href=\"&x;\"/></svg>"
        ));
        assert!(why.contains("DOCTYPE"), "{why}");
        let why = refused(&format!("<svg {NS}><text>&x;</text></svg>"));
        assert!(why.contains("&x;"), "{why}");
        let why = refused(&format!("<svg {NS}><use href=\"&x;\"/></svg>"));
        assert!(why.contains("'href' of <use> cannot be read"), "{why}");
    }

    #[test]
    fn processing_instructions_and_stray_text_are_refused() {
        let why = refused(&format!(
            "<svg {NS}><?xml-stylesheet href=\"x.css\"?></svg>"
        ));
        assert!(why.contains("processing instructions"), "{why}");
        let why = refused(&format!("<svg {NS}><g>hello</g></svg>"));
        assert!(why.contains("not in <g>"), "{why}");
        let why = refused(&format!("<svg {NS}/>trailing"));
        assert!(why.contains("outside"), "{why}");
    }

    #[test]
    fn every_figure_of_the_demo_content_passes() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../seed/demo/figural.json")).unwrap();
        let figures: Vec<&str> = doc["assets"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["svg"].as_str())
            .collect();
        assert!(figures.len() > 50, "{}", figures.len());
        for svg in figures {
            assert_eq!(check(svg), Ok(()), "{svg}");
        }
    }

    #[test]
    fn the_root_must_be_one_svg_element_of_well_formed_xml() {
        assert!(refused("<div></div>").contains("root element, not <div>"));
        assert!(refused("").contains("must have an <svg>"));
        assert!(refused(&format!("<svg {NS}><g></svg>")).contains("not well-formed"));
        assert!(refused(&format!("<svg {NS}><rect x=1/></svg>")).contains("malformed"));
        assert!(refused(&format!("<svg {NS}><rect x=\"1\" x=\"2\"/></svg>")).contains("malformed"));
        assert!(refused(&format!("<svg {NS}/><svg {NS}/>")).contains("second root"));
        assert!(refused(&format!("<svg {NS}><svg:script/></svg>")).contains("<svg:script>"));
    }
}
