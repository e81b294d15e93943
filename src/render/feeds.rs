//! Feeds: a podcast RSS feed per show, for podcast apps, and Atom feeds of the newest
//! episodes, for the whole site and for each speaker.
//!
//! The `rss` and `atom_syndication` crates write the XML: they escape text and attributes and
//! keep `]]>` out of CDATA. What is left here is what the crates cannot know: feeds are read
//! away from the site, so every URL is absolute; podcast apps key episodes by guid, so guids
//! survive a rebuild and a move to another address; and XML 1.0 cannot carry most control
//! characters, which front matter can.

use std::collections::BTreeMap;

use atom_syndication as atom;
use chrono::{DateTime, FixedOffset};
use rss::extension::itunes::{ITunesCategory, ITunesChannelExtension, ITunesItemExtension};
use rss::extension::{Extension, ExtensionMap};
use uuid::Uuid;

use super::markdown::first_words;
use super::{graph, links, transcripts, Renderer};
use crate::error::{Error, Result};
use crate::model::transcript::to_plain_text;
use crate::model::{Archive, Episode, EpisodeId, Excerpt, Show, ShowId, SpeakerId};

/// The namespace Podcasting 2.0 prescribes for deriving `podcast:guid` from a feed's URL.
const PODCAST_GUID_NAMESPACE: Uuid = Uuid::from_u128(0xead4c236_bf58_58c6_a2c6_a6b28d128cb6);
const PODCAST_NAMESPACE: &str = "https://podcastindex.org/namespace/1.0";
const ITUNES_NAMESPACE: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
/// Words of a turn quoted in a speaker's feed, and of the transcript when an episode has no
/// description.
const SUMMARY_WORDS: usize = 60;
/// Atom needs an `updated` time even where nothing is dated; this one never changes, so two
/// builds stay identical.
const NO_DATE: &str = "1970-01-01T00:00:00Z";

/// The podcast feed of a show: every episode that has audio, newest first. `None` when no
/// episode of the show has audio: a podcast feed without enclosures is broken in every app.
/// Audio whose URL the filter refuses counts as none, so no item has an empty enclosure.
pub fn podcast(r: &Renderer, show_id: ShowId) -> Result<Option<String>> {
    let a = r.archive;
    let show = &a.shows[show_id];
    let items: Vec<rss::Item> = show
        .episodes
        .iter()
        .filter_map(|&id| Some(podcast_item(r, id, r.audio_url(&a.episodes[id])?)))
        .collect();
    if items.is_empty() {
        return Ok(None);
    }
    let self_url = r.url(&links::show_feed(show));
    let author = show
        .author
        .clone()
        .unwrap_or_else(|| r.config.author.clone());
    let mut extensions = ExtensionMap::new();
    add(
        &mut extensions,
        element("podcast:guid", Some(show_guid(show, &self_url)), []),
    );
    let channel = rss::Channel {
        title: clean(&show.title),
        link: r.url(&links::show_page(show, 1)),
        description: clean(&show_description(r, show)),
        language: Some(clean(
            show.language.as_deref().unwrap_or(&r.config.language),
        )),
        copyright: show.copyright.as_deref().map(clean),
        generator: Some(r.site.generator.clone()),
        pub_date: newest(a, &show.episodes).map(|d| d.to_rfc2822()),
        items,
        itunes_ext: Some(ITunesChannelExtension {
            author: (!author.is_empty()).then(|| clean(&author)),
            categories: categories(show.category.as_deref()),
            image: show.image.as_deref().and_then(|i| r.absolute_url(i)),
            explicit: Some(show.explicit.to_string()),
            r#type: Some(podcast_type(show.kind.as_deref()).to_string()),
            summary: show.description.as_deref().map(clean),
            ..Default::default()
        }),
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![rss::extension::atom::Link {
                href: self_url,
                rel: "self".to_string(),
                mime_type: Some("application/rss+xml".to_string()),
                ..Default::default()
            }],
        }),
        namespaces: BTreeMap::from([
            ("itunes".to_string(), ITUNES_NAMESPACE.to_string()),
            ("podcast".to_string(), PODCAST_NAMESPACE.to_string()),
        ]),
        extensions,
        ..Default::default()
    };
    // Not indented: the crate would put line breaks inside empty `podcast:` elements.
    let xml = channel
        .write_to(Vec::new())
        .map_err(|e| feed_error(&links::show_feed(show), e))?;
    Ok(Some(into_text(xml)))
}

