//! &[`Archive`] → the full-text search index in `pagefind/`, built by Pagefind as a library.
//!
//! Pagefind is given one lean record per episode, written here from the model, never a rendered
//! page: the transcript and show notes alone, so navigation and speaker lists stay out of the
//! index and there is little HTML to parse. Each turn is a heading with the turn's anchor, so a
//! hit leads to the exact turn (Pagefind's sub-results), named after its speaker. Filters are
//! speaker (everyone heard in the episode, by canonical name), show and year; the sort key is
//! the date. One record per episode keeps the file count near the episode count.

use crate::config::Config;
use crate::error::Error;
use crate::error::Result;
use crate::model::transcript::to_plain_text;
use crate::model::{Archive, Block, Episode, EpisodeId, Turn};
use crate::render::{escape, links};

#[cfg(feature = "search")]
mod spill;

#[cfg(feature = "search")]
use spill::{Spill, SPILLED_AT_ONCE};

/// The folder of the index inside the site; the search page loads `pagefind.js` from it.
pub const BUNDLE_DIR: &str = "pagefind/";

/// The lean page Pagefind indexes for one episode. `url` is the episode's path from the site
/// root, with a leading `/`: the search page tells Pagefind where that root is. Fails only
/// when the episode's transcript cannot be read again (see `Archive::blocks`).
pub fn record(archive: &Archive, id: EpisodeId) -> Result<(String, String)> {
    Ok(record_of(
        archive,
        id,
        &archive.blocks(&archive.episodes[id])?,
    ))
}

/// The record of an episode whose transcript is `blocks`.
fn record_of(archive: &Archive, id: EpisodeId, blocks: &[Block]) -> (String, String) {
    let episode = &archive.episodes[id];
    let show = &archive.shows[episode.show];
    let url = format!("/{}", links::episode(archive, id));
    let mut html = String::with_capacity(episode.words() * 7 + 1024);
    html.push_str("<html><body data-pagefind-body>");
    for (key, value) in metadata(archive, episode) {
        push_hidden(&mut html, "data-pagefind-meta", key, &value);
    }
    let date = episode.date.map(|d| (d.iso_day(), d.year()));
    push_hidden(&mut html, "data-pagefind-filter", "show", &show.title);
    if let Some((iso, year)) = &date {
        push_hidden(&mut html, "data-pagefind-filter", "year", &year.to_string());
        push_hidden(&mut html, "data-pagefind-sort", "date", iso);
    }
    for name in speakers(archive, episode) {
        push_hidden(&mut html, "data-pagefind-filter", "speaker", &name);
    }
    for piece in searchable(archive, episode, blocks) {
        match piece {
            Piece::Title(title) => html.push_str(&format!("<h1>{}</h1>", escape(title))),
            Piece::Heading { anchor, text } => html.push_str(&format!(
                "<h2 id=\"{}\">{}</h2>",
                escape(anchor),
                escape(text)
            )),
            Piece::Paragraph(text) => html.push_str(&format!("<p>{}</p>", escape(&text))),
        }
    }
    html.push_str("</body></html>");
    (url, html)
}

/// The metadata of an episode's record, which a search result shows. Pagefind indexes its
/// words too, for the results whose title, show or date match.
fn metadata(archive: &Archive, episode: &Episode) -> Vec<(&'static str, String)> {
    let mut meta = vec![
        ("title", episode.title.clone()),
        ("show", archive.shows[episode.show].title.clone()),
    ];
    if let Some(date) = episode.date {
        meta.push(("date", date.human()));
    }
    meta
}

/// A metadata, filter or sort value in an attribute of an empty element, so the value itself
/// is not indexed as text. Pagefind reads one `key:value` per attribute, the value as it is.
fn push_hidden(html: &mut String, attribute: &str, key: &str, value: &str) {
    html.push_str(&format!(
        "<span {attribute}=\"{key}:{}\"></span>",
        escape(value)
    ));
}

