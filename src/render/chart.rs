//! The "appearances over time" chart: the numbers a template draws as bars of HTML.
//!
//! Bars are real text and boxes sized in percent, drawn by the template, not an SVG scaled to
//! the page: an SVG drawn for a desktop shrinks its labels to a few pixels on a phone. No script
//! and no chart library: a page shows it without JavaScript, and its colours and patterns come
//! from the stylesheet, so it follows light and dark. Each bar links to its year in the list of
//! appearances; the same numbers are the table a reader can open instead.

use std::collections::BTreeMap;

use super::views::{ChartBar, ChartView, LegendEntry};
use crate::model::{Appearance, Date};

/// Below this span, a chart per year would be one or two bars: count per month instead.
const MONTHS_FOR_MONTHLY: i32 = 24;

/// The anchor of a year's appearances on a speaker page, which its bars link to.
pub fn year_anchor(year: i32) -> String {
    format!("y-{year}")
}

/// The anchor of the undated appearances on a speaker page.
pub const UNDATED_ANCHOR: &str = "y-undated";

/// How a role is drawn: host and guest apart, anything else together.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Host,
    Guest,
    Other,
}

fn kind(role: Option<&str>) -> Kind {
    let role = role.unwrap_or("").to_lowercase();
    if role.contains("host") {
        Kind::Host
    } else if role.contains("guest") {
        Kind::Guest
    } else {
        Kind::Other
    }
}

/// Appearances per year, or per month when they span less than two years, each bar split into
/// host, guest and other roles.
pub fn appearances(appearances: &[Appearance]) -> ChartView {
    let dated: Vec<(Date, Kind)> = appearances
        .iter()
        .filter_map(|ap| Some((ap.date?, kind(ap.role.as_deref()))))
        .collect();
    let (unit, bars) = buckets(&dated);
    let undated = appearances.len() - dated.len();
    let mut kinds: Vec<Kind> = dated.iter().map(|&(_, k)| k).collect();
    kinds.sort_unstable();
    kinds.dedup();
    ChartView {
        summary: summary(&dated, unit, &bars),
        unit,
        total: appearances.len(),
        undated,
        undated_anchor: (undated > 0).then(|| UNDATED_ANCHOR.to_string()),
        undated_page: None,
        legend: kinds.into_iter().map(legend_entry).collect(),
        bars,
    }
}

fn legend_entry(kind: Kind) -> LegendEntry {
    let (class, label) = match kind {
        Kind::Host => ("host", "As host"),
        Kind::Guest => ("guest", "As guest"),
        Kind::Other => ("other", "Other or no role"),
    };
    LegendEntry { class, label }
}

/// One sentence on the dated appearances, so that a chart of one bar need not be drawn.
fn summary(dated: &[(Date, Kind)], unit: &str, bars: &[ChartBar]) -> String {
    let n = dated.len();
    let count = match n {
        1 => "One appearance".to_string(),
        n => format!("{} appearances", crate::text::thousands(n as i64)),
    };
    match bars {
        [] => "No dated appearances.".to_string(),
        [only] if unit == "month" => format!("{count}, in {}.", full_month(&only.label)),
        [only] => format!("{count}, in {}.", only.label),
        [first, .., last] => format!("{count} from {} to {}.", first.label, last.label),
    }
}

/// `Mar 2024` → `March 2024`, for a sentence.
fn full_month(label: &str) -> String {
    const FULL: [(&str, &str); 12] = [
        ("Jan", "January"),
        ("Feb", "February"),
        ("Mar", "March"),
        ("Apr", "April"),
        ("May", "May"),
        ("Jun", "June"),
        ("Jul", "July"),
        ("Aug", "August"),
        ("Sep", "September"),
        ("Oct", "October"),
        ("Nov", "November"),
        ("Dec", "December"),
    ];
    FULL.iter()
        .find_map(|(short, long)| Some(format!("{long}{}", label.strip_prefix(short)?)))
        .unwrap_or_else(|| label.to_string())
}

