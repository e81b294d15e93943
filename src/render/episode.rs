//! The episode page's view: metadata, chapters and the transcript as turns.

use super::links;
use super::pages::{more_people, people};
use super::transcripts::TranscriptFile;
use super::video::Video;
use super::views::*;
use super::Renderer;
use crate::model::{Archive, Block, Blocks, Chapter, Episode, EpisodeId, Timestamp, Turn, Voice};

pub fn page<'a>(
    r: &'a Renderer<'_>,
    mut common: Common<'a>,
    id: EpisodeId,
    blocks: &Blocks,
    files: &[TranscriptFile],
) -> EpisodePage<'a> {
    let a = r.archive;
    let e = &a.episodes[id];
    let show = &a.shows[e.show];
    common.title = format!("{} · {}", e.title, show.title);
    common.meta = super::meta::episode(r, id);
    let video = video(e);
    let mut voices = VoiceNumbers::default();
    let views = blocks
        .iter()
        .enumerate()
        .map(|(at, block)| match block {
            Block::Turn(turn) => {
                BlockView::Turn(turn_view(r, turn, voices.number(turn), video.as_ref()))
            }
            Block::Chapter(c) => {
                BlockView::Chapter(chapter_view(c, chapter_start(blocks, at), video.as_ref()))
            }
            Block::Prose { text, .. } => BlockView::Prose {
                html: r.markdown(text),
            },
        })
        .collect();
    let (previous, next) = neighbours(a, id);
    EpisodePage {
        common,
        episode: episode_view(r, id, e, blocks, files, video.as_ref()),
        show: ShowLink {
            title: show.title.clone(),
            path: links::show_page(show, 1),
        },
        speakers: speakers(a, e, blocks),
        more_speakers: more_people(e),
        chapters: chapters(blocks, video.as_ref()),
        blocks: views,
        previous,
        next,
        more_with: super::more_with::people(a, &r.mainstays, id),
    }
}

fn episode_view(
    r: &Renderer<'_>,
    id: EpisodeId,
    e: &Episode,
    blocks: &Blocks,
    files: &[TranscriptFile],
    video: Option<&Video>,
) -> EpisodeView {
    let a = r.archive;
    let path = links::episode(a, id);
    EpisodeView {
        title: e.title.clone(),
        path: path.clone(),
        date: e.date.map(|d| d.human()),
        date_iso: e.date.map(|d| d.iso_day()),
        number: e.number,
        season: e.season,
        description: e.description.clone(),
        duration: e.duration.map(|d| d.to_string()),
        audio: e.audio.as_ref().and_then(|au| {
            Some(AudioView {
                url: links::safe_url(&au.url)?,
                mime: au.mime.clone(),
                length: au.length,
            })
        }),
        link: links::safe(&e.link),
        video: video.map(|v| VideoView {
            id: v.id().to_string(),
            url: v.watch_url(),
            embed: r.config.video.embed.then(|| v.embed_url()),
        }),
        source: name_or_safe_url(&e.source),
        source_url: link_of(&e.source),
        license: name_or_safe_url(&e.license),
        license_url: link_of(&e.license),
        copyright: e.copyright.clone(),
        image: links::safe(&e.image),
        tags: e
            .tags
            .iter()
            .filter_map(|name| {
                let slug = crate::model::slug::slugify(name);
                a.tags.iter().find(|t| t.slug == slug)
            })
            .map(|t| TagLink {
                name: t.name.clone(),
                path: links::tag(t),
                count: t.episodes.len(),
            })
            .collect(),
        files: files
            .iter()
            .map(|f| FileLink {
                label: file_label(f.name),
                path: format!("{path}{}", f.name),
                mime: f.mime,
            })
            .collect(),
        words: e.words(),
        turns: blocks.turns().count(),
        extra: e.extra.clone(),
    }
}

/// A field that holds a name or a URL (`source`, `license`), shown as text unless it is a URL
/// the filter refuses: a theme that links what looks like a URL must never get one of those.
fn name_or_safe_url(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .filter(|v| links::safe_url(v).is_some())
        .map(str::to_string)
}