/// Everyone with a speaker page who took a turn in the episode, by their canonical name.
fn speakers(archive: &Archive, episode: &Episode) -> Vec<String> {
    let mut names: Vec<String> = episode
        .parts
        .iter()
        .filter(|part| part.turns > 0)
        .filter_map(|part| archive.speaker_ids.get(&part.speaker))
        .map(|&id| archive.speakers[id].name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The files of an index, each with its path in the site (`pagefind/pagefind.js`, …).
pub type Files = Vec<(String, Vec<u8>)>;

/// One part of the index: a run of consecutive episodes of the archive, which is in order
/// newest first with the undated last, and the folder its own complete Pagefind bundle goes in.
///
/// An archive's index is made in parts so that building it takes memory in proportion to a
/// part, not to the archive: each part is parsed, built, written and dropped before the next.
/// Because a part is a range of dates, the search page can search the newest part first and
/// the older ones only when the reader asks for more, and list results newest first across
/// parts exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's folder in the site: `pagefind/` for the first, so that an archive of one part
    /// has Pagefind's usual layout, and `pagefind/part-N/` for the others.
    pub dir: String,
    /// Indexes of `archive.episodes`.
    pub episodes: std::ops::Range<usize>,
}

/// The parts of the index: the archive's episodes in order, cut where the next episode would
/// take a part past `[search_index] words_per_part` words. An episode longer than that is a
/// part of its own. An archive without episodes still gets one (empty) part, so that its
/// search page loads. No parts without search.
pub fn parts(archive: &Archive, config: &Config) -> Vec<Part> {
    if !config.has_search() {
        return Vec::new();
    }
    let limit = config.search_index.words_per_part;
    let mut ranges = Vec::new();
    ranges.push(0..0);
    let mut words = 0;
    for (id, episode) in archive.episodes.iter().enumerate() {
        let size = episode.words();
        let current = ranges.last_mut().expect("one range from the start");
        if current.end > current.start && words + size > limit {
            ranges.push(id..id + 1);
            words = size;
        } else {
            current.end = id + 1;
            words += size;
        }
    }
    ranges
        .into_iter()
        .enumerate()
        .map(|(n, episodes)| Part {
            dir: part_dir(n),
            episodes,
        })
        .collect()
}

fn part_dir(n: usize) -> String {
    match n {
        0 => BUNDLE_DIR.to_string(),
        n => format!("{BUNDLE_DIR}part-{n}/"),
    }
}

/// Every part of the index, each handed to `put` as soon as it is built and then dropped, and
/// then the files that describe the parts ([`manifest`]). Call it from a thread outside rayon's
/// pool: Pagefind parses each part's records on that pool, and a worker waiting for it would
/// leave it a thread short.
///
/// An index in several parts parses each part once, before any is built, to learn what every
/// part shares ([`Whole`]); each part's parsed pages wait in a folder made inside `scratch`
/// until the part is built, and the folder is removed before this returns.
pub fn build_parts(
    archive: &Archive,
    config: &Config,
    parts: &[Part],
    scratch: &std::path::Path,
    put: &dyn Fn(Files) -> Result<()>,
) -> Result<()> {
    let built = match parts {
        [] => return Ok(()),
        [part] => {
            let parsed = Parsed::read(archive, config, part.episodes.clone())?;
            put(in_folder(parsed.files()?, part))?;
            vec![None]
        }
        _ => {
            let spill = Spill::new(scratch)?;
            let whole = Parsed::whole(archive, config, parts, &spill)?;
            let mut built = Vec::with_capacity(parts.len());
            for (n, part) in parts.iter().enumerate() {
                let parsed = Parsed::unspilled(config, &spill, n)?;
                let (files, page) = index_part(parsed, part, &whole)?;
                put(files)?;
                built.push(Some(page));
            }
            built
        }
    };
    put(manifest(archive, parts, &built)?)
}

/// The whole index in one go, every part's files together, for `serve`, which keeps its
/// products in memory anyway.
pub fn index(archive: &Archive, config: &Config) -> Result<Files> {
    let all = std::sync::Mutex::new(Files::new());
    let scratch = std::env::temp_dir();
    build_parts(
        archive,
        config,
        &parts(archive, config),
        &scratch,
        &|files| {
            all.lock()
                .map_err(|_| Error::Search("an indexing thread panicked".into()))?
                .extend(files);
            Ok(())
        },
    )?;
    all.into_inner()
        .map_err(|_| Error::Search("an indexing thread panicked".into()))
}

/// What the search page reads before it loads any part: `pagefind/parts.json`, the parts in
/// order with the dates they cover, and `pagefind/speakers.json`, every value of the speaker
/// filter across the parts, for the speaker field's list without loading every part's filters.
fn manifest(archive: &Archive, parts: &[Part], vocabulary: &[Option<String>]) -> Result<Files> {
    let described: Vec<serde_json::Value> = parts
        .iter()
        .zip(vocabulary)
        .map(|(part, page)| describe(archive, part, page.as_deref()))
        .collect();
    let names: std::collections::BTreeSet<String> = archive
        .episodes
        .iter()
        .flat_map(|episode| speakers(archive, episode))
        .collect();
    let json = |value: serde_json::Value| {
        serde_json::to_vec(&value).map_err(|e| Error::Search(e.to_string()))
    };
    Ok(vec![
        (
            format!("{BUNDLE_DIR}parts.json"),
            json(serde_json::json!({ "parts": described }))?,
        ),
        (
            format!("{BUNDLE_DIR}speakers.json"),
            json(serde_json::json!(names))?,
        ),
    ])
}

/// A part as the search page sees it: where it is, how many episodes it holds, the first and
/// last days of its dated episodes (`null` when it has none), how many are undated, and the
/// Pagefind id of its vocabulary page, which the search page leaves out of every result.
fn describe(archive: &Archive, part: &Part, vocabulary: Option<&str>) -> serde_json::Value {
    let episodes = &archive.episodes[part.episodes.clone()];
    let dates: Vec<String> = episodes
        .iter()
        .filter_map(|episode| episode.date.map(|d| d.iso_day()))
        .collect();
    serde_json::json!({
        "path": part.dir,
        "episodes": episodes.len(),
        "newest": dates.iter().max(),
        "oldest": dates.iter().min(),
        "undated": episodes.len() - dates.len(),
        "vocabulary": vocabulary,
    })
}

/// What every part of an index in several parts shares, so that a search finds in the parts
/// together what it would find in one index of the whole archive.
///
/// Pagefind widens a word typed without quotes to the words that begin with its stem, and when
/// there are none, to the longest word that begins it; it picks them among the words of the
/// index chunks the search downloads, the chunks whose range of words holds the typed word.
/// Which words those are depends on where the index cuts its chunks, which depends on how
/// often each word occurs in the index: one index of the whole archive might end a chunk at
/// "drive", so that "drive" is not widened to "driver", where a part, with fewer pages, holds
/// both in one chunk. So each part holds every word of the archive (its vocabulary page) and
/// cuts its chunks after the same words as one index of the whole archive would: every part
/// then has the chunks of the whole index, word for word, and widens a word exactly as it
/// would, each of its pages matching as it would there.
struct Whole {
    /// The vocabulary page's paragraphs: every distinct word of the records (see
    /// [`vocabulary`]).
    vocabulary: String,
    /// The words after which one index of the whole archive ends its chunks.
    cuts: std::collections::BTreeSet<String>,
}

/// The files of one part of an index in several parts, under its folder, and the Pagefind id
/// of its vocabulary page; `parsed` holds the part's pages.
///
/// Each part also holds one page of every word of the archive and cuts its chunks where one
/// index of the whole would ([`Whole`]). The vocabulary page itself is no episode: its
/// fragment is not written, and the search page drops it from the results by its id, which
/// `parts.json` gives.
fn index_part(mut parsed: Parsed, part: &Part, whole: &Whole) -> Result<(Files, String)> {
    parsed.add_vocabulary(&whole.vocabulary)?;
    parsed.cut_chunks_after(whole.cuts.clone());
    let mut files = parsed.files()?;
    let page = take_vocabulary_fragment(&mut files)?;
    Ok((in_folder(files, part), page))
}

/// A part's files, each under the part's folder.
fn in_folder(files: Files, part: &Part) -> Files {
    files
        .into_iter()
        .map(|(name, bytes)| (format!("{}{name}", part.dir), bytes))
        .collect()
}

/// Where the vocabulary page is in the site. Nothing is there: it is never linked.
const VOCABULARY_URL: &str = "/search/vocabulary/";

/// The vocabulary page's paragraphs: every distinct word of the records, as written in them,
/// one per line, so that Pagefind reads each as it reads the records' own words.
///
/// Pagefind reads a word differently at the end of an element: there it also indexes the
/// parts of a word such as "E10" ("10"), as it does after punctuation, and in the middle it
/// does not. So the words that end an element of a record end one here, each a paragraph of
/// its own, and the others stand in one paragraph, which one of the former ends. The words of
/// the metadata Pagefind indexes (title, show, date) are read as in the middle.
#[cfg(feature = "search")]
fn vocabulary(words: Words) -> String {
    let (within, last) = words.sorted();
    let mut html = String::new();
    if let Some(first) = last.first() {
        html.push_str("<p>");
        for word in &within {
            html.push_str(&escape(word));
            html.push('\n');
        }
        html.push_str(&escape(first));
        html.push_str("</p>");
    }
    for word in last.iter().skip(1) {
        html.push_str(&format!("<p>{}</p>", escape(word)));
    }
    html
}

/// Distinct words of records, by where in an element they stand (see [`vocabulary`]). Hashed
/// with foldhash, not std's SipHash: every word of every transcript passes through these sets,
/// and SipHash was about 2 % of a build in several parts.
#[cfg(feature = "search")]
#[derive(Default)]
struct Words {
    within: foldhash::HashSet<String>,
    last: foldhash::HashSet<String>,
}

#[cfg(feature = "search")]
impl Words {
    /// The words of one episode's record, its transcript `blocks`. An episode says each of its
    /// words many times: its distinct words are found first, and only those not kept yet are
    /// copied, under the lock that every thread adding episodes shares.
    fn add_episode(
        words: &std::sync::Mutex<Words>,
        archive: &Archive,
        id: EpisodeId,
        blocks: &[Block],
    ) {
        let episode = &archive.episodes[id];
        let meta = metadata(archive, episode);
        let mut within: foldhash::HashSet<&str> = meta
            .iter()
            .flat_map(|(_, value)| value.split_whitespace())
            .collect();
        let mut last = foldhash::HashSet::default();
        let pieces: Vec<Piece> = searchable(archive, episode, blocks).collect();
        for piece in &pieces {
            let text = match &piece {
                Piece::Title(title) => title,
                Piece::Heading { text, .. } => text,
                Piece::Paragraph(paragraph) => paragraph.as_ref(),
            };
            let mut said = text.split_whitespace().peekable();
            while let Some(word) = said.next() {
                match said.peek() {
                    Some(_) => within.insert(word),
                    None => last.insert(word),
                };
            }
        }
        let Ok(mut words) = words.lock() else { return };
        within
            .into_iter()
            .for_each(|word| keep(&mut words.within, word));
        last.into_iter()
            .for_each(|word| keep(&mut words.last, word));
    }

    /// Each set sorted, so that the same archive makes the same page, and the same index.
    fn sorted(self) -> (Vec<String>, Vec<String>) {
        let sort = |words: foldhash::HashSet<String>| {
            let mut words: Vec<String> = words.into_iter().collect();
            words.sort_unstable();
            words
        };
        (sort(self.within), sort(self.last))
    }
}

#[cfg(feature = "search")]
fn keep(words: &mut foldhash::HashSet<String>, word: &str) {
    if !words.contains(word) {
        words.insert(word.to_string());
    }
}

/// A piece of an episode's record that Pagefind indexes as text.
enum Piece<'a> {
    Title(&'a str),
    /// A turn's speaker or a chapter's title, whose anchor a search result links to.
    Heading {
        anchor: &'a str,
        text: &'a str,
    },
    Paragraph(std::borrow::Cow<'a, str>),
}

/// What a record makes searchable, in order: the title, the description, and each block (a
/// turn's speaker and words, a chapter's title, prose). The record and the vocabulary of the
/// parts both read it, so that the vocabulary holds exactly the records' words.
fn searchable<'a>(
    archive: &'a Archive,
    episode: &'a Episode,
    blocks: &'a [Block],
) -> impl Iterator<Item = Piece<'a>> {
    let head = std::iter::once(Piece::Title(&episode.title)).chain(
        episode
            .description
            .as_deref()
            .map(|description| Piece::Paragraph(description.into())),
    );
    let body = blocks.iter().flat_map(move |block| match block {
        Block::Turn(turn) => vec![
            Piece::Heading {
                anchor: &turn.anchor,
                text: speaker_name(archive, turn),
            },
            Piece::Paragraph(turn.plain.as_str().into()),
        ],
        Block::Chapter(chapter) => vec![Piece::Heading {
            anchor: &chapter.anchor,
            text: &chapter.title,
        }],
        Block::Prose { text, .. } => vec![Piece::Paragraph(to_plain_text(text).into())],
    });
    head.chain(body)
}

