//! Random sequences of edits, applied to a running `serve` session one at a time, each followed
//! by a comparison of every file it serves with a full build of the same files.
//!
//! The hand-written cases in `incremental.rs` pin the edits someone thought of; this finds the
//! ones nobody did. It caught `serve` leaving a show's first page (its "Heard most often")
//! stale after a turn was added to an episode on the show's second page.
//!
//! The sequence comes from a seeded generator: a failure prints the seed and every edit that
//! led to it. `VERBATIM_EDITS=500` runs longer by hand, `VERBATIM_SEED=…` replays a failure.

use std::path::PathBuf;

use verbatim::serve::session::{Pages, Session};

use crate::util::Site;

/// Edits in a default run: under half a minute in a debug build.
const EDITS: usize = 100;
const SEED: u64 = 0x5eed_0023;

/// xorshift64*: enough randomness to pick edits, and the same sequence for the same seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SHOWS: [&str; 2] = ["the-long-memory", "signal-and-noise"];
/// People of the example archive (one of them only by initials), and some it has never heard.
const VOICES: [&str; 10] = [
    "Søren Åberg",
    "Zoë Okonkwo-Brandt",
    "José Núñez",
    "Hannelore Vogt",
    "李明",
    "ZOB",
    "Priya Raghunathan",
    "Ines Varga",
    "Tomas Reed",
    "Aiko Mori",
];
const TAGS: [&str; 5] = [
    "archives",
    "typography",
    "radio",
    "night shifts",
    "oral-history",
];

/// The example archive, the edits made to it so far, and what it holds now.
struct Editor {
    site: Site,
    random: Random,
    /// Episode files, relative to the site root.
    episodes: Vec<String>,
    made: usize,
    log: Vec<String>,
}

