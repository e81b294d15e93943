//! Theme lookup and template rendering: the only module that knows Tera.
//!
//! Templates are found in one explicit order, so a site can override a single template
//! without copying a whole theme: the site's `templates/`, then `themes/<name>/templates/`,
//! then the default theme built into the binary. Templates are compiled once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde::Serialize;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::layout::{SiteLayout, STATIC_DIR, TEMPLATES_DIR};

/// The default theme, built in so a site works without a copy of it.
static BUILT_IN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

const BUILT_IN_NAME: &str = "default";

/// Where a theme's static files come from, lowest priority first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticFiles {
    BuiltIn,
    Folder(PathBuf),
}

pub struct Theme {
    tera: tera::Tera,
    /// Where each template came from, for error messages.
    origins: BTreeMap<String, String>,
    pub static_files: Vec<StaticFiles>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = vec![StaticFiles::BuiltIn];
        for file in BUILT_IN
            .get_dir(TEMPLATES_DIR)
            .map(files_under)
            .unwrap_or_default()
        {
            if let Some(text) = file.contents_utf8() {
                let name = template_name(
                    file.path()
                        .strip_prefix(TEMPLATES_DIR)
                        .unwrap_or(file.path()),
                );
                sources.insert(
                    name.clone(),
                    (text.to_string(), format!("built-in theme: {name}")),
                );
            }
        }
        let layout = SiteLayout::new(root);
        let theme_dir = layout.theme(name);
        if theme_dir.is_dir() {
            read_templates(&theme_dir.join(TEMPLATES_DIR), root, &mut sources)?;
            static_files.push(StaticFiles::Folder(theme_dir.join(STATIC_DIR)));
        } else if name != BUILT_IN_NAME {
            return Err(Error::Theme(format!(
                "site.toml: error: theme `{name}` not found: expected a folder themes/{name}/ with templates/ in it"
            )));
        }
        read_templates(&layout.templates(), root, &mut sources)?;
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".htm", ".svg"]);
        tera.register_filter("thousands", thousands);
        let origins = sources
            .iter()
            .map(|(n, (_, o))| (n.clone(), o.clone()))
            .collect();
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(n, (text, _))| (n.as_str(), text.as_str())),
        )
        .map_err(|e| Error::Theme(describe(&e, &origins)))?;
        Ok(Theme {
            tera,
            origins,
            static_files,
        })
    }

    /// Renders `template` with `view` as its variables.
    pub fn render<T: Serialize>(&self, template: &str, view: &T) -> Result<String> {
        let context = tera::Context::from_serialize(view).map_err(|e| {
            Error::Theme(format!(
                "template `{template}`: cannot pass its variables: {}",
                describe(&e, &self.origins)
            ))
        })?;
        self.tera
            .render(template, &context)
            .map_err(|e| Error::Theme(describe(&e, &self.origins)))
    }

    /// Writes every file of the built-in theme's `static/` folder through `put`.
    pub fn built_in_static(put: &mut dyn FnMut(&str, &[u8]) -> Result<()>) -> Result<()> {
        let Some(dir) = BUILT_IN.get_dir(STATIC_DIR) else {
            return Ok(());
        };
        for file in files_under(dir) {
            let relative = file.path().strip_prefix(STATIC_DIR).unwrap_or(file.path());
            put(&template_name(relative), file.contents())?;
        }
        Ok(())
    }
}

/// Every file in an embedded folder and its subfolders.
fn files_under<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<&include_dir::File<'_>> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(files_under(sub));
    }
    files
}

/// `partials/card.html`, with `/` whatever the platform.
fn template_name(relative: &Path) -> String {
    relative
        .iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_templates(
    dir: &Path,
    root: &Path,
    sources: &mut BTreeMap<String, (String, String)>,
) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, std::io::Error::other(e.to_string())))?;
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let name = template_name(path.strip_prefix(dir).unwrap_or(path));
        let shown = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        sources.insert(name, (text, shown));
    }
    Ok(())
}

/// `183402` → `183,402`: Tera 2 has no number formatting of its own.
fn thousands(number: i64, _: tera::Kwargs, _: &tera::State) -> String {
    crate::text::thousands(number)
}

/// Tera's report without its first line, which repeats the message.
fn snippet(report: &str) -> &str {
    report.find("\n").map_or("", |i| &report[i + 1..])
}

/// `templates/tags.html:2:7: error: …` in file coordinates, then Tera's own report, which
/// shows the line, then any causes.
fn describe(error: &tera::Error, origins: &BTreeMap<String, String>) -> String {
    let mut text = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let origin = origins
                .get(report.filename())
                .map_or(report.filename(), String::as_str);
            let span = report.span();
            format!(
                "{origin}:{}:{}: error: {}\n{}",
                span.start_line,
                span.start_col + 1,
                report.message(),
                snippet(&error.to_string())
            )
        }
        _ => format!("error: {error}"),
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(&format!("\n  caused by: {cause_text}"));
        }
        source = cause.source();
    }
    text
}
