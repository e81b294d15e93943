//! Labels → people within one episode, from what that episode says of itself.
//!
//! Real transcripts name a person once (`Michael Folkson (MF)`, or `Stephan Livera` under
//! `speakers`) and then write `MF` or `Stephan`. Within one episode, and only there, such a
//! label is the one named person it can only mean. Nothing here ever looks at another episode:
//! a guess across episodes could merge two people, and joining them is the editor's call
//! (`speaker_map`, profile aliases). What cannot be told stays as written, and capital
//! initials nobody claims stay local to the episode rather than become a site-wide "person".

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::slug::name_key;
use super::speakers::{
    initials_of, is_initials, split_initials, split_other_name, Classifier, Directory, Kind,
};
use super::Voice;

/// Why a label means who it means: what `verbatim check --speakers` shows for every label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The episode's `speaker_map` says so.
    SpeakerMap,
    /// A profile's name or alias.
    Profile,
    /// `Full Name (XX)` is `Full Name`; and `XX` is that person too.
    FullNameInitials,
    /// `Handle (Full Name)` or `Full Name (Handle)` is the one of the two the episode also
    /// names on its own.
    OtherName,
    /// Capital initials of exactly one person the episode names.
    Initials,
    /// The first name of exactly one person the episode names.
    FirstName,
    /// The label is the name: nothing above applied.
    AsWritten,
    /// A role or position (`Host`, `Panelist 2`): someone, but only in this episode.
    Role,
    /// An anonymous label (`Speaker 1`, `Q`, a front-matter role `unidentified`).
    Anonymous,
    /// Capital initials that no one of the episode is known by: local to it.
    UnresolvedInitials,
    /// `Break`, `Music`: nobody.
    Marker,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::SpeakerMap => "speaker-map",
            Rule::Profile => "profile",
            Rule::FullNameInitials => "full-name-initials",
            Rule::OtherName => "other-name",
            Rule::Initials => "initials",
            Rule::FirstName => "first-name",
            Rule::AsWritten => "as-written",
            Rule::Role => "role",
            Rule::Anonymous => "anonymous",
            Rule::UnresolvedInitials => "unresolved-initials",
            Rule::Marker => "marker",
        }
    }

    /// Whether the label was tied to a person by what the episode says (rules 1–3).
    pub fn is_inferred(self) -> bool {
        matches!(
            self,
            Rule::FullNameInitials | Rule::OtherName | Rule::Initials | Rule::FirstName
        )
    }
}

/// Who one label means in its episode, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The person's name when the label means a person (`Stephan Livera` for `SL`), else the
    /// label as written.
    pub name: String,
    pub voice: Voice,
    pub rule: Rule,
    /// The people a first name or initials could have meant, when not exactly one.
    pub candidates: Vec<String>,
}

/// One label of an episode's transcript, as resolved, for `check` to report.
#[derive(Debug, Clone)]
pub struct LabelUse {
    /// As written in the transcript.
    pub label: String,
    /// The line of its first turn.
    pub line: usize,
    pub turns: usize,
    pub resolution: Resolution,
}

/// What resolving labels depends on besides the episode's own names.
pub struct Context<'a> {
    pub classifier: &'a Classifier,
    pub directory: &'a Directory,
    /// Lower-cased label → name.
    pub speaker_map: &'a HashMap<String, String>,
    /// Name key → the front-matter role of a declared name.
    pub roles: &'a HashMap<String, Option<&'a str>>,
    /// Rules 1–3 on (`[speakers] infer`).
    pub infer: bool,
}

/// A person the episode names in full: under `speakers`, as a label, or in `speaker_map`.
#[derive(Debug)]
struct Named {
    name: String,
    key: String,
}

/// Resolves the labels of one episode.
pub struct Resolver<'a> {
    context: Context<'a>,
    /// In the order the episode names them; one per speaker key.
    people: Vec<Named>,
    /// Upper-cased initials → the names written before them in `Full Name (XX)` forms.
    bracketed: HashMap<String, Vec<String>>,
}

/// What a name with another name in brackets is a person of its own only when the episode
/// names neither of its parts alone: gathered after every other name.
fn other_names_last<'n>(names: impl IntoIterator<Item = &'n str>) -> Vec<&'n str> {
    let (with, without): (Vec<&str>, Vec<&str>) = names
        .into_iter()
        .partition(|name| split_other_name(name).is_some());
    without.into_iter().chain(with).collect()
}

