//! Labels → speakers: who each label in each episode means.
//!
//! Real transcripts are messy and the archive must stay truthful, so this module merges only
//! what is certainly the same person: labels with the same name key (they differ only in case,
//! Latin accents, spacing or punctuation), and the names and aliases a profile declares. Slugs
//! never decide who is who: `王伟` and `汪伟` share one, and are two people. Markers (`Break`) are nobody; anonymous labels (`Speaker 1`, `Q`) are
//! somebody only inside their own episode. Near-duplicates are left for `check` to report.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use super::slug::{is_blank, name_key, slugify};

/// Labels that are not people: they render as breaks and get no page.
const DEFAULT_MARKERS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "applause",
    "break",
    "commercial",
    "crosstalk",
    "intro",
    "intro music",
    "jingle",
    "laughter",
    "music",
    "outro",
    "outro music",
    "silence",
    "sound effect",
    "sponsor",
    "sponsor break",
    "theme music",
];

/// Labels that mean a different person in every episode: `Speaker 1`, `SPEAKER_00`,
/// `Unknown`, `Q`, `A`, `Audience member 2`, and the like.
static ANONYMOUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:speaker|participant|panell?ist|audience(?:[ -]members?)?|audience|unknown(?: speaker)?|unidentified(?: speaker)?|(?:fe)?male(?: speaker)?|man|woman|voice|caller|q|a|question|answer|attendee)(?:[ _#-]*\d+|[ _-][a-z])?$",
    )
    .expect("valid regex")
});

/// Labels that name a role or a position rather than someone (`Host`, `Moderator`,
/// `Panelist 2`, `1st person`, `New Speaker`): they mean someone else in every episode, even when
/// an episode lists them under `speakers`. Each is a case-insensitive regular expression for the
/// whole label, which may end in a number or a letter (`Host 2`, `Guest B`); `site.toml` adds
/// more under `[speakers] roles`. docs/content.md lists them: keep the two in step.
pub const DEFAULT_ROLES: &[&str] = &[
    r"(?:co-?)?hosts?",
    r"(?:(?:q ?(?:&|and) ?a|panel|session|debate|event) )?moderator",
    r"interviewer|interviewee",
    r"presenter|introducer|announcer|narrator|emcee|organi[sz]er|chair(?:person)?",
    r"panell?ist|participant|attendee|guest|member of (?:the )?audience",
    r"(?:new|other|another|next|previous|different) (?:speaker|person|voice|asker|questioner|participant)",
    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth) (?:person|speaker|voice|questioner|participant|panell?ist|guest)",
    r"person|asker|questioner|follow-?up (?:q|question)",
    r"(?:unknown|unidentified)(?: (?:speaker|person|voice|man|woman|male|female))?",
    r"(?:fe)?male(?: (?:speaker|voice))?|man|woman|voice",
];

/// A role pattern as the classifier uses it: the whole label, any case, with an optional
/// number or letter after it. `site.toml`'s patterns are checked with this too.
pub fn role_regex(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&format!(r"(?i)^(?:{pattern})(?:[ _#-]*\d+|[ _-][a-z])?$"))
}

/// Capital initials: one to four letters, the first and last capitals, lower case only
/// between capitals (`MF`, `NVK`, `AvW`). Such a label names no one by itself.
pub fn is_initials(label: &str) -> bool {
    static INITIALS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{Lu}(?:\p{Ll}?\p{Lu}){0,3}$").expect("valid regex"));
    let label = label.trim();
    label.chars().count() <= 4 && INITIALS.is_match(label)
}

/// `Full Name (XX)` or `Full Name [XX]`, with capital initials between the brackets: the name
/// and the initials.
pub fn split_initials(label: &str) -> Option<(&str, &str)> {
    static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(.*\S)\s*(?:\(([^()]+)\)|\[([^\[\]]+)\])$").expect("valid regex")
    });
    let c = BRACKETED.captures(label.trim())?;
    let inner = c.get(2).or(c.get(3))?.as_str().trim();
    let name = c.get(1)?.as_str().trim();
    (is_initials(inner) && !is_blank(name)).then_some((name, inner))
}

/// `Handle (Full Name)` or `Full Name (Handle)`, brackets round or square, with something other
/// than initials between them: the part outside and the part inside.
pub fn split_other_name(label: &str) -> Option<(&str, &str)> {
    static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([^()\[\]]*\S)\s*(?:\(([^()]+)\)|\[([^\[\]]+)\])$").expect("valid regex")
    });
    let c = BRACKETED.captures(label.trim())?;
    let inner = c.get(2).or(c.get(3))?.as_str().trim();
    let outer = c.get(1)?.as_str().trim();
    (!is_initials(inner) && !is_blank(inner) && !is_blank(outer)).then_some((outer, inner))
}

