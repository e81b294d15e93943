//! Where each page lives inside the site. Paths are site-relative folders (`show/episode/`);
//! templates put `root` in front, so links stay right at any depth and under any base path.

use crate::model::{Archive, Show, Speaker, Tag};

pub const SPEAKERS: &str = "speakers/";
pub const TAGS: &str = "tags/";

pub fn show_page(show: &Show, page: usize) -> String {
    if page <= 1 {
        format!("{}/", show.slug)
    } else {
        format!("{}/page/{page}/", show.slug)
    }
}

pub fn episode(archive: &Archive, id: usize) -> String {
    let episode = &archive.episodes[id];
    format!("{}/{}/", archive.shows[episode.show].slug, episode.slug)
}

pub fn speaker(speaker: &Speaker) -> String {
    format!("{SPEAKERS}{}/", speaker.slug)
}

pub fn tag(tag: &Tag) -> String {
    format!("{TAGS}{}/", tag.slug)
}

/// `./` for the root page, `../../` for `show/episode/`.
pub fn root_from(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_to_the_root() {
        assert_eq!(root_from(""), "./");
        assert_eq!(root_from("speakers/"), "../");
        assert_eq!(root_from("show/page/2/"), "../../../");
    }
}