impl Editor {
    fn new(seed: u64) -> Editor {
        let site = Site::example();
        // Two episodes a page: every show has pages past its first.
        let settings = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
        site.write(
            "site.toml",
            settings.replace("paginate_by = 5", "paginate_by = 2"),
        );
        let content = site.root().join("content");
        let mut episodes: Vec<String> = crate::util::episode_files(&content)
            .into_iter()
            .map(|p| {
                let relative = p.strip_prefix(site.root()).unwrap();
                relative.to_string_lossy().into_owned()
            })
            .collect();
        episodes.sort();
        Editor {
            site,
            random: Random(seed | 1),
            episodes,
            made: 0,
            log: Vec::new(),
        }
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.site.root().join(path)).unwrap()
    }

    fn remove(&self, path: &str) {
        let _ = std::fs::remove_file(self.site.root().join(path));
    }

    /// One random edit; returns the files it changed.
    fn edit(&mut self) -> Vec<String> {
        self.made += 1;
        match self.random.below(12) {
            0 | 1 => self.add_turn(),
            2 => self.remove_turn(),
            3 => self.reword(),
            4 => self.add_episode(),
            5 => self.remove_episode(),
            6 => self.rename_episode(),
            7 => self.retag(),
            8 => self.edit_profile(),
            9 => self.edit_template(),
            10 => self.edit_static(),
            _ => self.redate(),
        }
    }

    fn some_episode(&mut self) -> String {
        self.random.pick(&self.episodes).clone()
    }

    fn add_turn(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let voice = *self.random.pick(&VOICES);
        let text = self.read(&path);
        let said = format!("Words number {} of the edits.", self.made);
        self.site
            .write(&path, format!("{text}\n\n**{voice}:** {said}\n"));
        self.log.push(format!("a turn by {voice} in {path}"));
        vec![path]
    }

    fn remove_turn(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let text = self.read(&path);
        let body = text.find("\n---\n").map_or(0, |end| end + 5);
        match text.rfind("\n**").filter(|&at| at > body) {
            Some(at) => {
                self.site.write(&path, &text[..at + 1]);
                self.log.push(format!("the last turn of {path} removed"));
            }
            None => self.log.push(format!("no turn to remove in {path}")),
        }
        vec![path]
    }

    fn reword(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let text = self.read(&path);
        self.site.write(
            &path,
            format!("{} Said again {}.\n", text.trim_end(), self.made),
        );
        self.log.push(format!("the last words of {path} reworded"));
        vec![path]
    }

    fn add_episode(&mut self) -> Vec<String> {
        let show = *self.random.pick(&SHOWS);
        let path = format!("content/{show}/made-{}.md", self.made);
        let (a, b) = (*self.random.pick(&VOICES), *self.random.pick(&VOICES));
        let tag = *self.random.pick(&TAGS);
        let date = self.date();
        self.site.write(
            &path,
            format!(
                "---\ntitle: Made number {}\ndate: {date}\ntags: [{tag}]\nspeakers: [{a}]\n---\n**{a}:** Hello.\n\n**{b}:** Hello to you.\n",
                self.made
            ),
        );
        self.log
            .push(format!("a new episode {path} with {a}, {b} on {date}"));
        self.episodes.push(path.clone());
        vec![path]
    }

    fn remove_episode(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let show = path.split('/').nth(1).unwrap_or("").to_string();
        let in_show = self
            .episodes
            .iter()
            .filter(|p| p.split('/').nth(1) == Some(show.as_str()))
            .count();
        if in_show < 2 {
            return self.add_episode();
        }
        self.remove(&path);
        self.episodes.retain(|p| *p != path);
        self.log.push(format!("{path} deleted"));
        vec![path]
    }

    fn rename_episode(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let (folder, _) = path.rsplit_once('/').unwrap();
        let renamed = format!("{folder}/renamed-{}.md", self.made);
        let text = self.read(&path);
        self.remove(&path);
        self.site.write(&renamed, text);
        self.episodes.retain(|p| *p != path);
        self.episodes.push(renamed.clone());
        self.log.push(format!("{path} renamed {renamed}"));
        vec![path, renamed]
    }

    fn retag(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let tag = *self.random.pick(&TAGS);
        let text = self.read(&path);
        let text = if text.contains("\ntags:\n") {
            text.replacen("\ntags:\n", &format!("\ntags:\n  - {tag}\n"), 1)
        } else if let Some(at) = text.find("\ntags: [") {
            format!(
                "{}\ntags: [{tag}]{}",
                &text[..at],
                after_line(&text[at + 1..])
            )
        } else {
            text.replacen("---\n", &format!("---\ntags: [{tag}]\n"), 1)
        };
        self.site.write(&path, text);
        self.log.push(format!("{path} tagged {tag}"));
        vec![path]
    }

    fn redate(&mut self) -> Vec<String> {
        let path = self.some_episode();
        let date = self.date();
        let text = self.read(&path);
        let text = match text.find("\ndate: ") {
            Some(at) => format!(
                "{}\ndate: {date}{}",
                &text[..at],
                after_line(&text[at + 1..])
            ),
            None => text.replacen("---\n", &format!("---\ndate: {date}\n"), 1),
        };
        self.site.write(&path, text);
        self.log.push(format!("{path} dated {date}"));
        vec![path]
    }

    fn date(&mut self) -> String {
        let year = 2018 + self.random.below(9);
        let month = 1 + self.random.below(12);
        let day = 1 + self.random.below(28);
        format!("{year}-{month:02}-{day:02}")
    }

    fn edit_profile(&mut self) -> Vec<String> {
        let (path, profile) = match self.random.below(3) {
            0 => (
                "content/speakers/ines-varga.md",
                format!(
                    "---\nname: Ines Varga\ntitle: Engineer {}\n---\nA profile.\n",
                    self.made
                ),
            ),
            // An alias merges a label of the archive into this person.
            1 => (
                "content/speakers/tomas-reed.md",
                "---\nname: Tomas Reed\naliases: [Aiko Mori]\n---\n".to_string(),
            ),
            _ => {
                let path = "content/speakers/li-ming.md";
                let text = self.read(path);
                let title = format!("title: Type designer, edit {}", self.made);
                let text = match text.find("\ntitle: ") {
                    Some(at) => format!("{}\n{title}{}", &text[..at], after_line(&text[at + 1..])),
                    None => text,
                };
                (path, text)
            }
        };
        self.site.write(path, profile);
        self.log.push(format!("profile {path} written"));
        vec![path.to_string()]
    }

    fn edit_template(&mut self) -> Vec<String> {
        let path = *self
            .random
            .pick(&["templates/tags.html", "templates/404.html"]);
        if self.random.below(3) == 0 {
            self.remove(path);
            self.log.push(format!("template {path} removed"));
        } else {
            self.site.write(
                path,
                format!(
                    "{{% extends \"base.html\" %}}{{% block content %}}<p>edit {}</p>{{% endblock content %}}",
                    self.made
                ),
            );
            self.log.push(format!("template {path} written"));
        }
        vec![path.to_string()]
    }

    fn edit_static(&mut self) -> Vec<String> {
        let path = *self.random.pick(&[
            "static/notes.txt",
            "static/robots.txt",
            "themes/default/static/extra.css",
            "themes/default/static/style.css",
        ]);
        if self.random.below(3) == 0 && !path.ends_with("style.css") {
            self.remove(path);
            self.log.push(format!("static file {path} removed"));
        } else {
            self.site.write(path, format!("edit {}\n", self.made));
            self.log.push(format!("static file {path} written"));
        }
        vec![path.to_string()]
    }
}

