//! What a page says about itself to search engines, link previews and feed readers: its
//! description, OpenGraph type and image, the feeds it offers, and schema.org JSON-LD.

use serde_json::{json, Map, Value};

use super::links;
use super::markdown::first_words;
use super::views::{FeedLink, Meta};
use super::Renderer;
use crate::model::transcript::to_plain_text;
use crate::model::{Episode, EpisodeId, ShowId, SpeakerId, Timestamp};

/// Words of a bio or transcript used as a description when front matter gives none.
const DESCRIPTION_WORDS: usize = 40;
const ATOM: &str = "application/atom+xml";
const RSS: &str = "application/rss+xml";

/// Any page: the site's description and feed.
pub fn page(r: &Renderer) -> Meta {
    Meta {
        description: r.config.description.clone(),
        og_type: "website",
        image: None,
        feeds: vec![site_feed(r)],
        json_ld: String::new(),
    }
}

pub fn home(r: &Renderer) -> Meta {
    let mut ld = Map::new();
    ld.insert("@type".into(), "WebSite".into());
    ld.insert("name".into(), r.config.title.clone().into());
    ld.insert("url".into(), r.url("").into());
    insert_text(&mut ld, "description", &r.config.description);
    Meta {
        json_ld: json_ld(ld),
        ..page(r)
    }
}

pub fn show(r: &Renderer, id: ShowId) -> Meta {
    let show = &r.archive.shows[id];
    let description = show
        .description
        .clone()
        .unwrap_or_else(|| first_words(&to_plain_text(&show.body), DESCRIPTION_WORDS));
    let image = show.image.as_deref().and_then(|i| r.absolute_url(i));
    let mut ld = series(r, id);
    insert_text(&mut ld, "description", &description);
    if let Some(image) = &image {
        ld.insert("image".into(), image.clone().into());
    }
    if let Some(author) = &show.author {
        ld.insert(
            "author".into(),
            json!({"@type": "Organization", "name": author}),
        );
    }
    if let Some(feed) = podcast_feed(r, id) {
        ld.insert("webFeed".into(), r.url(&feed.path).into());
    }
    Meta {
        description: or_site(r, description),
        og_type: "website",
        image,
        feeds: show_feeds(r, id),
        json_ld: json_ld(ld),
    }
}

pub fn episode(r: &Renderer, id: EpisodeId) -> Meta {
    let a = r.archive;
    let e = &a.episodes[id];
    let description = e.description.clone().unwrap_or_else(|| opening(e));
    let image = e
        .image
        .as_deref()
        .or(a.shows[e.show].image.as_deref())
        .and_then(|i| r.absolute_url(i));
    let mut ld = Map::new();
    ld.insert("@type".into(), "PodcastEpisode".into());
    ld.insert("name".into(), e.title.clone().into());
    ld.insert("url".into(), r.url(&links::episode(a, id)).into());
    insert_text(&mut ld, "description", &description);
    if let Some(date) = e.date {
        ld.insert("datePublished".into(), date.iso_day().into());
    }
    if let Some(number) = e.number {
        ld.insert("episodeNumber".into(), number.into());
    }
    if let Some(duration) = e.duration {
        ld.insert("timeRequired".into(), iso_duration(duration).into());
    }
    if let Some(image) = &image {
        ld.insert("image".into(), image.clone().into());
    }
    if let Some((audio, url)) = e.audio.as_ref().zip(r.audio_url(e)) {
        let mut media = Map::new();
        media.insert("@type".into(), "AudioObject".into());
        media.insert("contentUrl".into(), url.into());
        media.insert("encodingFormat".into(), audio.mime.clone().into());
        if let Some(duration) = e.duration {
            media.insert("duration".into(), iso_duration(duration).into());
        }
        ld.insert("associatedMedia".into(), media.into());
    }
    ld.insert("partOfSeries".into(), series(r, e.show).into());
    let people: Vec<Value> = super::pages::people(a, e)
        .into_iter()
        .filter_map(|p| {
            let path = p.path?;
            Some(json!({"@type": "Person", "name": p.name, "url": r.url(&path)}))
        })
        .collect();
    if !people.is_empty() {
        ld.insert("actor".into(), people.into());
    }
    Meta {
        description: or_site(r, description),
        og_type: "article",
        image,
        feeds: show_feeds(r, e.show),
        json_ld: json_ld(ld),
    }
}