fn podcast_item(r: &Renderer, id: EpisodeId, audio_url: String) -> rss::Item {
    let a = r.archive;
    let episode = &a.episodes[id];
    let page = links::episode(a, id);
    let mut extensions = ExtensionMap::new();
    for person in people(a, episode) {
        let mut attrs = vec![
            ("role", person.role.to_string()),
            ("href", r.url(&links::speaker(&a.speakers[person.id]))),
        ];
        if let Some(img) = speaker_image(r, person.id) {
            attrs.push(("img", img));
        }
        add(
            &mut extensions,
            element("podcast:person", Some(clean(&person.name)), attrs),
        );
    }
    for name in graph::transcript_files(a, r.config, id) {
        let url = r.url(&format!("{page}{name}"));
        let mime = transcripts::mime(name);
        if name == "chapters.json" {
            add(
                &mut extensions,
                element(
                    "podcast:chapters",
                    None,
                    [("url", url), ("type", mime.into())],
                ),
            );
            continue;
        }
        let mut attrs = vec![("url", url), ("type", mime.to_string())];
        attrs.push(("language", episode_language(r, episode)));
        if matches!(name, "transcript.vtt" | "transcript.srt") {
            attrs.push(("rel", "captions".to_string()));
        }
        add(&mut extensions, element("podcast:transcript", None, attrs));
    }
    rss::Item {
        title: Some(clean(&episode.title)),
        link: Some(r.url(&page)),
        description: Some(clean(&episode_summary(episode))),
        guid: Some(rss::Guid {
            value: episode_guid(a, episode),
            permalink: false,
        }),
        pub_date: episode.date.map(|d| d.0.to_rfc2822()),
        enclosure: episode.audio.as_ref().map(|audio| rss::Enclosure {
            url: audio_url,
            length: audio.length.unwrap_or(0).to_string(),
            mime_type: audio.mime.clone(),
        }),
        itunes_ext: Some(ITunesItemExtension {
            duration: episode.duration.map(|d| d.whole_seconds().to_string()),
            episode: episode.number.map(|n| n.to_string()),
            season: episode.season.map(|n| n.to_string()),
            episode_type: Some(episode.episode_type.as_str().to_string()),
            image: episode.image.as_deref().and_then(|i| r.absolute_url(i)),
            explicit: None,
            ..Default::default()
        }),
        extensions,
        ..Default::default()
    }
}

/// The newest episodes across every show.
pub fn site_atom(r: &Renderer) -> Result<String> {
    let a = r.archive;
    let entries = a
        .episodes
        .iter()
        .enumerate()
        .take(r.config.feed_limit)
        .map(|(id, _)| episode_entry(r, EpisodeId::new(id), None))
        .collect();
    let description = (!r.config.description.is_empty()).then(|| r.config.description.clone());
    write_atom(
        r,
        links::SITE_FEED,
        "",
        &r.config.title,
        description,
        entries,
    )
}

/// The newest appearances of one speaker, across every show, each quoting what they said.
pub fn speaker_atom(r: &Renderer, id: SpeakerId) -> Result<String> {
    let a = r.archive;
    let speaker = &a.speakers[id];
    let mut appearances: Vec<_> = speaker.appearances.iter().collect();
    // Appearances are kept oldest first; a feed reads newest first.
    appearances.sort_by(|x, y| y.date.cmp(&x.date).then(y.episode.cmp(&x.episode)));
    let entries = appearances
        .into_iter()
        .take(r.config.feed_limit)
        .map(|ap| episode_entry(r, ap.episode, ap.excerpt.as_ref()))
        .collect();
    let title = format!("{} · {}", speaker.name, r.config.title);
    let description = Some(format!("Every episode with {}", speaker.name));
    let path = links::speaker(speaker);
    write_atom(
        r,
        &links::speaker_feed(speaker),
        &path,
        &title,
        description,
        entries,
    )
}

