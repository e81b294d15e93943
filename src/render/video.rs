//! The video an episode's `link` names, so that an episode without audio can still be played
//! from its timestamps: each opens the video at its time.
//!
//! Only YouTube is known, and only its own hosts and URL forms. Anything else, however close
//! (`youtube.com.evil.example`, an ID of the wrong length), is no video: a timestamp that leads
//! to a look-alike page would be worse than one that leads nowhere. The URLs this module makes
//! hold nothing of the link but the checked ID. The URL crate stays behind this module.

use url::Url;

use super::links;

/// The hosts that serve YouTube's watch, live and embed pages.
const YOUTUBE_HOSTS: [&str; 4] = [
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
];
/// YouTube's short links: `youtu.be/ID`.
const SHORT_HOST: &str = "youtu.be";
/// Every YouTube video ID is this long.
const ID_LENGTH: usize = 11;

/// A YouTube video, by its ID (11 characters of `A-Z a-z 0-9 _ -`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    id: String,
}

impl Video {
    /// The video a link from content names: `youtube.com/watch?v=ID`, `youtu.be/ID`,
    /// `youtube.com/live/ID` or `youtube.com/embed/ID`, on `www.`, `m.` and `music.` hosts too,
    /// with any other query parameters. The link passes the site's URL filter first and is then
    /// read as a browser reads it, so what counts is the host a reader would reach.
    pub fn from_link(link: &str) -> Option<Video> {
        let safe = links::safe_url(link)?;
        let absolute = match safe.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None => safe,
        };
        let url = Url::parse(&absolute).ok()?;
        let plain = matches!(url.scheme(), "https" | "http")
            && url.username().is_empty()
            && url.password().is_none()
            && url.port().is_none();
        if !plain {
            return None;
        }
        let host = url.host_str()?;
        let id = if host == SHORT_HOST {
            single_segment(&url)?
        } else if YOUTUBE_HOSTS.contains(&host) {
            id_on_youtube(&url)?
        } else {
            return None;
        };
        is_id(&id).then_some(Video { id })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The video's page on YouTube.
    pub fn watch_url(&self) -> String {
        format!("https://www.youtube.com/watch?v={}", self.id)
    }

    /// The video's page, playing from a moment (to the whole second, as YouTube takes it).
    pub fn url_at(&self, seconds: u64) -> String {
        format!("{}&t={seconds}s", self.watch_url())
    }

    /// The player to embed, from YouTube's privacy-enhanced domain, with the JavaScript API on
    /// (so a page can seek it) and suggestions limited to the same channel.
    pub fn embed_url(&self) -> String {
        format!(
            "https://www.youtube-nocookie.com/embed/{}?enablejsapi=1&rel=0",
            self.id
        )
    }
}

/// The ID on a youtube.com page: `/watch?v=ID`, `/live/ID`, `/embed/ID`.
fn id_on_youtube(url: &Url) -> Option<String> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["watch"] => url
            .query_pairs()
            .find(|(key, _)| key == "v")
            .map(|(_, id)| id.into_owned()),
        ["live" | "embed", id] => Some((*id).to_string()),
        _ => None,
    }
}

/// The ID of a short link: its one path segment.
fn single_segment(url: &Url) -> Option<String> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [id] => Some((*id).to_string()),
        _ => None,
    }
}