pub fn speaker(r: &Renderer, id: SpeakerId) -> Meta {
    let s = &r.archive.speakers[id];
    let profile = s.profile.as_ref();
    let title = profile.and_then(|p| p.title.clone());
    let appearances = s.appearances.len();
    let description = profile
        .map(|p| first_words(&to_plain_text(&p.bio), DESCRIPTION_WORDS))
        .filter(|bio| !bio.is_empty())
        .unwrap_or_else(|| {
            let plural = if appearances == 1 { "" } else { "s" };
            let who = match &title {
                Some(title) => format!("{}, {title}", s.name),
                None => s.name.clone(),
            };
            format!(
                "{who}: {appearances} appearance{plural} in {}.",
                r.config.title
            )
        });
    let image = profile
        .and_then(|p| p.image.as_deref())
        .and_then(|i| r.absolute_url(i));
    let mut ld = Map::new();
    ld.insert("@type".into(), "Person".into());
    ld.insert("name".into(), s.name.clone().into());
    ld.insert("url".into(), r.url(&links::speaker(s)).into());
    insert_text(&mut ld, "description", &description);
    if let Some(title) = &title {
        ld.insert("jobTitle".into(), title.clone().into());
    }
    if let Some(image) = &image {
        ld.insert("image".into(), image.clone().into());
    }
    let same_as: Vec<Value> = profile
        .map(|p| {
            p.links
                .iter()
                .filter_map(|l| r.absolute_url(&l.url))
                .map(Value::from)
                .collect()
        })
        .unwrap_or_default();
    if !same_as.is_empty() {
        ld.insert("sameAs".into(), same_as.into());
    }
    Meta {
        description,
        og_type: "profile",
        image,
        feeds: vec![
            FeedLink {
                title: format!("{} (Atom)", s.name),
                path: links::speaker_feed(s),
                mime: ATOM,
            },
            site_feed(r),
        ],
        json_ld: json_ld(ld),
    }
}

fn series(r: &Renderer, id: ShowId) -> Map<String, Value> {
    let show = &r.archive.shows[id];
    let mut ld = Map::new();
    ld.insert("@type".into(), "PodcastSeries".into());
    ld.insert("name".into(), show.title.clone().into());
    ld.insert("url".into(), r.url(&links::show_page(show, 1)).into());
    ld
}

/// The show's podcast feed, when it has one, and the site's.
fn show_feeds(r: &Renderer, id: ShowId) -> Vec<FeedLink> {
    podcast_feed(r, id)
        .into_iter()
        .chain([site_feed(r)])
        .collect()
}

/// A show has a podcast feed when one of its episodes has audio that can be linked.
fn podcast_feed(r: &Renderer, id: ShowId) -> Option<FeedLink> {
    let show = &r.archive.shows[id];
    r.has_podcast_feed(id).then(|| FeedLink {
        title: format!("{} (podcast)", show.title),
        path: links::show_feed(show),
        mime: RSS,
    })
}

fn site_feed(r: &Renderer) -> FeedLink {
    FeedLink {
        title: r.config.title.clone(),
        path: links::SITE_FEED.to_string(),
        mime: ATOM,
    }
}

/// The first words spoken, for an episode without a description.
fn opening(e: &Episode) -> String {
    e.opening
        .as_deref()
        .map(|text| first_words(text, DESCRIPTION_WORDS))
        .unwrap_or_default()
}

fn or_site(r: &Renderer, description: String) -> String {
    if description.trim().is_empty() {
        r.config.description.clone()
    } else {
        description
    }
}

fn insert_text(ld: &mut Map<String, Value>, key: &str, text: &str) {
    if !text.trim().is_empty() {
        ld.insert(key.into(), text.into());
    }
}

/// `PT1H5M44S`: how schema.org writes a duration.
fn iso_duration(t: Timestamp) -> String {
    let s = t.whole_seconds();
    format!("PT{}H{}M{}S", s / 3600, s / 60 % 60, s % 60)
}

/// The JSON-LD object, safe inside `<script>`: `<`, `>` and `&` are escaped as JSON allows, so
/// no text from content can close the element.
fn json_ld(mut ld: Map<String, Value>) -> String {
    ld.insert("@context".into(), "https://schema.org".into());
    let text = Value::Object(ld).to_string();
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let mut ld = Map::new();
        ld.insert("name".into(), "</script><b>&".into());
        let text = json_ld(ld);
        assert!(!text.contains('<') && !text.contains('&'), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><b>&");
    }

    #[test]
    fn durations_in_iso_8601() {
        assert_eq!(iso_duration(Timestamp(3_944_000)), "PT1H5M44S");
    }
}