/// The ways a full name is abbreviated: the first letter of each word (`Aaron van Wirdum` →
/// `AvW`), of each part of a hyphenated or apostrophed word too (`James O’Beirne` → `JOB`), and
/// without the lower-case particles (`AW`). Upper case, for comparing. A one-word name has none.
pub fn initials_of(name: &str) -> Vec<String> {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.len() < 2 {
        return Vec::new();
    }
    let first = |w: &str| w.chars().find(|c| c.is_alphabetic());
    let parts = |w: &'_ str| -> Vec<char> {
        w.split(['-', '\'', '’'])
            .filter_map(|p| p.chars().find(|c| c.is_alphabetic()))
            .collect()
    };
    let plain: String = words.iter().filter_map(|w| first(w)).collect();
    let split: String = words.iter().flat_map(|w| parts(w)).collect();
    let capitals: String = words
        .iter()
        .filter_map(|w| first(w))
        .filter(|c| c.is_uppercase())
        .collect();
    let mut all: Vec<String> = Vec::new();
    for variant in [plain, split, capitals] {
        let variant = variant.to_uppercase();
        if variant.chars().count() >= 2 && !all.contains(&variant) {
            all.push(variant);
        }
    }
    all
}

/// What kind of voice a label is, before it is tied to a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Anonymous,
    Marker,
}

/// Decides whether a label is a person, an anonymous voice or a marker.
#[derive(Debug, Clone)]
pub struct Classifier {
    markers: Vec<String>,
    anonymous: Vec<String>,
    roles: Vec<Regex>,
}

impl Classifier {
    /// The built-in lists, extended by `site.toml`.
    pub fn new(extra_markers: &[String], extra_anonymous: &[String]) -> Self {
        let markers = DEFAULT_MARKERS
            .iter()
            .map(|m| slugify(m))
            .chain(extra_markers.iter().map(|m| slugify(m)))
            .collect();
        let anonymous = extra_anonymous.iter().map(|a| slugify(a)).collect();
        let roles = DEFAULT_ROLES
            .iter()
            .map(|r| role_regex(r).expect("valid built-in role pattern"))
            .collect();
        Classifier {
            markers,
            anonymous,
            roles,
        }
    }

    /// Adds the site's role patterns (`[speakers] roles`); `site.toml` is checked when it is
    /// read, so a pattern that does not compile here is one the config already refused.
    pub fn with_roles(mut self, patterns: &[String]) -> Self {
        self.roles
            .extend(patterns.iter().filter_map(|p| role_regex(p).ok()));
        self
    }

    /// The kind a front-matter role says a label is, whatever the label: `break` and `marker`
    /// are nobody, `unidentified`, `audience` and `anonymous` someone only in this episode.
    pub fn by_role(role: Option<&str>) -> Option<Kind> {
        match role.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
            Some("break" | "marker") => Some(Kind::Marker),
            Some("unidentified" | "audience" | "anonymous") => Some(Kind::Anonymous),
            _ => None,
        }
    }

    /// Whether the label names a role or a position (`Host`, `Panelist 2`) rather than someone.
    pub fn is_role(&self, label: &str) -> bool {
        let label = label.trim();
        self.roles.iter().any(|r| r.is_match(label))
    }

    /// `role` is the role front matter gives the label, if any; it wins over the lists.
    pub fn classify(&self, label: &str, role: Option<&str>) -> Kind {
        if let Some(kind) = Classifier::by_role(role) {
            return kind;
        }
        let slug = slugify(label);
        if self.markers.contains(&slug) {
            Kind::Marker
        } else if ANONYMOUS.is_match(label.trim())
            || self.anonymous.contains(&slug)
            || self.is_role(label)
        {
            Kind::Anonymous
        } else {
            Kind::Person
        }
    }
}

/// Every name and alias that profiles declare, by name key, pointing at the key of the
/// profile's speaker.
#[derive(Debug, Default)]
pub struct Directory {
    aliases: HashMap<String, String>,
}

impl Directory {
    pub fn add(&mut self, name: &str, speaker: &str) {
        self.aliases
            .entry(name_key(name))
            .or_insert_with(|| speaker.to_string());
    }

    pub fn knows(&self, name: &str) -> bool {
        self.aliases.contains_key(&name_key(name))
    }

    /// The speaker key a person's label resolves to: a profile's, else the label's own.
    pub fn resolve(&self, label: &str) -> String {
        let key = name_key(label);
        self.aliases.get(&key).cloned().unwrap_or(key)
    }
}

/// Counts spellings so that a speaker without a profile shows their most used name.
#[derive(Debug, Default)]
pub struct Spellings {
    by_key: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Spellings {
    pub fn count(&mut self, key: &str, spelling: &str, turns: usize) {
        *self
            .by_key
            .entry(key.to_string())
            .or_default()
            .entry(spelling.trim().to_string())
            .or_default() += turns;
    }

    /// Every speaker key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.by_key.keys()
    }