fn buckets(dated: &[(Date, Kind)]) -> (&'static str, Vec<ChartBar>) {
    let dates = dated.iter().map(|(d, _)| d);
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return ("year", Vec::new());
    };
    let month_index = |d: &Date| d.year() * 12 + d.month() as i32 - 1;
    let monthly = month_index(last) - month_index(first) < MONTHS_FOR_MONTHLY;
    let key = |d: &Date| if monthly { month_index(d) } else { d.year() };
    let mut counts: BTreeMap<i32, [usize; 3]> = BTreeMap::new();
    for (date, kind) in dated {
        counts.entry(key(date)).or_default()[*kind as usize] += 1;
    }
    let widest = counts.values().map(|c| c.iter().sum()).max().unwrap_or(1);
    let bars = (key(first)..=key(last))
        .map(|k| {
            let [host, guest, other] = counts.get(&k).copied().unwrap_or_default();
            let year = if monthly { k.div_euclid(12) } else { k };
            let until = if monthly {
                (year, k.rem_euclid(12) as u32 + 1)
            } else {
                (year, 12)
            };
            bar(
                if monthly {
                    month_label(k)
                } else {
                    k.to_string()
                },
                until,
                [host, guest, other],
                widest,
            )
        })
        .collect();
    (if monthly { "month" } else { "year" }, bars)
}

fn bar(
    label: String,
    until: (i32, u32),
    [host, guest, other]: [usize; 3],
    widest: usize,
) -> ChartBar {
    let count = host + guest + other;
    ChartBar {
        label,
        count,
        host,
        guest,
        other,
        host_width: width(host, widest),
        guest_width: width(guest, widest),
        other_width: width(other, widest),
        anchor: (count > 0).then(|| year_anchor(until.0)),
        page: None,
        until,
    }
}

/// A part of a bar in percent of the widest bar; never 0 for a count above 0, so that one
/// appearance among a thousand still shows.
fn width(count: usize, widest: usize) -> usize {
    match count {
        0 => 0,
        n => (n * 100 / widest.max(1)).max(1),
    }
}