/// An Atom entry for an episode; with `quote`, the excerpt is its summary and its link points
/// at the excerpt's turn.
fn episode_entry(r: &Renderer, id: EpisodeId, quote: Option<&Excerpt>) -> atom::Entry {
    let a = r.archive;
    let episode = &a.episodes[id];
    let show = &a.shows[episode.show];
    let mut page = links::episode(a, id);
    let mut summary = episode_summary(episode);
    if let Some(q) = quote {
        page = format!("{page}#{}", q.anchor);
        let lead = if q.from > 0 { "…" } else { "" };
        summary = format!("“{lead}{}”", first_words(&q.quote, SUMMARY_WORDS));
    }
    let mut links = vec![atom::Link {
        href: r.url(&page),
        rel: "alternate".to_string(),
        mime_type: Some("text/html".to_string()),
        ..Default::default()
    }];
    if let Some((audio, href)) = episode.audio.as_ref().zip(r.audio_url(episode)) {
        links.push(atom::Link {
            href,
            rel: "enclosure".to_string(),
            mime_type: Some(audio.mime.clone()),
            length: audio.length.map(|l| l.to_string()),
            ..Default::default()
        });
    }
    let date = episode.date.map(|d| d.0);
    atom::Entry {
        title: text(&episode.title),
        id: entry_id(&episode_guid(a, episode)),
        updated: date.unwrap_or_else(no_date),
        published: date,
        authors: show
            .author
            .as_deref()
            .map(|name| vec![person(name, None)])
            .unwrap_or_default(),
        contributors: people(a, episode)
            .into_iter()
            .map(|p| person(&p.name, Some(r.url(&links::speaker(&a.speakers[p.id])))))
            .collect(),
        categories: vec![atom::Category {
            term: clean(&show.title),
            ..Default::default()
        }],
        links,
        summary: Some(text(&summary)),
        ..Default::default()
    }
}

fn write_atom(
    r: &Renderer,
    path: &str,
    page: &str,
    title: &str,
    subtitle: Option<String>,
    entries: Vec<atom::Entry>,
) -> Result<String> {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(no_date);
    let author = if r.config.author.is_empty() {
        &r.config.title
    } else {
        &r.config.author
    };
    let feed = atom::Feed {
        title: text(title),
        id: r.url(path),
        updated,
        authors: vec![person(author, None)],
        links: vec![
            atom::Link {
                href: r.url(path),
                rel: "self".to_string(),
                mime_type: Some("application/atom+xml".to_string()),
                ..Default::default()
            },
            atom::Link {
                href: r.url(page),
                rel: "alternate".to_string(),
                mime_type: Some("text/html".to_string()),
                ..Default::default()
            },
        ],
        subtitle: subtitle.map(|s| text(&s)),
        generator: Some(atom::Generator {
            value: r.site.generator.clone(),
            ..Default::default()
        }),
        lang: Some(clean(&r.config.language)),
        entries,
        ..Default::default()
    };
    let mut xml = feed
        .write_with_config(
            Vec::new(),
            atom::WriteConfig {
                write_document_declaration: true,
                indent_size: Some(2),
            },
        )
        .map_err(|e| feed_error(path, e))?;
    xml.push(b'\n');
    Ok(into_text(xml))
}

/// A person heard in an episode, as feeds credit them.
struct Credited {
    id: SpeakerId,
    name: String,
    role: &'static str,
}