    /// Spellings most used first; ties in a fixed order so builds are reproducible.
    pub fn of(&self, key: &str) -> Vec<(String, usize)> {
        let mut list: Vec<(String, usize)> = self
            .by_key
            .get(key)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_brackets_that_is_not_initials_is_another_name() {
        assert_eq!(
            split_other_name("Waxwing (Adam Gibson)"),
            Some(("Waxwing", "Adam Gibson"))
        );
        assert_eq!(
            split_other_name("Adam Gibson [Waxwing]"),
            Some(("Adam Gibson", "Waxwing"))
        );
        assert_eq!(split_other_name("Michael Folkson (MF)"), None);
        assert_eq!(split_other_name("Adam Gibson"), None);
        assert_eq!(split_other_name("(Adam)"), None);
        assert_eq!(split_other_name("A (B) (C)"), None);
    }

    #[test]
    fn markers_are_not_people() {
        let c = Classifier::new(&["Sting".to_string()], &[]);
        assert_eq!(c.classify("Break", None), Kind::Marker);
        assert_eq!(c.classify("JINGLE", None), Kind::Marker);
        assert_eq!(c.classify("Sting", None), Kind::Marker);
        assert_eq!(
            c.classify("Clip from Go Time", Some("marker")),
            Kind::Marker
        );
        assert_eq!(c.classify("Satya Nadella", None), Kind::Person);
    }

    #[test]
    fn anonymous_labels_stay_anonymous() {
        let c = Classifier::new(&[], &["Caller".to_string(), "Host".to_string()]);
        for label in [
            "Speaker 1",
            "SPEAKER_00",
            "Unknown",
            "Q",
            "A",
            "Audience member",
            "Audience Member 2",
            "Host",
        ] {
            assert_eq!(c.classify(label, None), Kind::Anonymous, "{label}");
        }
        assert_eq!(c.classify("Ann", Some("audience")), Kind::Anonymous);
        assert_eq!(c.classify("Aaron", None), Kind::Person);
        assert_eq!(c.classify("AJ Towns", None), Kind::Person);
    }

    #[test]
    fn label_shapes_initials_and_bracketed_initials() {
        for yes in ["MF", "NVK", "AvW", "JOB", "V", "ABCD"] {
            assert!(is_initials(yes), "{yes}");
        }
        for no in ["Aaron", "Al", "ABCDE", "mf", "AJ Towns", "0xB10C", "Mf"] {
            assert!(!is_initials(no), "{no}");
        }
        assert_eq!(
            split_initials("Stephan Livera (SL)"),
            Some(("Stephan Livera", "SL"))
        );
        assert_eq!(split_initials("Murch [M]"), Some(("Murch", "M")));
        assert_eq!(split_initials("Waxwing (Adam Gibson)"), None);
        assert_eq!(initials_of("Aaron van Wirdum"), ["AVW", "AW"]);
        assert_eq!(initials_of("James O’Beirne"), ["JO", "JOB"]);
        assert!(initials_of("Murch").is_empty());
    }

    #[test]
    fn site_roles_extend_the_built_in_ones() {
        let c = Classifier::new(&[], &[]).with_roles(&["chair(?:man|woman)?".to_string()]);
        assert!(c.is_role("Chairwoman"));
        assert!(c.is_role("Host 2"));
        assert!(c.is_role("Q&A Moderator"));
        assert!(!c.is_role("Hostetler"));
        assert!(!Classifier::new(&[], &[]).is_role("Chairman"));
    }

    #[test]
    fn aliases_resolve_to_the_profile_and_case_variants_merge() {
        let mut d = Directory::default();
        d.add("Satya Nadella", "satya nadella");
        d.add("S. Nadella", "satya nadella");
        assert_eq!(d.resolve("S. Nadella"), "satya nadella");
        assert_eq!(d.resolve("SATYA NADELLA"), "satya nadella");
        assert_eq!(d.resolve("Brian Ketelsen"), d.resolve("BRIAN KETELSEN"));
        assert_eq!(d.resolve("José Núñez"), d.resolve("JOSE NUNEZ"));
    }

    /// A profile for `李明` once claimed `黎明` too: both transliterate to `li-ming`, and the
    /// directory was keyed by slug.
    #[test]
    fn a_profile_claims_only_its_own_names_not_their_transliteration() {
        let mut d = Directory::default();
        d.add("李明", "李明");
        assert_eq!(d.resolve("李明"), "李明");
        assert_eq!(d.resolve("黎明"), "黎明");
        assert!(!d.knows("黎明"));
        assert!(!d.knows("Li Ming"));
    }

    #[test]
    fn the_most_used_spelling_comes_first() {
        let mut s = Spellings::default();
        s.count("sam boyer", "sam boyer", 141);
        s.count("sam boyer", "Sam Boyer", 210);
        assert_eq!(s.of("sam boyer")[0].0, "Sam Boyer");
    }
}
