//! The layering of ARCHITECTURE.md, read from the source: services form a graph without
//! circles, `domain/` uses nothing of the crate outside itself, and routes never reach the store.
//! The rules are read from the `crate::…` and `super::…` paths each file of `src/` names (tests
//! at the bottom of a file aside), so a new import that breaks a rule fails here.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A file of `src/` and the module it is.
struct Source {
    path: PathBuf,
    module: Vec<String>,
    text: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).unwrap();
                let mut module: Vec<String> = rel
                    .with_extension("")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    module.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    module.pop();
                }
                let text = std::fs::read_to_string(&path).unwrap();
                out.push(Source { path, module, text });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The code of a file without its tests module and comments.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every crate path a piece of code names, absolute from the crate root: `crate::a::b`,
/// `super::c` (from `module`), and the members of `{…}` groups one level deep.
fn paths_named(code: &str, module: &[String]) -> Vec<Vec<String>> {
    // `super` is the parent module (a folder's mod.rs is the folder's module).
    let parent: Vec<String> = {
        let mut m = module.to_vec();
        m.pop();
        m
    };
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':';
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let (base, skip) = if starts_word && rest.starts_with("crate::") {
            (Vec::new(), 7)
        } else if starts_word && rest.starts_with("super::") {
            (parent.clone(), 7)
        } else {
            i += 1;
            continue;
        };
        i += skip;
        let mut path = base;
        // Further `super::` steps climb.
        loop {
            let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
            if rest == "super::" {
                path.pop();
                i += 7;
            } else {
                break;
            }
        }
        let mut segs = path;
        loop {
            if i < bytes.len() && bytes[i] == '{' {
                // A group: each member is a path of its own from here.
                let close = (i..bytes.len())
                    .find(|&j| bytes[j] == '}')
                    .unwrap_or(bytes.len());
                let inner: String = bytes[i + 1..close].iter().collect();
                for member in inner.split(',') {
                    let member = member.split(" as ").next().unwrap_or("").trim();
                    let mut p = segs.clone();
                    for s in member.split("::").map(str::trim).filter(|s| !s.is_empty()) {
                        if s == "super" {
                            p.pop();
                        } else if s != "self" && s != "*" && s.chars().all(is_ident) {
                            p.push(s.to_owned());
                        }
                    }
                    out.push(p);
                }
                i = close;
                break;
            }
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            if i == start {
                break;
            }
            segs.push(bytes[start..i].iter().collect());
            if i + 1 < bytes.len() && bytes[i] == ':' && bytes[i + 1] == ':' {
                i += 2;
            } else {
                out.push(segs.clone());
                break;
            }
        }
    }
    out
}

fn named(s: &Source) -> Vec<Vec<String>> {
    paths_named(&code(&s.text), &s.module)
}

/// The service a path lands in: `services::delivery::answers::x` is in `delivery`. Items
/// re-exported at the root of `services` (the context) belong to `context`.
fn service_of(path: &[String]) -> Option<String> {
    if path.first().map(String::as_str) != Some("services") {
        return None;
    }
    let second = path.get(1)?;
    if second.chars().next().is_some_and(char::is_uppercase) {
        return Some("context".to_owned());
    }
    Some(second.clone())
}

/// The context is the composition root: it holds each node-wide handle (caches, writer, feed,
/// clock) and is handed to every use case, so what it names is not a use of a service.
const COMPOSITION_ROOT: &str = "context";

fn service_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources() {
        let Some(from) = service_of(&s.module) else {
            continue;
        };
        graph.entry(from.clone()).or_default();
        if from == COMPOSITION_ROOT {
            continue;
        }
        for p in named(&s) {
            if let Some(to) = service_of(&p) {
                if to != from {
                    graph.get_mut(&from).unwrap().insert(to);
                }
            }
        }
    }
    graph
}

/// A circle in a graph, as the path that closes it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, stack) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut done, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
fn services_use_each_other_without_a_circle() {
    let graph = service_graph();
    assert!(graph.len() > 10, "the services were found: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("services use each other in a circle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_domain_uses_nothing_of_the_crate_outside_itself() {
    let mut wrong = Vec::new();
    for s in sources()
        .iter()
        .filter(|s| s.module.first().is_some_and(|m| m == "domain"))
    {
        for p in named(s) {
            if p.first().is_some_and(|m| m != "domain") {
                wrong.push(format!("{} uses {}", s.path.display(), p.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn only_the_clock_reads_the_system_time() {
    // Invariant 9: services, stores and the domain take the time from the clock in the context,
    // so tests move time instead of sleeping.
    let mut wrong = Vec::new();
    for s in sources() {
        if s.module == ["clock"] {
            continue;
        }
        for line in code(&s.text).lines() {
            if line.contains("Utc::now") || line.contains("SystemTime::now") {
                wrong.push(format!("{}: {}", s.path.display(), line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn routes_never_reach_the_store() {
    let mut wrong = Vec::new();
    let routes: Vec<Source> = sources()
        .into_iter()
        .filter(|s| s.module.first().is_some_and(|m| m == "routes"))
        .collect();
    assert!(routes.len() > 5, "the routes were found");
    for s in &routes {
        for p in named(s) {
            if p.first().is_some_and(|m| m == "store") {
                wrong.push(format!("{} uses {}", s.path.display(), p.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_reader_of_paths_sees_groups_supers_and_inline_paths() {
    let module: Vec<String> = ["services", "delivery", "answers"]
        .map(String::from)
        .to_vec();
    let code = "use super::{views, super::attempt::live as l};\nuse crate::store::{self as s, responses};\nfn f() { crate::domain::ids::AttemptId::new(); super::super::monitor::x(); }\n";
    let found: Vec<String> = paths_named(code, &module)
        .into_iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(
        found,
        [
            "services::delivery::views",
            "services::attempt::live",
            "store",
            "store::responses",
            "domain::ids::AttemptId::new",
            "services::monitor::x",
        ]
    );
}

#[test]
fn a_circle_is_found_and_named() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let edge = |g: &mut BTreeMap<String, BTreeSet<String>>, a: &str, b: &str| {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    };
    edge(&mut g, "delivery", "attempt");
    edge(&mut g, "proctoring", "attempt");
    edge(&mut g, "attempt", "monitor");
    assert_eq!(find_cycle(&g), None);
    edge(&mut g, "monitor", "delivery");
    assert_eq!(
        find_cycle(&g).unwrap(),
        ["attempt", "monitor", "delivery", "attempt"]
    );
}
