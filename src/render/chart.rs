//! The "appearances over time" chart, drawn at build time as inline SVG.
//!
//! No script and no chart library: a page must show it without JavaScript, and colours come
//! from the stylesheet's classes so the chart follows light and dark themes. The same numbers
//! are handed to templates as text, the chart's accessible alternative.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape;
use super::views::{ChartBar, ChartView};
use crate::model::Date;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 28.0;
/// Below this span, a chart per year would be one or two bars: count per month instead.
const MONTHS_FOR_MONTHLY: i32 = 24;

/// A bar chart of appearances per year, or per month when they span less than two years.
pub fn appearances(name: &str, dates: &[Date]) -> ChartView {
    let (unit, bars) = buckets(dates);
    let svg = draw(name, unit, &bars);
    ChartView { svg, unit, bars }
}

fn buckets(dates: &[Date]) -> (&'static str, Vec<ChartBar>) {
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return ("year", Vec::new());
    };
    let month_index = |d: &Date| d.year() * 12 + d.month() as i32 - 1;
    let span = month_index(last) - month_index(first);
    let monthly = span < MONTHS_FOR_MONTHLY;
    let key = |d: &Date| if monthly { month_index(d) } else { d.year() };
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for date in dates {
        *counts.entry(key(date)).or_default() += 1;
    }
    let bars = (key(first)..=key(last))
        .map(|k| ChartBar {
            label: if monthly {
                month_label(k)
            } else {
                k.to_string()
            },
            count: counts.get(&k).copied().unwrap_or(0),
        })
        .collect();
    (if monthly { "month" } else { "year" }, bars)
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

fn draw(name: &str, unit: &str, bars: &[ChartBar]) -> String {
    let title = format!("Appearances of {name} per {unit}");
    let summary: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.count))
        .collect();
    let description = if bars.is_empty() {
        "No dated appearances.".to_string()
    } else {
        summary.join(", ")
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\"><title>{}</title><desc>{}</desc>",
        escape(&title),
        escape(&title),
        escape(&description)
    );
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let base = HEIGHT - BOTTOM;
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"{LEFT}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/><text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text><text class=\"chart-label\" x=\"{}\" y=\"{base}\" text-anchor=\"end\">0</text>",
        WIDTH - RIGHT,
        LEFT - 6.0,
        TOP + 4.0,
        LEFT - 6.0,
    );
    draw_bars(&mut svg, bars, max);
    svg.push_str("</svg>");
    svg
}

fn draw_bars(svg: &mut String, bars: &[ChartBar], max: usize) {
    if bars.is_empty() {
        return;
    }
    let base = HEIGHT - BOTTOM;
    let slot = (WIDTH - LEFT - RIGHT) / bars.len() as f64;
    let bar_width = (slot * 0.7).max(1.0);
    let label_every = bars.len().div_ceil(12);
    for (i, bar) in bars.iter().enumerate() {
        let height = (base - TOP) * bar.count as f64 / max as f64;
        let x = LEFT + slot * i as f64 + (slot - bar_width) / 2.0;
        let centre = x + bar_width / 2.0;
        let _ = write!(
            svg,
            "<rect class=\"chart-bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_width:.1}\" height=\"{height:.1}\"><title>{}: {}</title></rect>",
            base - height,
            escape(&bar.label),
            bar.count
        );
        if bar.count > 0 && bars.len() <= 24 {
            let _ = write!(
                svg,
                "<text class=\"chart-count\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                base - height - 4.0,
                bar.count
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                svg,
                "<text class=\"chart-label\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                HEIGHT - 10.0,
                escape(&bar.label)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(list: &[&str]) -> Vec<Date> {
        list.iter().map(|d| Date::parse(d).unwrap()).collect()
    }

    #[test]
    fn years_when_the_span_is_long_with_empty_years_shown() {
        let chart = appearances("Ann", &dates(&["2019-01-05", "2019-06-01", "2022-03-01"]));
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
        assert!(chart
            .svg
            .contains("<title>Appearances of Ann per year</title>"));
        assert!(chart.svg.contains("2019: 2, 2020: 0"));
    }

    #[test]
    fn months_when_the_span_is_short() {
        let chart = appearances("Bo", &dates(&["2024-11-05", "2025-01-01"]));
        assert_eq!(chart.unit, "month");
        assert_eq!(chart.bars.len(), 3);
        assert_eq!(chart.bars[0].label, "Nov 2024");
    }

    #[test]
    fn names_are_escaped_and_no_dates_still_draws() {
        let chart = appearances("<b>", &[]);
        assert!(chart.svg.contains("&lt;b&gt;"));
        assert!(chart.bars.is_empty());
    }
}