fn is_id(id: &str) -> bool {
    id.len() == ID_LENGTH
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(link: &str) -> Option<String> {
        Video::from_link(link).map(|v| v.id)
    }

    #[test]
    fn every_youtube_form_gives_its_id() {
        let id = Some("I2ZmAPI3e_Q".to_string());
        for link in [
            "https://www.youtube.com/watch?v=I2ZmAPI3e_Q",
            "https://youtube.com/watch?v=I2ZmAPI3e_Q",
            "http://m.youtube.com/watch?v=I2ZmAPI3e_Q",
            "https://music.youtube.com/watch?v=I2ZmAPI3e_Q&feature=share",
            "https://WWW.YouTube.com/watch?v=I2ZmAPI3e_Q",
            "https://www.youtube.com/watch?feature=youtu.be&v=I2ZmAPI3e_Q&t=4h27m53s",
            "https://www.youtube.com/watch?v=I2ZmAPI3e_Q&list=PLgO7JBj821uGZTXEXBLckChu70kl7Celh&index=21",
            "https://youtu.be/I2ZmAPI3e_Q",
            "https://youtu.be/I2ZmAPI3e_Q?si=La7KLwM1JNht8bOv&t=1463",
            "https://www.youtube.com/live/I2ZmAPI3e_Q?si=x",
            "https://www.youtube.com/embed/I2ZmAPI3e_Q",
            "https://www.youtube.com/embed/I2ZmAPI3e_Q/",
            "//www.youtube.com/watch?v=I2ZmAPI3e_Q",
            " https://www.youtube.com/watch?v=I2ZmAPI3e_Q\n",
        ] {
            assert_eq!(id_of(link), id, "{link}");
        }
    }

    #[test]
    fn the_urls_made_hold_only_the_id() {
        let video = Video::from_link("https://youtu.be/I2ZmAPI3e_Q?t=99").unwrap();
        assert_eq!(video.id(), "I2ZmAPI3e_Q");
        assert_eq!(
            video.url_at(725),
            "https://www.youtube.com/watch?v=I2ZmAPI3e_Q&t=725s"
        );
        assert_eq!(
            video.embed_url(),
            "https://www.youtube-nocookie.com/embed/I2ZmAPI3e_Q?enablejsapi=1&rel=0"
        );
    }

    // Issue 24: timestamps of an episode without audio now lead to the video its link names.
    // A link that only looks like YouTube's must never become a video: the page would send
    // readers, at every timestamp, to a host the author never named.
    #[test]
    fn look_alikes_and_hostile_links_are_no_video() {
        for link in [
            "javascript:alert(1)//youtube.com/watch?v=I2ZmAPI3e_Q",
            "javascript://www.youtube.com/watch?v=I2ZmAPI3e_Q",
            "data:text/html,https://youtu.be/I2ZmAPI3e_Q",
            "https://youtube.com.evil.example/watch?v=I2ZmAPI3e_Q",
            "https://evil.example/youtube.com/watch?v=I2ZmAPI3e_Q",
            "https://evil.example/?u=https://youtu.be/I2ZmAPI3e_Q",
            "https://notyoutube.com/watch?v=I2ZmAPI3e_Q",
            "https://www.youtube.com.evil.example/embed/I2ZmAPI3e_Q",
            "https://youtu.be.evil.example/I2ZmAPI3e_Q",
            "https://www.youtube.com@evil.example/watch?v=I2ZmAPI3e_Q",
            "https://evil.example\\@www.youtube.com/watch?v=I2ZmAPI3e_Q",
            "https://user@www.youtube.com/watch?v=I2ZmAPI3e_Q",
            "https://www.youtube.com:8443/watch?v=I2ZmAPI3e_Q",
            "ftp://www.youtube.com/watch?v=I2ZmAPI3e_Q",
            "http://web.archive.org/web/2017/https://www.youtube.com/watch?v=I2ZmAPI3e_Q",
            "/watch?v=I2ZmAPI3e_Q",
            "watch?v=I2ZmAPI3e_Q",
        ] {
            assert_eq!(id_of(link), None, "{link}");
        }
    }

    #[test]
    fn only_an_eleven_character_id_of_the_right_letters_counts() {
        for link in [
            "https://www.youtube.com/watch?v=I2ZmAPI3e_",
            "https://www.youtube.com/watch?v=I2ZmAPI3e_QX",
            "https://www.youtube.com/watch?v=",
            "https://www.youtube.com/watch?list=PLgO7JBj821uGZTXEXBLckChu70kl7Celh",
            "https://www.youtube.com/watch?v=I2ZmAPI3e%22Q",
            "https://www.youtube.com/watch?v=I2ZmAPI3e%3CQ",
            "https://www.youtube.com/watch?v=I2ZmAPI3%C3%A9Q",
            "https://youtu.be/",
            "https://youtu.be/I2ZmAPI3e_Q/extra",
            "https://www.youtube.com/I2ZmAPI3e_Q",
            "https://www.youtube.com/channel/UCI2ZmAPI3e_Q",
            "https://www.youtube.com/playlist?list=I2ZmAPI3e_Q",
            "https://www.youtube.com/shorts/I2ZmAPI3e_Q",
            "https://www.youtube.com/live/I2ZmAPI3e_Q/more",
            "https://m.youtube.com/watch/I2ZmAPI3e_Q",
        ] {
            assert_eq!(id_of(link), None, "{link}");
        }
    }
}
