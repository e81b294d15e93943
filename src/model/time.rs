//! Dates and timestamps as transcripts write them.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Deserializer};

/// A moment in the audio, in milliseconds from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Reads `HH:MM:SS`, `MM:SS` or `H:MM:SS.ff` (a comma also marks the fraction). The first
    /// field takes any number of digits, so that a recording of a hundred hours or more reads
    /// (`100:00:01`, as `import` writes it); minutes and seconds after it stay under 60.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let (clock, fraction) = match text.find(['.', ',']) {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text, None),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        let numbers: Option<Vec<u64>> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let digits = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
                (digits && (i == 0 || p.len() <= 2))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect();
        let (hours, minutes, seconds) = match numbers?.as_slice() {
            [m, s] => (0, *m, *s),
            [h, m, s] => (*h, *m, *s),
            _ => return None,
        };
        if seconds >= 60 || (parts.len() == 3 && minutes >= 60) {
            return None;
        }
        let millis = match fraction {
            None => 0,
            Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
                let padded = format!("{f:0<3}");
                padded[..3].parse().ok()?
            }
            Some(_) => return None,
        };
        let total_minutes = hours.checked_mul(60)?.checked_add(minutes)?;
        let total_seconds = total_minutes.checked_mul(60)?.checked_add(seconds)?;
        total_seconds
            .checked_mul(1000)?
            .checked_add(millis)
            .map(Timestamp)
    }

    pub fn seconds(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    pub fn whole_seconds(self) -> u64 {
        self.0 / 1000
    }

    /// `t-00-12-05`: the anchor form, to the whole second.
    /// Every turn with a time has one, so its digits are put down one by one, not through
    /// `format!`'s padding.
    pub fn anchor(self) -> String {
        let s = self.whole_seconds();
        let mut anchor = String::with_capacity(10);
        anchor.push_str("t-");
        push_padded(&mut anchor, s / 3600, 2);
        anchor.push('-');
        push_padded(&mut anchor, s / 60 % 60, 2);
        anchor.push('-');
        push_padded(&mut anchor, s % 60, 2);
        anchor
    }
}

impl fmt::Display for Timestamp {
    /// `12:05` under an hour, `1:02:03` past it: how players show time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.whole_seconds();
        let mut clock = String::with_capacity(8);
        if s >= 3600 {
            push_padded(&mut clock, s / 3600, 1);
            clock.push(':');
            push_padded(&mut clock, s / 60 % 60, 2);
        } else {
            push_padded(&mut clock, s / 60, 2);
        }
        clock.push(':');
        push_padded(&mut clock, s % 60, 2);
        f.write_str(&clock)
    }
}

/// `n` in decimal at the end of `out`, with zeros in front to `width` digits at least: what
/// `{n:0width$}` writes, for the clocks of every turn and cue, without the formatter's cost.
#[inline(always)]
pub fn push_padded(out: &mut String, n: u64, width: u32) {
    let width = width.max(1);
    match 10u64.checked_pow(width) {
        // Inlined where `width` is a constant, the divisors are too, and cheap.
        Some(limit) if n < limit => {
            for place in (0..width).rev() {
                let digit = n / 10u64.pow(place) % 10;
                out.push(char::from(b'0' + digit as u8));
            }
        }
        _ => {
            let mut buffer = itoa::Buffer::new();
            let digits = buffer.format(n);
            out.extend(std::iter::repeat_n(
                '0',
                (width as usize).saturating_sub(digits.len()),
            ));
            out.push_str(digits);
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(text.trim()).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid duration `{text}`: expected HH:MM:SS or MM:SS"
            ))
        })
    }
}