/// The rest of a text after its first line, with the line break.
fn after_line(text: &str) -> &str {
    text.find('\n').map_or("", |at| &text[at..])
}

/// The files that differ between the served site and a full build: missing, stale or changed.
fn differences(session: &Session, full: &Pages) -> Vec<String> {
    let served = session.pages();
    let replaced = session.replaced_index();
    let mut found: Vec<String> = full
        .iter()
        .filter(|(file, bytes)| served.get(*file) != Some(*bytes))
        .map(|(file, _)| match served.contains_key(file) {
            true => format!("{file} differs"),
            false => format!("{file} missing"),
        })
        .collect();
    found.extend(
        served
            .keys()
            .filter(|file| !full.contains_key(*file) && !replaced.contains(*file))
            .map(|file| format!("{file} stale")),
    );
    found.sort();
    found
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => value.parse().ok(),
    }
}

#[test]
fn served_site_equals_a_full_build_after_every_random_edit() {
    let seed = env_number("VERBATIM_SEED").unwrap_or(SEED);
    let edits = env_number("VERBATIM_EDITS").map_or(EDITS, |n| n as usize);
    let mut editor = Editor::new(seed);
    let mut session = Session::start(editor.site.options_without_cache()).expect("first build");
    for step in 1..=edits {
        let changed: Vec<PathBuf> = editor.edit().into_iter().map(PathBuf::from).collect();
        let story = || {
            format!(
                "seed {seed:#x}, edit {step} of {edits}:\n  {}",
                editor.log.join("\n  ")
            )
        };
        let applied = session.apply(&changed);
        let full = match (applied, Session::start(editor.site.options_without_cache())) {
            (Ok(_), Ok(full)) => full,
            (applied, full) => panic!(
                "{}\nan edit failed: serve {:?}, full build {:?}",
                story(),
                applied.err().map(|e| e.to_string()),
                full.err().map(|e| e.to_string())
            ),
        };
        session.reindex().expect("search index");
        let differ = differences(&session, &full.pages());
        assert!(
            differ.is_empty(),
            "{}\nthe site served differs from a full build:\n  {}",
            story(),
            differ.join("\n  ")
        );
    }
    eprintln!("{edits} random edits, seed {seed:#x}: the site served stayed a full build");
}
