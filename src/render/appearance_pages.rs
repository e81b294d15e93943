//! Which page of a speaker's appearances holds what.
//!
//! A speaker's appearances are listed newest first, `[speakers] appearances_per_page` to a page,
//! so that a host of thousands of episodes gets pages of one size rather than one page of
//! megabytes. Everything here is arithmetic on the model's order (dated oldest first, then the
//! undated): a page finds its own appearances, and where a year's are, without walking them all,
//! so the pages of a speaker cost what they list and no more.

use crate::model::{Appearance, Date};

/// How many pages `items` (appearances, a show's or a topic's episodes) make at `per_page` a
/// page: one at least, even for none.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// Which of `items` page `page` (from 1) holds at `per_page` a page, counted from 0 in the
/// order they are listed.
pub fn page_range(items: usize, page: usize, per_page: usize) -> std::ops::Range<usize> {
    let per_page = per_page.max(1);
    let start = (page.max(1) - 1).saturating_mul(per_page).min(items);
    start..(start + per_page).min(items)
}

/// The title of page `page` of `total` of a list named `name`: the name alone on the first.
pub fn page_title(name: &str, page: usize, total: usize) -> String {
    match page > 1 {
        true => format!("{name} (page {page} of {total})"),
        false => name.to_string(),
    }
}

/// One speaker's appearances, cut into pages.
pub struct Pages<'a> {
    /// As the model keeps them: dated oldest first, then the undated.
    appearances: &'a [Appearance],
    /// How many of them have a date: those come first.
    dated: usize,
    per_page: usize,
}

impl<'a> Pages<'a> {
    pub fn new(appearances: &'a [Appearance], per_page: usize) -> Self {
        Pages {
            appearances,
            dated: appearances.partition_point(|ap| ap.date.is_some()),
            per_page: per_page.max(1),
        }
    }

    pub fn count(&self) -> usize {
        page_count(self.appearances.len(), self.per_page)
    }

    /// Where `page` (from 1) begins and ends, counted newest first from 0.
    pub fn range(&self, page: usize) -> std::ops::Range<usize> {
        page_range(self.appearances.len(), page, self.per_page)
    }

    /// The appearances of `page`, newest first, the undated last.
    pub fn on_page(&self, page: usize) -> Vec<&'a Appearance> {
        self.range(page).map(|i| self.newest(i)).collect()
    }

    /// The `i`th appearance counted newest first from 0: the dated from the newest back, then
    /// the undated from the last.
    fn newest(&self, i: usize) -> &'a Appearance {
        let len = self.appearances.len();
        if i < self.dated {
            &self.appearances[self.dated - 1 - i]
        } else {
            &self.appearances[len - 1 - (i - self.dated)]
        }
    }

    fn page_of(&self, i: usize) -> usize {
        i / self.per_page + 1
    }

    /// The page that holds the newest appearance dated in or before the month `until`
    /// (`(year, month)`), if there is one: where a bar of the chart that ends then leads.
    pub fn page_until(&self, until: (i32, u32)) -> Option<usize> {
        let month = |d: Date| (d.year(), d.month());
        let before = self.appearances[..self.dated]
            .partition_point(|ap| ap.date.is_some_and(|d| month(d) <= until));
        (before > 0).then(|| self.page_of(self.dated - before))
    }

    /// The page where the undated appearances begin, if there are any.
    pub fn undated_page(&self) -> Option<usize> {
        (self.dated < self.appearances.len()).then(|| self.page_of(self.dated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EpisodeId, ShowId};

    fn on(episode: usize, date: Option<&str>) -> Appearance {
        Appearance {
            episode: EpisodeId::new(episode),
            show: ShowId::new(0),
            date: date.map(|d| Date::parse(d).unwrap()),
            role: None,
            turns: 1,
            words: 10,
            excerpt: None,
        }
    }

    /// Seven appearances in the model's order: five dated oldest first, then two undated.
    fn seven() -> Vec<Appearance> {
        vec![
            on(0, Some("2019-05-01")),
            on(1, Some("2020-01-01")),
            on(2, Some("2020-06-01")),
            on(3, Some("2021-02-01")),
            on(4, Some("2021-03-01")),
            on(5, None),
            on(6, None),
        ]
    }

    fn episodes(list: &[&Appearance]) -> Vec<usize> {
        list.iter().map(|ap| ap.episode.index()).collect()
    }

    #[test]
    fn pages_hold_the_newest_first_and_the_undated_last() {
        let all = seven();
        let pages = Pages::new(&all, 3);
        assert_eq!(pages.count(), 3);
        assert_eq!(episodes(&pages.on_page(1)), [4, 3, 2]);
        assert_eq!(episodes(&pages.on_page(2)), [1, 0, 6]);
        assert_eq!(episodes(&pages.on_page(3)), [5]);
        assert!(pages.on_page(4).is_empty());
    }

    #[test]
    fn every_appearance_is_on_exactly_one_page() {
        let all = seven();
        for per_page in 1..=8 {
            let pages = Pages::new(&all, per_page);
            let mut seen: Vec<usize> = (1..=pages.count())
                .flat_map(|p| episodes(&pages.on_page(p)))
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..7).collect::<Vec<_>>(), "{per_page} a page");
        }
    }

    #[test]
    fn a_bar_leads_to_the_page_of_its_newest_appearance() {
        let all = seven();
        let pages = Pages::new(&all, 2);
        // Newest first: 2021-03, 2021-02 | 2020-06, 2020-01 | 2019-05, undated | undated.
        assert_eq!(pages.page_until((2021, 12)), Some(1));
        assert_eq!(pages.page_until((2020, 12)), Some(2));
        assert_eq!(pages.page_until((2020, 1)), Some(2));
        assert_eq!(pages.page_until((2019, 12)), Some(3));
        assert_eq!(pages.page_until((2018, 12)), None);
        assert_eq!(pages.undated_page(), Some(3));
        assert_eq!(Pages::new(&all[..5], 2).undated_page(), None);
    }

    #[test]
    fn no_appearances_are_one_empty_page() {
        let pages = Pages::new(&[], 100);
        assert_eq!(pages.count(), 1);
        assert!(pages.on_page(1).is_empty());
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(5000, 100), 50);
        assert_eq!(page_count(5001, 100), 51);
    }
}