impl<'a> Resolver<'a> {
    /// `names`: the declared names, then every label of the transcript.
    pub fn new<'n>(context: Context<'a>, names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut resolver = Resolver {
            context,
            people: Vec::new(),
            bracketed: HashMap::new(),
        };
        // A label comes once per turn, and gathering a name again adds nothing: each is
        // gathered once, where it first comes.
        let mut seen = HashSet::new();
        let names = names.into_iter().filter(|name| seen.insert(*name));
        for name in other_names_last(names) {
            resolver.gather(name);
        }
        let mut mapped: Vec<String> = resolver.context.speaker_map.values().cloned().collect();
        mapped.sort();
        for name in &mapped {
            resolver.gather(name);
        }
        resolver
    }

    fn gather(&mut self, written: &str) {
        let written = written.trim();
        let name = match self.context.speaker_map.get(&written.to_lowercase()) {
            Some(target) => target.trim(),
            None => written,
        };
        let name = match split_initials(name) {
            Some((full, initials)) => {
                let names = self.bracketed.entry(initials.to_uppercase()).or_default();
                if !names.iter().any(|n| name_key(n) == name_key(full)) {
                    names.push(full.to_string());
                }
                full
            }
            None => name,
        };
        if self.other_name(name).is_some() {
            return;
        }
        let full = name.split_whitespace().count() >= 2 && !is_initials(name);
        if !full || self.context.classifier.classify(name, None) != Kind::Person {
            return;
        }
        let key = self.context.directory.resolve(name);
        if !self.people.iter().any(|p| p.key == key) {
            self.people.push(Named {
                name: name.to_string(),
                key,
            });
        }
    }

    /// Who `label` means in this episode. A `speaker_map` entry wins, then a front-matter role
    /// (`break`, `unidentified`), then markers, then profiles; then the label's kind; then,
    /// for a person's label, rules 1–3 and 5.
    pub fn resolve(&self, label: &str) -> Resolution {
        let label = label.trim();
        if let Some(target) = self.context.speaker_map.get(&label.to_lowercase()) {
            let target = target.trim();
            return self.fixed(target, self.voice_of(target), Rule::SpeakerMap);
        }
        let classifier = self.context.classifier;
        let role = self.context.roles.get(&name_key(label)).copied().flatten();
        match Classifier::by_role(role) {
            Some(Kind::Marker) => return self.fixed(label, Voice::Marker, Rule::Marker),
            Some(_) => return self.fixed(label, Voice::Anonymous, Rule::Anonymous),
            None => {}
        }
        match classifier.classify(label, None) {
            Kind::Marker => self.fixed(label, Voice::Marker, Rule::Marker),
            _ if self.context.directory.knows(label) => {
                self.fixed(label, self.voice_of(label), Rule::Profile)
            }
            Kind::Anonymous if classifier.is_role(label) => {
                self.fixed(label, Voice::Anonymous, Rule::Role)
            }
            Kind::Anonymous => self.fixed(label, Voice::Anonymous, Rule::Anonymous),
            Kind::Person => self.person(label),
        }
    }

    /// Who a name given in full means, by its kind alone: a `speaker_map` target or a
    /// profile's name.
    fn voice_of(&self, name: &str) -> Voice {
        let role = self.context.roles.get(&name_key(name)).copied().flatten();
        match self.context.classifier.classify(name, role) {
            Kind::Marker => Voice::Marker,
            Kind::Anonymous if !self.context.directory.knows(name) => Voice::Anonymous,
            _ => Voice::Person(self.context.directory.resolve(name).into()),
        }
    }

    fn fixed(&self, name: &str, voice: Voice, rule: Rule) -> Resolution {
        Resolution {
            name: name.to_string(),
            voice,
            rule,
            candidates: Vec::new(),
        }
    }

    /// A person's label: rules 1–3 when inference is on, and rule 5 for initials always.
    fn person(&self, label: &str) -> Resolution {
        if is_initials(label) {
            return self.initials(label);
        }
        if !self.context.infer {
            return self.as_written(label, Vec::new());
        }
        if let Some((full, _)) = split_initials(label) {
            return Resolution {
                rule: Rule::FullNameInitials,
                ..self.full_name(full)
            };
        }
        if let Some(person) = self.other_name(label) {
            return self.named(person, Rule::OtherName);
        }
        if label.split_whitespace().count() == 1 {
            return self.first_name(label);
        }
        self.as_written(label, Vec::new())
    }

    /// The person a `Handle (Full Name)` label means: the one of its two parts that the
    /// episode names on its own, when exactly one is.
    fn other_name(&self, label: &str) -> Option<&Named> {
        let (outer, inner) = split_other_name(label)?;
        let named = |part: &str| {
            let key = self.context.directory.resolve(part);
            self.people.iter().find(|p| p.key == key)
        };
        match (named(outer), named(inner)) {
            (Some(person), None) | (None, Some(person)) => Some(person),
            (Some(a), Some(b)) if a.key == b.key => Some(a),
            _ => None,
        }
    }

    /// The name of a `Full Name (XX)` form: itself, or, when it is one word, the one person
    /// the episode names with that first name (`Stephan (S)`).
    fn full_name(&self, full: &str) -> Resolution {
        if full.split_whitespace().count() == 1 && !self.context.directory.knows(full) {
            return self.first_name(full);
        }
        self.as_written(full, Vec::new())
    }

    /// Rules 1, 2 and 5: `XX` after `Full Name (XX)`, else the one named person with these
    /// initials, else local to the episode.
    fn initials(&self, label: &str) -> Resolution {
        let wanted = label.to_uppercase();
        if self.context.infer {
            if let Some([full]) = self.bracketed.get(&wanted).map(Vec::as_slice) {
                return Resolution {
                    rule: Rule::FullNameInitials,
                    ..self.full_name(full)
                };
            }
            let matching: Vec<&Named> = self
                .people
                .iter()
                .filter(|p| label.chars().count() >= 2 && initials_of(&p.name).contains(&wanted))
                .collect();
            if let [one] = matching.as_slice() {
                return self.named(one, Rule::Initials);
            }
            if !matching.is_empty() {
                return self.local(label, names(&matching));
            }
        }
        let considered: Vec<&Named> = self.people.iter().collect();
        self.local(label, names(&considered))
    }

    /// Rule 3: the one named person whose first name this is.
    fn first_name(&self, label: &str) -> Resolution {
        let key = name_key(label);
        let matching: Vec<&Named> = self
            .people
            .iter()
            .filter(|p| {
                p.name
                    .split_whitespace()
                    .next()
                    .is_some_and(|first| name_key(first) == key)
            })
            .collect();
        match matching.as_slice() {
            [one] => self.named(one, Rule::FirstName),
            _ => self.as_written(label, names(&matching)),
        }
    }

    fn named(&self, person: &Named, rule: Rule) -> Resolution {
        Resolution {
            name: person.name.clone(),
            voice: Voice::Person(person.key.as_str().into()),
            rule,
            candidates: Vec::new(),
        }
    }

    fn as_written(&self, label: &str, candidates: Vec<String>) -> Resolution {
        Resolution {
            name: label.to_string(),
            voice: Voice::Person(self.context.directory.resolve(label).into()),
            rule: Rule::AsWritten,
            candidates,
        }
    }

    fn local(&self, label: &str, candidates: Vec<String>) -> Resolution {
        Resolution {
            name: label.to_string(),
            voice: Voice::Anonymous,
            rule: Rule::UnresolvedInitials,
            candidates,
        }
    }
}