/// A publication date: a day, or a full date-time with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub DateTime<FixedOffset>);

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        if let Ok(datetime) = DateTime::parse_from_rfc3339(text) {
            return Some(Date(datetime));
        }
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        let midnight = day.and_hms_opt(0, 0, 0)?;
        let utc = FixedOffset::east_opt(0)?;
        utc.from_local_datetime(&midnight).single().map(Date)
    }

    pub fn year(self) -> i32 {
        chrono::Datelike::year(&self.0)
    }

    pub fn month(self) -> u32 {
        chrono::Datelike::month(&self.0)
    }

    /// `2024-05-01`, for `datetime` attributes and sorting.
    pub fn iso_day(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// `1 May 2024`, for people.
    pub fn human(self) -> String {
        self.0.format("%-d %B %Y").to_string()
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(text.trim()).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid date `{text}`: expected YYYY-MM-DD or an RFC 3339 date-time such as 2024-05-01T09:30:00Z"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_every_written_form() {
        assert_eq!(Timestamp::parse("00:12:05"), Some(Timestamp(725_000)));
        assert_eq!(Timestamp::parse("12:05"), Some(Timestamp(725_000)));
        assert_eq!(Timestamp::parse("1:02:03.5"), Some(Timestamp(3_723_500)));
        assert_eq!(Timestamp::parse("01:02:03.45"), Some(Timestamp(3_723_450)));
        assert_eq!(Timestamp::parse("00:00:01,250"), Some(Timestamp(1_250)));
        assert_eq!(Timestamp::parse("12:75"), None);
        assert_eq!(Timestamp::parse("noon"), None);
        assert_eq!(Timestamp::parse("1:2:3:4"), None);
    }

    /// `import` wrote a cue at 100 hours as `[100:00:01]`, which the reader refused, so its
    /// words went to the speaker before. Any number of hour digits reads; what does not fit
    /// in a timestamp, or has minutes or seconds of 60 or more, does not.
    #[test]
    fn hours_take_any_number_of_digits_and_the_rest_stay_under_sixty() {
        assert_eq!(Timestamp::parse("100:00:01"), Some(Timestamp(360_001_000)));
        assert_eq!(
            Timestamp::parse("1000:00:00"),
            Some(Timestamp(3_600_000_000))
        );
        assert_eq!(Timestamp::parse("125:30"), Some(Timestamp(7_530_000)));
        assert_eq!(Timestamp::parse("99:99:99"), None);
        assert_eq!(Timestamp::parse("00:60:00"), None);
        assert_eq!(Timestamp::parse("00:00:075"), None);
        assert_eq!(Timestamp::parse("99999999999999999999:00:00"), None);
        assert_eq!(Timestamp::parse("9999999999999999:00:00"), None);
    }

    #[test]
    fn timestamps_print_like_a_player_and_anchor_to_the_second() {
        assert_eq!(Timestamp(725_000).to_string(), "12:05");
        assert_eq!(Timestamp(3_723_500).to_string(), "1:02:03");
        assert_eq!(Timestamp(725_900).anchor(), "t-00-12-05");
        // As `format!` wrote them, for every hour, minute and second a clock can show.
        for s in (0..400 * 3600)
            .step_by(61)
            .chain([0, 59, 3599, 3600, 359_999, 360_000])
        {
            let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
            let t = Timestamp(s * 1000 + 999);
            assert_eq!(t.anchor(), format!("t-{h:02}-{m:02}-{sec:02}"));
            let clock = match h {
                0 => format!("{m:02}:{sec:02}"),
                _ => format!("{h}:{m:02}:{sec:02}"),
            };
            assert_eq!(t.to_string(), clock);
        }
    }

    #[test]
    fn padded_numbers_are_what_format_pads() {
        let mut n = 1_u64;
        let numbers = std::iter::from_fn(|| {
            n = n.checked_mul(7)?;
            Some(n)
        });
        for n in (0..2000)
            .chain(numbers)
            .chain([u64::MAX, 10, 100, 999, 1000])
        {
            for width in 0..5 {
                let mut out = String::from("x");
                push_padded(&mut out, n, width);
                assert_eq!(out, format!("x{n:0w$}", w = width as usize), "{n} {width}");
            }
        }
    }

    #[test]
    fn dates_as_days_or_date_times() {
        let day = Date::parse("2024-05-01").unwrap();
        assert_eq!(day.iso_day(), "2024-05-01");
        assert_eq!(day.human(), "1 May 2024");
        let moment = Date::parse("2024-05-01T09:30:00+02:00").unwrap();
        assert_eq!(moment.year(), 2024);
        assert!(Date::parse("yesterday").is_none());
    }
}
