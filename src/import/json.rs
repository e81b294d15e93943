//! JSON transcripts: Whisper and WhisperX output (`segments` of `start`, `end`, `text`, and
//! `speaker` after diarization) and the Podcasting 2.0 transcript format (`segments` of
//! `speaker`, `startTime`, `endTime`, `body`), which is what `verbatim build` writes.
//!
//! A JSON error names the path to the bad value (`segments[3].startTime`) as well as its line
//! and column: a transcript is one long line more often than not.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::{Cue, Format, Imported};
use crate::error::Diagnostic;
use crate::text::one_line;

#[derive(Deserialize)]
struct WhisperFile {
    segments: Vec<WhisperSegment>,
    #[serde(default)]
    language: Option<String>,
    /// The audio's length, as OpenAI's `verbose_json` gives it.
    #[serde(default)]
    duration: Option<Seconds>,
}

/// Word-level timings (`words`) and decoder details (`tokens`, `seek`…) are left unread.
#[derive(Deserialize)]
struct WhisperSegment {
    start: Seconds,
    end: Seconds,
    text: String,
    #[serde(default)]
    speaker: Option<String>,
}

#[derive(Deserialize)]
struct PodcastingFile {
    segments: Vec<PodcastingSegment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PodcastingSegment {
    #[serde(default)]
    speaker: Option<String>,
    start_time: Seconds,
    #[serde(default)]
    end_time: Option<Seconds>,
    body: String,
}

/// A time in seconds: a number from 0 up to [`LATEST_SECONDS`](super::LATEST_SECONDS).
struct Seconds(f64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_f64(SecondsVisitor).map(Seconds)
    }
}

struct SecondsVisitor;

impl Visitor<'_> for SecondsVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number of seconds")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        if v.is_finite() && (0.0..=super::LATEST_SECONDS).contains(&v) {
            Ok(v)
        } else {
            Err(E::custom(format!(
                "expected a number of seconds from 0 up to {} (1,000 hours), found {}",
                super::LATEST_SECONDS,
                as_written(v)
            )))
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        self.visit_f64(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        self.visit_f64(v as f64)
    }
}

/// A number as short as JSON would write it: `1e300`, not three hundred digits.
fn as_written(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Reads either JSON family, told apart by their field names.
pub fn read(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let value: Value = serde_json::from_str(text).map_err(|e| syntax_error(path, &e))?;
    let Some(object) = value.as_object() else {
        return Err(Diagnostic::error(
            path,
            "expected a JSON object with a `segments` list (Whisper or Podcasting 2.0 JSON)",
        )
        .kind("import")
        .at(1, 1));
    };
    let first = object
        .get("segments")
        .and_then(Value::as_array)
        .and_then(|s| s.first());
    let is_podcasting = object.contains_key("version")
        || first.is_some_and(|s| s.get("startTime").is_some() || s.get("body").is_some());
    if is_podcasting {
        read_podcasting(path, text)
    } else {
        read_whisper(path, text)
    }
}

fn read_whisper(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let file: WhisperFile = parse(path, text)?;
    let diarized = file.segments.iter().any(|s| s.speaker.is_some());
    let cues = file
        .segments
        .into_iter()
        .map(|s| Cue {
            start: Some(s.start.0),
            end: Some(s.end.0),
            speaker: s
                .speaker
                .map(|name| one_line(&name))
                .filter(|n| !n.is_empty()),
            text: one_line(&s.text),
            line: 0,
        })
        .collect();
    Ok(Imported {
        format: if diarized {
            Format::WhisperX
        } else {
            Format::Whisper
        },
        cues,
        title: None,
        language: file.language.filter(|l| !l.trim().is_empty()),
        duration: file.duration.map(|d| d.0),
    })
}

fn read_podcasting(path: &Path, text: &str) -> Result<Imported, Diagnostic> {
    let file: PodcastingFile = parse(path, text)?;
    let cues = file
        .segments
        .into_iter()
        .map(|s| Cue {
            start: Some(s.start_time.0),
            end: s.end_time.map(|t| t.0),
            speaker: s
                .speaker
                .map(|name| one_line(&name))
                .filter(|n| !n.is_empty()),
            text: one_line(&s.body),
            line: 0,
        })
        .collect();
    Ok(Imported {
        format: Format::Podcasting,
        cues,
        title: None,
        language: None,
        duration: None,
    })
}

/// Deserializes the whole text, keeping the path to whatever does not fit.
fn parse<T: de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, Diagnostic> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let at = e.path().to_string();
        let message = reword(&without_position(e.inner()));
        let message = if at == "." {
            message
        } else {
            format!("{at}: {message}")
        };
        Diagnostic::error(path, message)
            .kind("import")
            .at(e.inner().line(), e.inner().column())
    })
}