/// The link such a field makes: only a safe URL that leads off the site by itself, so that
/// `CC BY 4.0` stays a name.
fn link_of(value: &Option<String>) -> Option<String> {
    links::safe(value).filter(|url| links::is_absolute(url))
}

fn file_label(name: &str) -> &'static str {
    match name {
        "transcript.vtt" => "WebVTT",
        "transcript.srt" => "SRT",
        "transcript.json" => "JSON",
        "transcript.txt" => "Text",
        "chapters.json" => "Chapters (JSON)",
        _ => "File",
    }
}

/// Credited and heard people, then the anonymous voices, credited or only heard.
fn speakers(a: &Archive, e: &Episode, blocks: &Blocks) -> Vec<SpeakerLink> {
    let mut list = people(a, e);
    let credited = e
        .credits
        .iter()
        .map(|c| (&c.voice, &c.name, c.role.clone()));
    let heard = blocks.turns().map(|t| (&t.voice, &t.label, None));
    let mut anonymous = std::collections::HashSet::new();
    for (voice, name, role) in credited.chain(heard) {
        if *voice == Voice::Anonymous && anonymous.insert(name) {
            list.push(SpeakerLink {
                name: name.clone(),
                path: None,
                role,
            });
        }
    }
    list
}

/// The video an episode's timestamps play: the one its `link` names, when it has no audio
/// that can be played (none, or one the URL filter refuses).
fn video(e: &Episode) -> Option<Video> {
    let audio = e.audio.as_ref().and_then(|au| links::safe_url(&au.url));
    if audio.is_some() {
        return None;
    }
    Video::from_link(e.link.as_deref()?)
}

/// Where a timestamp leads: the video at that time, else the block's own anchor (a player on
/// the page seeks from its `data-seconds`).
fn time_url(anchor: &str, at: Option<Timestamp>, video: Option<&Video>) -> Option<String> {
    at.map(|t| match video {
        Some(video) => video.url_at(t.whole_seconds()),
        None => ["#", anchor].concat(),
    })
}

fn turn_view(r: &Renderer<'_>, turn: &Turn, voice_index: usize, video: Option<&Video>) -> TurnView {
    let (speaker, speaker_path, voice) = match (&turn.voice, r.archive.speaker(&turn.voice)) {
        (_, Some((_, speaker))) => (
            speaker.name.clone(),
            Some(links::speaker(speaker)),
            "person",
        ),
        (Voice::Marker, _) => (turn.label.clone(), None, "marker"),
        _ => (turn.label.clone(), None, "anonymous"),
    };
    TurnView {
        anchor: turn.anchor.clone(),
        speaker,
        speaker_path,
        voice,
        voice_index,
        timestamp: turn.timestamp.map(|t| t.to_string()),
        seconds: turn.timestamp.map(|t| t.seconds()),
        time_url: time_url(&turn.anchor, turn.timestamp, video),
        html: r.markdown(&turn.text),
    }
}

fn chapters(blocks: &[Block], video: Option<&Video>) -> Vec<ChapterView> {
    blocks
        .iter()
        .enumerate()
        .filter_map(|(at, block)| match block {
            Block::Chapter(c) => Some(chapter_view(c, chapter_start(blocks, at), video)),
            _ => None,
        })
        .collect()
}

fn chapter_view(c: &Chapter, start: Option<Timestamp>, video: Option<&Video>) -> ChapterView {
    ChapterView {
        title: c.title.clone(),
        anchor: c.anchor.clone(),
        timestamp: start.map(|t| t.to_string()),
        seconds: start.map(|t| t.seconds()),
        time_url: time_url(&c.anchor, start, video),
    }
}