fn speaker_name<'a>(archive: &'a Archive, turn: &'a Turn) -> &'a str {
    archive
        .speaker(&turn.voice)
        .map_or(turn.label.as_str(), |(_, s)| s.name.as_str())
}

/// The vocabulary page's record, of its paragraphs (see [`vocabulary`]).
#[cfg(feature = "search")]
fn vocabulary_record(paragraphs: &str) -> (String, String) {
    (
        VOCABULARY_URL.to_string(),
        format!("<html><body data-pagefind-body>{paragraphs}</body></html>"),
    )
}

/// Removes the vocabulary page's fragment from a part's files, and gives its page id.
fn take_vocabulary_fragment(files: &mut Files) -> Result<String> {
    let at = files
        .iter()
        .position(|(name, bytes)| {
            name.starts_with("fragment/") && fragment_url(bytes).as_deref() == Some(VOCABULARY_URL)
        })
        .ok_or_else(|| Error::Search("the vocabulary page is missing from a part".into()))?;
    let (name, _) = files.remove(at);
    Ok(name
        .trim_start_matches("fragment/")
        .trim_end_matches(".pf_fragment")
        .to_string())
}

/// The URL a Pagefind fragment is of: its JSON, gzipped behind a signature, begins with it.
#[cfg(feature = "search")]
fn fragment_url(gzipped: &[u8]) -> Option<String> {
    use std::io::Read;
    const SIGNATURE: &[u8] = b"pagefind_dcd";
    let mut head = vec![0; SIGNATURE.len() + 4096];
    let mut reader = flate2::read::GzDecoder::new(gzipped);
    let mut filled = 0;
    while filled < head.len() {
        match reader.read(&mut head[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    let json = head[..filled].strip_prefix(SIGNATURE)?;
    let json = String::from_utf8_lossy(json);
    let rest = json.split_once("\"url\":\"")?.1;
    Some(rest.split_once('"')?.0.to_string())
}

#[cfg(not(feature = "search"))]
fn fragment_url(_: &[u8]) -> Option<String> {
    None
}

#[cfg(feature = "search")]
struct Parsed {
    runtime: tokio::runtime::Runtime,
    index: pagefind::api::PagefindIndex,
}

/// A Pagefind index made in two steps: its pages are parsed first (`read`, or `unspilled` from
/// pages parsed before), on all cores; `files` builds the index from them, mostly on one
/// thread, and compresses it on all.
///
/// The records go to Pagefind in memory, made on the cores that parse them: nothing is written
/// to disk for them. `add_html_files` and `add_encoded_pages` are changes in the vendored copy
/// of Pagefind (`vendor/README.md`); the published crate parses in parallel only from a folder.
#[cfg(feature = "search")]
impl Parsed {
    fn new(config: &Config) -> Result<Parsed> {
        use pagefind::options::PagefindServiceConfig;
        let options = PagefindServiceConfig::builder()
            .force_language(config.language.clone())
            .build();
        let index = pagefind::api::PagefindIndex::new(Some(options)).map_err(failed)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Search(e.to_string()))?;
        Ok(Parsed { runtime, index })
    }

    /// The records of episodes `ids`, parsed.
    fn read(archive: &Archive, config: &Config, ids: std::ops::Range<usize>) -> Result<Parsed> {
        let mut parsed = Parsed::new(config)?;
        parsed.add_records(ids, &|id| record(archive, id))?;
        Ok(parsed)
    }

    /// The pages of part `part` that [`Parsed::spill`] kept, as they were parsed, read a few
    /// at a time; its file is removed once they are in.
    fn unspilled(config: &Config, spill: &Spill, part: usize) -> Result<Parsed> {
        use rayon::prelude::*;
        let mut parsed = Parsed::new(config)?;
        let mut kept = spill.open(part)?;
        loop {
            let frames = kept.frames(SPILLED_AT_ONCE)?;
            if frames.is_empty() {
                break;
            }
            // A frame that does not decompress becomes an empty page, which Pagefind refuses
            // to read: the part then fails with its error.
            let pages = frames.into_par_iter().map(|frame| {
                lz4_flex::block::decompress_size_prepended(&frame).unwrap_or_default()
            });
            parsed.index.add_encoded_pages(pages).map_err(failed)?;
        }
        spill.remove(part)?;
        Ok(parsed)
    }

    /// Keeps this index's pages in `spill` as part `part`, compressed, a few at a time, so
    /// that no more than those are encoded at once.
    fn spill(&self, spill: &Spill, part: usize) -> Result<()> {
        use rayon::prelude::*;
        let count = self.index.page_count();
        let mut out = spill.create(part)?;
        for start in (0..count).step_by(SPILLED_AT_ONCE) {
            let frames: Vec<Vec<u8>> = self
                .index
                .encoded_pages(start..count.min(start + SPILLED_AT_ONCE))
                .into_par_iter()
                .map(|page| lz4_flex::block::compress_prepend_size(&page))
                .collect();
            frames.iter().try_for_each(|frame| out.frame(frame))?;
        }
        out.finish()
    }

    /// Parses the records of episodes `ids`, each made by `make`.
    fn add_records(
        &mut self,
        ids: std::ops::Range<usize>,
        make: &(dyn Fn(EpisodeId) -> Result<(String, String)> + Sync),
    ) -> Result<()> {
        use rayon::prelude::*;
        // Streamed to Pagefind, not gathered first: the first record that fails stops the
        // build once the others are in.
        let failure = std::sync::Mutex::new(None);
        let records = ids
            .into_par_iter()
            .filter_map(|id| match make(EpisodeId::new(id)) {
                Ok(record) => Some(record),
                Err(error) => {
                    if let Ok(mut first) = failure.lock() {
                        first.get_or_insert(error);
                    }
                    None
                }
            });
        self.add_html(records)?;
        match failure.into_inner().ok().flatten() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Parses the vocabulary page, after the pages already added (see [`vocabulary`]).
    fn add_vocabulary(&mut self, paragraphs: &str) -> Result<()> {
        self.add_html(rayon::iter::once(vocabulary_record(paragraphs)))
    }

    fn add_html(
        &mut self,
        records: impl rayon::iter::ParallelIterator<Item = (String, String)>,
    ) -> Result<()> {
        match std::env::var_os(RECORDS_VAR) {
            None => self.index.add_html_files(records),
            Some(dir) => {
                let records: Vec<_> = records.collect();
                write_records(std::path::Path::new(&dir), &records)?;
                self.index.add_html_files(records)
            }
        }
        .map(drop)
        .map_err(failed)
    }

    /// The vocabulary of every part, and the words after which one index of all the parts'
    /// episodes would end its chunks, from one read of every transcript. Each part's records
    /// are parsed, weighed, kept in `spill` and dropped in turn, so this takes the memory of a
    /// part, as building one does.
    fn whole(archive: &Archive, config: &Config, parts: &[Part], spill: &Spill) -> Result<Whole> {
        let words = std::sync::Mutex::new(Words::default());
        let make = |id: EpisodeId| {
            let blocks = archive.blocks(&archive.episodes[id])?;
            Words::add_episode(&words, archive, id, &blocks);
            Ok(record_of(archive, id, &blocks))
        };
        let mut weights = std::collections::BTreeMap::<String, pagefind::api::WordWeight>::new();
        let mut last = None;
        for (n, part) in parts.iter().enumerate() {
            let mut parsed = Parsed::new(config)?;
            parsed.add_records(part.episodes.clone(), &make)?;
            parsed.spill(spill, n)?;
            for (word, weight) in parsed.index.take_word_weights() {
                let into = weights.entry(word).or_default();
                into.entries += weight.entries;
                into.variants.extend(weight.variants);
            }
            last = Some(parsed);
        }
        let totals = weights.iter().map(|(word, weight)| (word, weight.total()));
        let cuts = match last {
            Some(parsed) => parsed.index.chunk_cuts(totals),
            None => std::collections::BTreeSet::new(),
        };
        let words = words
            .into_inner()
            .map_err(|_| Error::Search("a thread gathering the vocabulary panicked".into()))?;
        Ok(Whole {
            vocabulary: vocabulary(words),
            cuts,
        })
    }

    /// Ends this index's chunks after exactly these words ([`Whole`]).
    fn cut_chunks_after(&mut self, cuts: std::collections::BTreeSet<String>) {
        self.index.set_chunk_cuts(cuts);
    }

    /// Each file by its name inside the bundle (`pagefind.js`, `index/…`).
    fn files(mut self) -> Result<Files> {
        let files = self.runtime.block_on(self.index.get_files());
        Ok(files
            .map_err(failed)?
            .into_iter()
            .map(|file| {
                (
                    file.filename.to_string_lossy().replace('\\', "/"),
                    file.contents,
                )
            })
            .collect())
    }
}

/// A folder to write the records to as well, for comparing Verbatim's index with one that
/// stock Pagefind builds from the same pages (vendor/README.md); not meant for users.
#[cfg(feature = "search")]
const RECORDS_VAR: &str = "VERBATIM_SEARCH_RECORDS";

/// Each record as `<url>/index.html` under `dir`, where Pagefind's CLI finds it under the
/// record's own URL.
#[cfg(feature = "search")]
fn write_records(dir: &std::path::Path, records: &[(String, String)]) -> Result<()> {
    for (url, html) in records {
        let folder = dir.join(url.trim_start_matches('/'));
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let file = folder.join("index.html");
        std::fs::write(&file, html).map_err(|e| Error::io(&file, e))?;
    }
    Ok(())
}

#[cfg(feature = "search")]
fn failed(e: anyhow::Error) -> Error {
    Error::Search(format!("{e:#}"))
}

/// Without the `search` feature there is no index: [`parts`] is empty, so nothing is parsed.
#[cfg(not(feature = "search"))]
enum Parsed {}

#[cfg(not(feature = "search"))]
impl Parsed {
    fn read(_: &Archive, _: &Config, _: std::ops::Range<usize>) -> Result<Parsed> {
        unreachable!("Config::has_search is false without the search feature")
    }

    fn unspilled(_: &Config, _: &Spill, _: usize) -> Result<Parsed> {
        unreachable!("Config::has_search is false without the search feature")
    }

    fn whole(_: &Archive, _: &Config, _: &[Part], _: &Spill) -> Result<Whole> {
        unreachable!("Config::has_search is false without the search feature")
    }

    fn add_vocabulary(&mut self, _: &str) -> Result<()> {
        match *self {}
    }

    fn cut_chunks_after(&mut self, _: std::collections::BTreeSet<String>) {
        match *self {}
    }

    fn files(self) -> Result<Files> {
        match self {}
    }
}

#[cfg(not(feature = "search"))]
enum Spill {}

#[cfg(not(feature = "search"))]
impl Spill {
    fn new(_: &std::path::Path) -> Result<Spill> {
        unreachable!("Config::has_search is false without the search feature")
    }
}