fn syntax_error(path: &Path, error: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(path, format!("not valid JSON: {}", without_position(error)))
        .kind("import")
        .at(error.line(), error.column())
}

/// serde_json's message without its ` at line L column C`: the diagnostic says where.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let stripped = message.strip_suffix(&suffix).map(str::to_string);
    stripped.unwrap_or(message)
}

/// `invalid type: string "1.5", expected a number of seconds` → `expected a number of
/// seconds, found string "1.5"`: what was wanted first.
fn reword(message: &str) -> String {
    message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.rsplit_once(", expected "))
        .map_or_else(
            || message.to_string(),
            |(found, expected)| format!("expected {expected}, found {found}"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> Diagnostic {
        read(Path::new("t.json"), text).unwrap_err()
    }

    #[test]
    fn the_path_to_a_bad_value_is_named() {
        let e = error(
            "{\"version\":\"1.0.0\",\"segments\":[{\"speaker\":\"A\",\"startTime\":1,\"endTime\":2,\"body\":\"x\"},\n{\"startTime\":\"3\",\"body\":\"y\"}]}",
        );
        assert_eq!(
            e.message,
            "segments[1].startTime: expected a number of seconds, found string \"3\""
        );
        assert_eq!(e.line, Some(2));
        let e = error("{\"segments\":[{\"start\":0,\"end\":1}]}");
        assert_eq!(e.message, "segments[0]: missing field `text`");
        let e = error("{\"segments\":[{\"start\":-1,\"end\":1,\"text\":\"a\"}]}");
        assert!(e
            .message
            .starts_with("segments[0].start: expected a number of seconds"));
    }

    /// A Whisper start of 1e300 once imported with exit 0 into an episode file the build
    /// refused (`[5124095576030431:…]`). A time past 1,000 hours is an error naming the segment.
    #[test]
    fn a_time_past_a_thousand_hours_is_refused_where_it_is() {
        let e = error("{\"segments\":[{\"start\":0,\"end\":1,\"text\":\"a\"},\n{\"start\":1e300,\"end\":1e300,\"text\":\"b\"}]}");
        assert_eq!(
            e.message,
            "segments[1].start: expected a number of seconds from 0 up to 3600000 (1,000 hours), found 1e300"
        );
        assert_eq!(e.line, Some(2));
        let e = error("{\"version\":\"1.0.0\",\"segments\":[{\"startTime\":0,\"endTime\":18446744073709551615,\"body\":\"x\"}]}");
        assert!(
            e.message
                .starts_with("segments[0].endTime: expected a number of seconds from 0"),
            "{}",
            e.message
        );
        assert!(read(
            Path::new("t.json"),
            "{\"segments\":[{\"start\":3600000,\"end\":3600000,\"text\":\"a\"}]}"
        )
        .is_ok());
    }

    #[test]
    fn broken_json_is_located() {
        let e = error("{\"segments\": [\n  {\"start\": 0,,}\n]}");
        assert!(e.message.starts_with("not valid JSON: "), "{}", e.message);
        assert_eq!(e.line, Some(2));
        assert!(error("[1, 2]").message.contains("expected a JSON object"));
    }

    #[test]
    fn whisper_and_whisperx_are_told_apart() {
        let plain = read(
            Path::new("w.json"),
            r#"{"language":"en","duration":61.2,"segments":[{"start":0.0,"end":1.5,"text":" Hello there."}]}"#,
        )
        .unwrap();
        assert_eq!(plain.format, Format::Whisper);
        assert_eq!(plain.language.as_deref(), Some("en"));
        assert_eq!(plain.duration, Some(61.2));
        assert_eq!(plain.cues[0].text, "Hello there.");
        let diarized = read(
            Path::new("w.json"),
            r#"{"segments":[{"start":0,"end":1,"text":"Hi","speaker":"SPEAKER_01","words":[]}]}"#,
        )
        .unwrap();
        assert_eq!(diarized.format, Format::WhisperX);
        assert_eq!(diarized.cues[0].speaker.as_deref(), Some("SPEAKER_01"));
    }
}