/// When the chapter at `blocks[at]` starts: its own timestamp, else that of the first timed
/// turn or marker under it (before the next chapter). Many transcripts time their turns but
/// not their headings, and a chapter list with an empty time column cannot be played from.
/// A chapter with nothing timed under it has no time: a guess from its neighbours could be
/// minutes off.
fn chapter_start(blocks: &[Block], at: usize) -> Option<Timestamp> {
    let Some(Block::Chapter(chapter)) = blocks.get(at) else {
        return None;
    };
    chapter.timestamp.or_else(|| {
        blocks[at + 1..]
            .iter()
            .take_while(|block| !matches!(block, Block::Chapter(_)))
            .find_map(|block| match block {
                Block::Turn(turn) => turn.timestamp,
                _ => None,
            })
    })
}

/// The next older (`previous`) and next newer (`next`) episode of the same show.
fn neighbours(a: &Archive, id: EpisodeId) -> (Option<EpisodeLink>, Option<EpisodeLink>) {
    let list = &a.shows[a.episodes[id].show].episodes;
    let Some(position) = list.iter().position(|&e| e == id) else {
        return (None, None);
    };
    let link = |e: EpisodeId| EpisodeLink {
        title: a.episodes[e].title.clone(),
        path: links::episode(a, e),
        date: a.episodes[e].date.map(|d| d.human()),
        date_iso: a.episodes[e].date.map(|d| d.iso_day()),
    };
    let newer = position.checked_sub(1).map(|p| link(list[p]));
    let older = list.get(position + 1).map(|&e| link(e));
    (older, newer)
}

/// Numbers the voices of one episode in order of first turn, so a theme can tell them apart.
#[derive(Default)]
struct VoiceNumbers {
    seen: std::collections::HashMap<String, usize>,
}

impl VoiceNumbers {
    fn number(&mut self, turn: &Turn) -> usize {
        let key = match &turn.voice {
            Voice::Person(s) => format!("p{s}"),
            Voice::Anonymous => format!("a{}", turn.label),
            Voice::Marker => return 0,
        };
        let next = self.seen.len() + 1;
        *self.seen.entry(key).or_insert(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(title: &str, timestamp: Option<&str>) -> Block {
        Block::Chapter(Chapter {
            title: title.to_string(),
            timestamp: timestamp.and_then(Timestamp::parse),
            line: 1,
            anchor: format!("ch-{title}"),
        })
    }

    fn turn(voice: Voice, timestamp: Option<&str>) -> Block {
        Block::Turn(Turn {
            voice,
            label: "Ann".to_string(),
            timestamp: timestamp.and_then(Timestamp::parse),
            text: "Hi.".to_string(),
            plain: "Hi.".to_string(),
            line: 1,
            words: 1,
            declared: true,
            anchor: "t-1".to_string(),
        })
    }

    fn prose() -> Block {
        Block::Prose {
            text: "[music]".to_string(),
            line: 1,
        }
    }

    // Issue 24: 634 chapter headings of the bitcointranscripts corpus had no timestamp of their
    // own and showed an empty time, though the first turn under them was timed.
    #[test]
    fn a_chapter_without_a_time_starts_at_its_first_timed_turn() {
        let person = || Voice::Person("ann".into());
        let blocks = [
            chapter("own", Some("00:00:30")),
            turn(person(), Some("00:00:10")),
            chapter("borrowed", None),
            prose(),
            turn(person(), None),
            turn(Voice::Marker, Some("00:05:00")),
            turn(person(), Some("00:06:00")),
            chapter("untimed", None),
            turn(person(), None),
            chapter("last", None),
            turn(person(), Some("01:00:00")),
        ];
        let starts: Vec<Option<String>> = (0..blocks.len())
            .filter(|&at| matches!(blocks[at], Block::Chapter(_)))
            .map(|at| chapter_start(&blocks, at).map(|t| t.to_string()))
            .collect();
        assert_eq!(
            starts,
            [
                Some("00:30".to_string()),
                Some("05:00".to_string()),
                None,
                Some("1:00:00".to_string())
            ]
        );
        assert_eq!(chapter_start(&blocks, 1), None, "a turn is no chapter");
    }
}