fn month_label(index: i32) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {}",
        MONTHS[index.rem_euclid(12) as usize],
        index.div_euclid(12)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EpisodeId, ShowId};

    fn on(date: Option<&str>, role: Option<&str>) -> Appearance {
        Appearance {
            episode: EpisodeId::new(0),
            show: ShowId::new(0),
            date: date.map(|d| Date::parse(d).unwrap()),
            role: role.map(str::to_string),
            turns: 1,
            words: 10,
            excerpt: None,
        }
    }

    fn dated(list: &[&str]) -> Vec<Appearance> {
        list.iter().map(|d| on(Some(d), Some("guest"))).collect()
    }

    #[test]
    fn years_when_the_span_is_long_with_empty_years_shown() {
        let chart = appearances(&dated(&["2019-01-05", "2019-06-01", "2022-03-01"]));
        assert_eq!(chart.unit, "year");
        let counts: Vec<(String, usize)> = chart
            .bars
            .iter()
            .map(|b| (b.label.clone(), b.count))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("2019".into(), 2),
                ("2020".into(), 0),
                ("2021".into(), 0),
                ("2022".into(), 1)
            ]
        );
        assert_eq!(chart.summary, "3 appearances from 2019 to 2022.");
    }

    #[test]
    fn months_when_the_span_is_short() {
        let chart = appearances(&dated(&["2024-11-05", "2025-01-01"]));
        assert_eq!(chart.unit, "month");
        assert_eq!(chart.bars.len(), 3);
        assert_eq!(chart.bars[0].label, "Nov 2024");
        // A month's bar leads to its year in the list.
        assert_eq!(chart.bars[2].anchor.as_deref(), Some("y-2025"));
    }

    // Issue 25: a speaker's appearances are on pages now, and a bar links to the page that
    // holds its newest: each bar says which month it ends with, to find that page.
    #[test]
    fn each_bar_knows_the_month_it_ends_with() {
        let yearly = appearances(&dated(&["2019-01-05", "2022-03-01"]));
        assert_eq!(yearly.bars[0].until, (2019, 12));
        assert_eq!(yearly.bars[3].until, (2022, 12));
        let monthly = appearances(&dated(&["2024-11-05", "2025-01-01"]));
        let until: Vec<(i32, u32)> = monthly.bars.iter().map(|b| b.until).collect();
        assert_eq!(until, [(2024, 11), (2024, 12), (2025, 1)]);
    }

    #[test]
    fn no_appearances_no_bars() {
        let chart = appearances(&[]);
        assert!(chart.bars.is_empty());
        assert_eq!((chart.total, chart.undated), (0, 0));
        assert_eq!(chart.summary, "No dated appearances.");
    }

    // Issue 24: one appearance drew one bar filling the whole chart, which says nothing. It is
    // a sentence now, and the template draws bars only when there are two or more.
    #[test]
    fn one_appearance_is_a_sentence() {
        let chart = appearances(&dated(&["2024-03-12"]));
        assert_eq!(chart.summary, "One appearance, in March 2024.");
        assert_eq!(chart.bars.len(), 1);
        let chart = appearances(&dated(&["2024-03-12", "2024-03-30"]));
        assert_eq!(chart.summary, "2 appearances, in March 2024.");
    }

    // Issue 24: the chart left undated episodes out without a word; a host of 141 undated
    // episodes had "no dated appearances" and nothing else.
    #[test]
    fn undated_appearances_are_counted_and_linked() {
        let mut list = dated(&["2019-01-05", "2022-03-01"]);
        list.push(on(None, Some("host")));
        let chart = appearances(&list);
        assert_eq!((chart.total, chart.undated), (3, 1));
        assert_eq!(chart.undated_anchor.as_deref(), Some(UNDATED_ANCHOR));
        assert_eq!(chart.bars.iter().map(|b| b.count).sum::<usize>(), 2);
        assert_eq!(appearances(&dated(&["2019-01-05"])).undated_anchor, None);
    }

    // Issue 24: host and guest appearances were bars of one colour. Each bar is split now,
    // with a legend that names each part in words.
    #[test]
    fn host_and_guest_are_told_apart() {
        let list = vec![
            on(Some("2019-01-05"), Some("host")),
            on(Some("2019-02-05"), Some("Co-host")),
            on(Some("2019-03-05"), Some("guest")),
            on(Some("2021-03-05"), None),
        ];
        let chart = appearances(&list);
        let first = &chart.bars[0];
        assert_eq!((first.host, first.guest, first.other), (2, 1, 0));
        assert_eq!((first.host_width, first.guest_width), (66, 33));
        let labels: Vec<&str> = chart.legend.iter().map(|l| l.label).collect();
        assert_eq!(labels, ["As host", "As guest", "Other or no role"]);
        assert_eq!(chart.bars[1].anchor, None, "an empty year links nowhere");
    }

    // A thousand appearances over fifteen years stay fifteen bars, and one appearance in a
    // year beside a busy one still shows.
    #[test]
    fn many_appearances_stay_one_bar_a_year() {
        let mut list = Vec::new();
        for year in 2010..2025 {
            for day in 0..if year == 2012 { 1 } else { 70 } {
                let date = format!("{year}-{:02}-{:02}", day % 12 + 1, day % 28 + 1);
                list.push(on(Some(&date), Some("host")));
            }
        }
        let chart = appearances(&list);
        assert_eq!(chart.bars.len(), 15);
        assert_eq!(chart.bars[2].host_width, 1);
        assert_eq!(chart.summary, "981 appearances from 2010 to 2024.");
    }
}
