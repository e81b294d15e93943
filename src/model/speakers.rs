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

use super::slug::{name_key, slugify};

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
        Classifier { markers, anonymous }
    }

    /// `role` is the role front matter gives the label, if any; it wins over the lists.
    pub fn classify(&self, label: &str, role: Option<&str>) -> Kind {
        match role.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
            Some("break" | "marker") => return Kind::Marker,
            Some("unidentified" | "audience" | "anonymous") => return Kind::Anonymous,
            _ => {}
        }
        let slug = slugify(label);
        if self.markers.contains(&slug) {
            Kind::Marker
        } else if ANONYMOUS.is_match(label.trim()) || self.anonymous.contains(&slug) {
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