fn names(people: &[&Named]) -> Vec<String> {
    people.iter().map(|p| p.name.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An episode: its declared names, its labels, its `speaker_map`; who `label` means.
    struct Episode {
        declared: Vec<&'static str>,
        labels: Vec<&'static str>,
        map: HashMap<String, String>,
        directory: Directory,
        infer: bool,
    }

    fn episode(declared: &[&'static str], labels: &[&'static str]) -> Episode {
        Episode {
            declared: declared.to_vec(),
            labels: labels.to_vec(),
            map: HashMap::new(),
            directory: Directory::default(),
            infer: true,
        }
    }

    impl Episode {
        fn mapping(mut self, label: &str, name: &str) -> Self {
            self.map.insert(label.to_lowercase(), name.to_string());
            self
        }

        fn resolve(&self, label: &str) -> Resolution {
            let classifier = Classifier::new(&[], &[]);
            let roles: HashMap<String, Option<&str>> =
                self.declared.iter().map(|n| (name_key(n), None)).collect();
            let context = Context {
                classifier: &classifier,
                directory: &self.directory,
                speaker_map: &self.map,
                roles: &roles,
                infer: self.infer,
            };
            let names = self.declared.iter().chain(&self.labels).copied();
            Resolver::new(context, names).resolve(label)
        }

        /// `(name, rule)` when the label means a person, `None` when it stays local.
        fn who(&self, label: &str) -> Option<(String, Rule)> {
            let r = self.resolve(label);
            match r.voice {
                Voice::Person(_) => Some((r.name, r.rule)),
                _ => None,
            }
        }
    }

    fn is(name: &str, rule: Rule) -> Option<(String, Rule)> {
        Some((name.to_string(), rule))
    }

    /// `**Michael Folkson (MF):**` once, then `**MF:**`: one person, not three pages.
    #[test]
    fn rule_1_full_name_with_initials_is_the_person_and_so_are_the_initials() {
        let e = episode(&[], &["Michael Folkson (MF)", "MF", "Michael Folkson [MF]"]);
        let folkson = is("Michael Folkson", Rule::FullNameInitials);
        assert_eq!(e.who("Michael Folkson (MF)"), folkson);
        assert_eq!(e.who("Michael Folkson [MF]"), folkson);
        assert_eq!(e.who("MF"), folkson);
        let r = e.resolve("MF");
        assert_eq!(r.voice, e.resolve("Michael Folkson (MF)").voice);
    }

    /// bitcointranscripts lists `Waxwing (Adam Gibson)` and `Adam Gibson` in one episode: they
    /// were two speaker pages for one man.
    #[test]
    fn a_handle_with_the_full_name_in_brackets_is_the_person_named_alone() {
        let e = episode(
            &["Stephan Livera", "Waxwing (Adam Gibson)", "Adam Gibson"],
            &["Waxwing (Adam Gibson)", "Stephan Livera"],
        );
        assert_eq!(
            e.who("Waxwing (Adam Gibson)"),
            is("Adam Gibson", Rule::OtherName)
        );
        let e = episode(&["Jane Roe"], &["Jane Roe (Acme)", "Jane Roe"]);
        assert_eq!(e.who("Jane Roe (Acme)"), is("Jane Roe", Rule::OtherName));
    }

    /// With neither part named alone, the label is as written: a guess across the two could
    /// make one person of two.
    #[test]
    fn a_name_in_brackets_alone_stays_as_written() {
        let e = episode(&["Waxwing (Adam Gibson)"], &["Waxwing (Adam Gibson)"]);
        assert_eq!(
            e.who("Waxwing (Adam Gibson)"),
            is("Waxwing (Adam Gibson)", Rule::AsWritten)
        );
    }

    #[test]
    fn rule_2_initials_of_exactly_one_named_person() {
        let e = episode(
            &["Aaron van Wirdum", "James O’Beirne"],
            &["AvW", "JOB", "AVW"],
        );
        assert_eq!(e.who("AvW"), is("Aaron van Wirdum", Rule::Initials));
        assert_eq!(e.who("AVW"), is("Aaron van Wirdum", Rule::Initials));
        assert_eq!(e.who("JOB"), is("James O’Beirne", Rule::Initials));
    }

    /// `/speakers/mf/` once gathered Michael Flaxman and Michael Folkson into one "person".
    #[test]
    fn rule_2_initials_two_people_share_resolve_to_no_one() {
        let e = episode(&["Michael Flaxman", "Michael Folkson"], &["MF"]);
        assert_eq!(e.who("MF"), None);
        let r = e.resolve("MF");
        assert_eq!(r.rule, Rule::UnresolvedInitials);
        assert_eq!(r.candidates, ["Michael Flaxman", "Michael Folkson"]);
    }

    /// `**Stephan:**` with `Stephan Livera` declared was a page of its own.
    #[test]
    fn rule_3_first_name_of_exactly_one_named_person() {
        let e = episode(
            &["Stephan Livera", "Jon Atack"],
            &["Stephan", "Jon", "Host"],
        );
        assert_eq!(e.who("Stephan"), is("Stephan Livera", Rule::FirstName));
        assert_eq!(e.who("Jon"), is("Jon Atack", Rule::FirstName));
    }

    /// `Dave` beside `Dave Lacey` and `Dave Blakey` is neither: never merge on a guess.
    #[test]
    fn rule_3_a_first_name_two_people_share_stays_as_written() {
        let e = episode(&["Michael Flaxman", "Michael Folkson"], &["Michael"]);
        assert_eq!(e.who("Michael"), is("Michael", Rule::AsWritten));
        let e = episode(&["Dave Lacey", "Dave Blakey"], &["Dave"]);
        let r = e.resolve("Dave");
        assert_eq!((r.name.as_str(), r.rule), ("Dave", Rule::AsWritten));
        assert_eq!(r.candidates, ["Dave Lacey", "Dave Blakey"]);
        assert_ne!(
            e.resolve("Dave Lacey").voice,
            e.resolve("Dave Blakey").voice
        );
    }

    #[test]
    fn rule_4_roles_and_positions_are_not_people_even_when_declared() {
        let e = episode(&["Host", "Moderator", "Panelist 2"], &[]);
        for label in [
            "Host",
            "host",
            "Moderator",
            "Q&A moderator",
            "Interviewer",
            "Panelist 2",
            "Participant 3",
            "1st person",
            "Person 2",
            "New Speaker",
            "Unknown",
            "Unidentified",
            "Voice",
            "Man",
            "Woman",
            "Male speaker",
        ] {
            assert_eq!(e.who(label), None, "{label}");
        }
        assert_eq!(e.resolve("Host").rule, Rule::Role);
    }

    #[test]
    fn rule_5_initials_nothing_resolves_stay_local() {
        let e = episode(&["Eric Sirion"], &["NVK", "V"]);
        assert_eq!(e.who("NVK"), None);
        assert_eq!(e.resolve("NVK").candidates, ["Eric Sirion"]);
        assert_eq!(e.who("V"), None);
        let mut e = episode(&[], &["NVK"]);
        e.directory.add("NVK", "rodolfo novak");
        assert_eq!(e.who("NVK"), is("NVK", Rule::Profile));
    }

    /// Each rule gives way to the episode's own `speaker_map`.
    #[test]
    fn speaker_map_overrides_every_rule() {
        let e = episode(
            &["Stephan Livera", "Michael Flaxman", "Moderator"],
            &[
                "Stephan Livera (SL)",
                "SL",
                "MF",
                "Stephan",
                "Moderator",
                "NVK",
            ],
        )
        .mapping("Stephan Livera (SL)", "Satoshi")
        .mapping("SL", "Sjors Provoost")
        .mapping("MF", "Michael Folkson")
        .mapping("Stephan", "Stephan Smith")
        .mapping("Moderator", "Ann Lee")
        .mapping("NVK", "Rodolfo Novak");
        let mapped = |name: &str| is(name, Rule::SpeakerMap);
        assert_eq!(e.who("Stephan Livera (SL)"), mapped("Satoshi"));
        assert_eq!(e.who("SL"), mapped("Sjors Provoost"));
        assert_eq!(e.who("MF"), mapped("Michael Folkson"));
        assert_eq!(e.who("Stephan"), mapped("Stephan Smith"));
        assert_eq!(e.who("Moderator"), mapped("Ann Lee"));
        assert_eq!(e.who("NVK"), mapped("Rodolfo Novak"));
    }

    /// A profile alias names a person on purpose, whatever the rules would say.
    #[test]
    fn a_profile_alias_overrides_the_rules() {
        let mut e = episode(&["Stephan Livera", "Sjors Provoost"], &["Stephan", "SP"]);
        e.directory.add("Stephan", "stephan smith");
        e.directory.add("SP", "sp");
        assert_eq!(e.who("Stephan"), is("Stephan", Rule::Profile));
        assert_eq!(
            e.resolve("Stephan").voice,
            Voice::Person("stephan smith".into())
        );
        assert_eq!(e.who("SP"), is("SP", Rule::Profile));
    }

    #[test]
    fn infer_off_takes_labels_as_written_but_keeps_initials_local() {
        let mut e = episode(
            &["Stephan Livera"],
            &["Stephan Livera (SL)", "SL", "Stephan"],
        );
        e.infer = false;
        assert_eq!(e.who("Stephan"), is("Stephan", Rule::AsWritten));
        assert_eq!(
            e.who("Stephan Livera (SL)"),
            is("Stephan Livera (SL)", Rule::AsWritten)
        );
        assert_eq!(e.who("SL"), None);
    }

    /// Never across episodes: what one episode says does not reach another.
    #[test]
    fn an_episode_that_names_no_one_resolves_nothing() {
        let e = episode(&[], &["Stephan", "SL"]);
        assert_eq!(e.who("Stephan"), is("Stephan", Rule::AsWritten));
        assert_eq!(e.who("SL"), None);
    }
}