/// Everyone with a speaker page who is credited or heard in the episode, credits first; at
/// most `PEOPLE_LISTED`, those who spoke most, as on the episode's page.
fn people(a: &Archive, episode: &Episode) -> Vec<Credited> {
    episode
        .leading_parts(super::pages::PEOPLE_LISTED)
        .into_iter()
        .filter_map(|part| {
            let id = *a.speaker_ids.get(&part.speaker)?;
            Some(Credited {
                id,
                name: a.speakers[id].name.clone(),
                role: person_role(part.role.as_deref()),
            })
        })
        .collect()
}

/// A front matter role as a `podcast:person` role from the namespace's taxonomy. Someone
/// without a role is a guest: the namespace would otherwise read them as the host.
pub(super) fn person_role(role: Option<&str>) -> &'static str {
    let role = role.map(|r| r.trim().to_ascii_lowercase());
    match role.as_deref() {
        Some("host") => "host",
        Some("co-host" | "cohost" | "co host") => "co-host",
        Some("guest host") => "guest host",
        Some("producer") => "producer",
        Some("editor") => "editor",
        Some("interviewer") => "host",
        _ => "guest",
    }
}

fn speaker_image(r: &Renderer, id: SpeakerId) -> Option<String> {
    let profile = r.archive.speakers[id].profile.as_ref()?;
    r.absolute_url(profile.image.as_deref()?)
}

/// The item guid: the one front matter gives, else a UUID derived from the show and episode
/// slugs, so that neither a rebuild nor a new `base_url` changes it.
fn episode_guid(a: &Archive, episode: &Episode) -> String {
    if let Some(guid) = &episode.guid {
        return clean(guid);
    }
    let name = format!("{}/{}", a.shows[episode.show].slug, episode.slug);
    Uuid::new_v5(&PODCAST_GUID_NAMESPACE, name.as_bytes()).to_string()
}

/// An Atom id from a guid: Atom ids are IRIs, so a bare guid becomes a `urn:uuid:`.
fn entry_id(guid: &str) -> String {
    match Uuid::parse_str(guid) {
        Ok(uuid) => uuid.urn().to_string(),
        Err(_) if guid.contains(':') => guid.to_string(),
        Err(_) => Uuid::new_v5(&PODCAST_GUID_NAMESPACE, guid.as_bytes())
            .urn()
            .to_string(),
    }
}

/// `podcast:guid`: from `_index.md`, else as the namespace specifies, a UUIDv5 of the feed's
/// URL without its scheme and trailing slashes.
fn show_guid(show: &Show, feed_url: &str) -> String {
    if let Some(guid) = &show.guid {
        return clean(guid);
    }
    let bare = feed_url
        .split_once("://")
        .map_or(feed_url, |(_, rest)| rest)
        .trim_end_matches('/');
    Uuid::new_v5(&PODCAST_GUID_NAMESPACE, bare.as_bytes()).to_string()
}

/// `Technology` or `Society & Culture > Documentary`: a category and its subcategory.
fn categories(category: Option<&str>) -> Vec<ITunesCategory> {
    let Some(category) = category else {
        return Vec::new();
    };
    let mut names = category.split('>').map(str::trim).filter(|s| !s.is_empty());
    let Some(top) = names.next() else {
        return Vec::new();
    };
    vec![ITunesCategory {
        text: clean(top),
        subcategory: names.next().map(|sub| {
            Box::new(ITunesCategory {
                text: clean(sub),
                subcategory: None,
            })
        }),
    }]
}

fn podcast_type(kind: Option<&str>) -> &'static str {
    match kind.map(str::trim) {
        Some(k) if k.eq_ignore_ascii_case("serial") => "serial",
        _ => "episodic",
    }
}

/// The show's description, else the opening of its `_index.md`, else the site's: RSS requires
/// one.
fn show_description(r: &Renderer, show: &Show) -> String {
    let own = match &show.description {
        Some(description) => description.clone(),
        None => first_words(&to_plain_text(&show.body), SUMMARY_WORDS * 2),
    };
    [own, r.config.description.clone(), show.title.clone()]
        .into_iter()
        .find(|text| !text.trim().is_empty())
        .unwrap_or_default()
}

