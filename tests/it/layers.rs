//! The house drawn from its imports: which top-level module of `src/` uses which, read from
//! the `crate::…` paths in the code (test modules included), must have no cycle.
//!
//! Once, model → cache → load → import → render → pipeline → model and more all reached each
//! other: no stage could be understood, tested or replaced alone. Pipeline sits above the
//! stages, serve, check, import and search beside them; a lower layer reaches I/O through a
//! trait it owns (the model's `TranscriptReader`, render's `PageSink`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

/// Top-level module → the top-level modules it names, each with the files that name it.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

#[test]
fn no_two_top_level_modules_import_each_other_even_through_others() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph.len() > 10, "read too few modules: {graph:?}");
    let cycles: Vec<String> = cycles(&graph)
        .iter()
        .map(|members| describe(&graph, members))
        .collect();
    assert!(
        cycles.is_empty(),
        "the modules import each other in a cycle:\n{}",
        cycles.join("\n")
    );
}

/// The model is pure data: what it needs from the disk comes through a trait it owns.
#[test]
fn the_model_uses_only_the_shared_leaf_modules() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let uses: BTreeSet<&str> = graph["model"].keys().map(String::as_str).collect();
    let allowed = BTreeSet::from(["error", "text", "layout", "config"]);
    let extra: Vec<&&str> = uses.difference(&allowed).collect();
    assert!(extra.is_empty(), "the model imports {extra:?}");
}

fn module_graph(src: &Path) -> Graph {
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .expect("src/ is readable")
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            match name.strip_suffix(".rs") {
                Some("lib" | "main") => None,
                Some(stem) => Some(stem.to_string()),
                None => entry.path().is_dir().then_some(name),
            }
        })
        .collect();
    let mut graph = Graph::new();
    for module in &modules {
        let single = src.join(format!("{module}.rs"));
        let files: Vec<std::path::PathBuf> = if single.is_file() {
            vec![single]
        } else {
            walkdir::WalkDir::new(src.join(module))
                .into_iter()
                .flatten()
                .map(|entry| entry.into_path())
                .filter(|path| path.extension().is_some_and(|e| e == "rs"))
                .collect()
        };
        let uses = graph.entry(module.clone()).or_default();
        for file in files {
            let code = std::fs::read_to_string(&file).expect("a readable source file");
            let shown = file
                .strip_prefix(src)
                .unwrap_or(&file)
                .display()
                .to_string();
            for used in named_modules(&code) {
                if used != *module && modules.contains(&used) {
                    uses.entry(used).or_default().insert(shown.clone());
                }
            }
        }
    }
    graph
}

/// The top-level names of every `crate::name` and `crate::{a, b::c}` in `code`, comments left
/// out.
fn named_modules(code: &str) -> BTreeSet<String> {
    let comment = Regex::new(r"//[^\n]*").expect("valid regex");
    let single = Regex::new(r"crate::(\w+)").expect("valid regex");
    let group = Regex::new(r"crate::\{([^}]*)\}").expect("valid regex");
    let first = Regex::new(r"(?:^|,)\s*(\w+)").expect("valid regex");
    let code = comment.replace_all(code, "");
    let mut names: BTreeSet<String> = single
        .captures_iter(&code)
        .map(|c| c[1].to_string())
        .collect();
    for list in group.captures_iter(&code) {
        names.extend(first.captures_iter(&list[1]).map(|c| c[1].to_string()));
    }
    names
}

/// The groups of two or more modules that all reach each other.
fn cycles(graph: &Graph) -> Vec<BTreeSet<String>> {
    let reach: BTreeMap<&String, BTreeSet<&String>> =
        graph.keys().map(|m| (m, reachable(graph, m))).collect();
    let mut groups: Vec<BTreeSet<String>> = Vec::new();
    for module in graph.keys() {
        if groups.iter().any(|g| g.contains(module)) {
            continue;
        }
        let group: BTreeSet<String> = reach[module]
            .iter()
            .filter(|other| reach[*other].contains(module))
            .map(|other| other.to_string())
            .collect();
        if group.len() > 1 {
            groups.push(group);
        }
    }
    groups
}

/// Every module `from` reaches, itself included only through a cycle.
fn reachable<'a>(graph: &'a Graph, from: &'a String) -> BTreeSet<&'a String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&String> = graph[from].keys().collect();
    while let Some(module) = todo.pop() {
        if seen.insert(module) {
            todo.extend(graph.get(module).into_iter().flat_map(|uses| uses.keys()));
        }
    }
    seen
}

/// A cycle, and the edges inside it with the files that make them, so that the message says
/// where to look.
fn describe(graph: &Graph, members: &BTreeSet<String>) -> String {
    let names: Vec<&str> = members.iter().map(String::as_str).collect();
    let mut text = format!("cycle: {}", names.join(" <-> "));
    for from in members {
        for (to, files) in &graph[from] {
            if members.contains(to) {
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                text.push_str(&format!("\n  {from} -> {to} ({})", files.join(", ")));
            }
        }
    }
    text
}