/// The description, else the opening words of the transcript.
fn episode_summary(episode: &Episode) -> String {
    if let Some(description) = &episode.description {
        return description.clone();
    }
    let opening = episode
        .spoken_opening
        .as_deref()
        .map(|text| first_words(text, SUMMARY_WORDS));
    opening.unwrap_or_else(|| episode.title.clone())
}

fn episode_language(r: &Renderer, episode: &Episode) -> String {
    let show = &r.archive.shows[episode.show];
    clean(show.language.as_deref().unwrap_or(&r.config.language))
}

fn newest(a: &Archive, episodes: &[EpisodeId]) -> Option<DateTime<FixedOffset>> {
    episodes
        .iter()
        .filter_map(|&id| a.episodes[id].date)
        .map(|d| d.0)
        .max()
}

fn no_date() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(NO_DATE).unwrap_or_default()
}

fn person(name: &str, uri: Option<String>) -> atom::Person {
    atom::Person {
        name: clean(name),
        uri,
        ..Default::default()
    }
}

fn text(value: &str) -> atom::Text {
    atom::Text::plain(clean(value))
}

/// An element of a namespace the crates do not model (`podcast:`).
fn element<'a>(
    name: &str,
    value: Option<String>,
    attrs: impl IntoIterator<Item = (&'a str, String)>,
) -> Extension {
    Extension {
        name: name.to_string(),
        value,
        attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        children: BTreeMap::new(),
    }
}

/// Files an extension element under its prefix and local name, as the `rss` crate keeps them.
fn add(map: &mut ExtensionMap, extension: Extension) {
    let (prefix, local) = extension
        .name
        .split_once(':')
        .map(|(p, l)| (p.to_string(), l.to_string()))
        .unwrap_or_default();
    map.entry(prefix)
        .or_default()
        .entry(local)
        .or_default()
        .push(extension);
}

/// Text without the characters XML 1.0 cannot hold: C0 controls other than tab and newlines,
/// and the two non-characters U+FFFE and U+FFFF.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')
                && !matches!(c, '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

fn into_text(mut xml: Vec<u8>) -> String {
    if xml.last() != Some(&b'\n') {
        xml.push(b'\n');
    }
    // The crates write the strings they are given, which are UTF-8.
    String::from_utf8(xml).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn feed_error(path: &str, error: impl std::fmt::Display) -> Error {
    Error::Theme(format!("{path}: could not write the feed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_loses_what_xml_cannot_hold() {
        assert_eq!(clean("a\u{1}b\u{b}c\td\ne\u{fffe}"), "abc\td\ne");
        assert_eq!(clean("Q&A <tags> ]]> 🎙"), "Q&A <tags> ]]> 🎙");
    }

    #[test]
    fn roles_come_from_the_podcast_taxonomy() {
        assert_eq!(person_role(Some("Host")), "host");
        assert_eq!(person_role(Some("co-host")), "co-host");
        assert_eq!(person_role(Some("expert witness")), "guest");
        assert_eq!(person_role(None), "guest");
    }

    #[test]
    fn categories_nest_once() {
        let c = categories(Some("Society & Culture > Documentary"));
        assert_eq!(c[0].text, "Society & Culture");
        assert_eq!(c[0].subcategory.as_ref().unwrap().text, "Documentary");
        assert!(categories(Some(" > ")).is_empty());
    }

    #[test]
    fn the_podcast_guid_follows_the_namespace() {
        // The example the Podcasting 2.0 namespace gives for `podcast:guid`.
        let show = Show::bare("s".into(), "S".into());
        assert_eq!(
            show_guid(&show, "https://mp3s.nashownotes.com/pc20rss.xml"),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
    }

    #[test]
    fn atom_ids_are_iris() {
        let uuid = "917393e3-1b1e-5cef-ace4-edaa54e1f810";
        assert_eq!(entry_id(uuid), format!("urn:uuid:{uuid}"));
        assert_eq!(entry_id("tag:example.org,2024:1"), "tag:example.org,2024:1");
        assert!(entry_id("episode-12").starts_with("urn:uuid:"));
    }
}
