//! `verbatim serve` for real: a server process on a free port, fetched over HTTP, with files
//! changed under it.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{copy_dir, episode, Site};

/// A running `verbatim serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    address: String,
}

impl Server {
    fn start(site: &Site) -> Server {
        Server::spawn(site, Command::new(env!("CARGO_BIN_EXE_verbatim")))
    }

    /// A server that may have at most `files` files open at once, as under `ulimit -n`.
    #[cfg(unix)]
    fn start_with_file_limit(site: &Site, files: u32) -> Server {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_verbatim"));
        Server::spawn(site, command)
    }

    fn spawn(site: &Site, mut command: Command) -> Server {
        let mut child = command
            .arg("--root")
            .arg(site.root())
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start verbatim serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the server says where it is");
        // Keep reading what it prints: with the pipe closed, its next line (a rebuild's report)
        // would fail, and the rebuilds with it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        Server { child, address }
    }

    /// Status, headers and body of a GET of `path`, sent exactly as written.
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream =
            TcpStream::connect_timeout(&self.socket(), Duration::from_secs(10)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_lowercase(), body.to_string())
    }

    fn socket(&self) -> SocketAddr {
        self.address.parse().expect("a socket address")
    }

    /// An open live-reload event stream.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "GET /__verbatim/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        Events {
            stream,
            seen: String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Waits up to 10 s for an event named `name`; returns its data.
    fn wait_for(&mut self, name: &str) -> String {
        let marker = format!("event: {name}\ndata: ");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut buffer = [0u8; 4096];
        loop {
            if let Some(start) = self.seen.find(&marker) {
                let rest = &self.seen[start + marker.len()..];
                if let Some(end) = rest.find("\n\n") {
                    let data = rest[..end].to_string();
                    self.seen = rest[end..].to_string();
                    return data;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{name}` event; saw {:?}",
                self.seen
            );
            if let Ok(n) = self.stream.read(&mut buffer) {
                self.seen
                    .push_str(&String::from_utf8_lossy(&buffer[..n]).replace("\r\n", "\n"));
            }
        }
    }
}

fn small_site() -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", "---\ntitle: The Show\n---\n");
    site.write(
        "content/show/one.md",
        episode("title: One\nspeakers: [Ann]", "**Ann:** The first words.\n"),
    );
    site.write(
        "content/show/two.md",
        episode("title: Two\nspeakers: [Ann]", "**Ann:** More words.\n"),
    );
    site
}

#[test]
fn pages_come_with_the_live_reload_script_and_the_right_types() {
    let site = small_site();
    let server = Server::start(&site);
    let (status, head, body) = server.get("/show/one/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("The first words."));
    assert!(
        body.contains("<script src=\"/__verbatim/live.js\""),
        "serve injects the script"
    );
    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, head, _) = server.get("/__verbatim/live.js");
    assert_eq!(status, 200);
    assert!(head.contains("javascript"), "{head}");
    let (status, head, _) = server.get("/show/one");
    assert_eq!(status, 302);
    assert!(head.contains("location: /show/one/"), "{head}");
    assert!(
        !site.exists("index.html"),
        "serve writes nothing to public/"
    );
}

#[test]
fn a_missing_page_is_the_sites_404_and_traversal_is_refused() {
    let site = small_site();
    site.write("secret.txt", "do not serve");
    let server = Server::start(&site);
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's own 404.html");
    for path in [
        "/../secret.txt",
        "/show/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/show/..\\..\\secret.txt",
        "/site.toml",
        "/content/show/one.md",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("do not serve") && !body.contains("title ="),
            "{path} leaked a file"
        );
    }
}

#[test]
fn an_edit_reloads_open_pages_with_the_new_text() {
    let site = small_site();
    let server = Server::start(&site);
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/show/one.md",
        episode(
            "title: One\nspeakers: [Ann]",
            "**Ann:** Words changed on disk.\n",
        ),
    );
    events.wait_for("reload");
    let (_, _, body) = server.get("/show/one/");
    assert!(
        body.contains("Words changed on disk."),
        "the page has the new text"
    );
    let (_, _, speaker) = server.get("/speakers/ann/");
    assert!(
        speaker.contains("Words changed on disk."),
        "the speaker's excerpt too"
    );
}

#[test]
fn a_broken_file_shows_in_the_browser_and_the_last_good_site_stays() {
    let site = small_site();
    let server = Server::start(&site);
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    site.write("content/show/one.md", "---\ntitle: [unclosed\n---\n");
    let error = events.wait_for("failed");
    assert!(error.contains("content/show/one.md:2:"), "{error}");
    let (status, _, body) = server.get("/show/one/");
    assert_eq!(status, 200);
    assert!(
        body.contains("The first words."),
        "the last good page is still served"
    );
    let mut late = server.events();
    assert!(
        late.wait_for("failed").contains("one.md"),
        "a page opened now sees the error too"
    );
    site.write(
        "content/show/one.md",
        episode("title: One\nspeakers: [Ann]", "**Ann:** Fixed.\n"),
    );
    events.wait_for("reload");
    assert!(server.get("/show/one/").2.contains("Fixed."));
}

#[test]
fn a_template_change_rerenders_every_page() {
    let site = small_site();
    let server = Server::start(&site);
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "templates/speakers.html",
        "{% extends \"base.html\" %}{% block content %}<p>custom speakers</p>{% endblock content %}",
    );
    events.wait_for("reload");
    assert!(server.get("/speakers/").2.contains("custom speakers"));
}

#[test]
fn a_site_under_a_sub_path_is_previewed_under_it() {
    let site = small_site();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://host.example/archive/\"\n",
    );
    let server = Server::start(&site);
    let (status, head, _) = server.get("/");
    assert_eq!(status, 302);
    assert!(head.contains("location: /archive/"), "{head}");
    assert_eq!(server.get("/archive/").0, 200);
    assert_eq!(server.get("/archive/show/one/").0, 200);
    assert_eq!(server.get("/show/one/").0, 404);
}

#[test]
fn many_tabs_and_a_reload_storm_do_not_break_it() {
    let site = small_site();
    let server = Server::start(&site);
    let mut tabs: Vec<Events> = (0..20).map(|_| server.events()).collect();
    std::thread::sleep(Duration::from_millis(300));
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(server.get("/show/one/").0, 200);
                }
            });
        }
        site.write(
            "content/show/two.md",
            episode("title: Two\nspeakers: [Ann]", "**Ann:** Storm.\n"),
        );
    });
    for tab in &mut tabs {
        tab.wait_for("reload");
    }
    assert!(server.get("/show/two/").2.contains("Storm."));
}

/// Issue 21: after `content/` was moved away and back (a `git checkout` of another branch
/// does much the same), serve never saw another edit: the watch followed the folder that had
/// gone, nothing watched the one that came back, and the site stayed stale. While `content/`
/// is missing, the page shows that as an error, instead of the old site staying up silently.
#[test]
fn content_moved_away_and_back_is_watched_again() {
    let site = small_site();
    let server = Server::start(&site);
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let content = site.root().join("content");
    let away = site.root().join("content-away");
    fs::rename(&content, &away).unwrap();
    let error = events.wait_for("failed");
    assert!(error.contains("content: error: not found"), "{error}");
    fs::rename(&away, &content).unwrap();
    events.wait_for("reload");
    site.write(
        "content/show/one.md",
        episode(
            "title: One\nspeakers: [Ann]",
            "**Ann:** Edited after the move.\n",
        ),
    );
    events.wait_for("reload");
    assert!(server
        .get("/show/one/")
        .2
        .contains("Edited after the move."));
}

/// Issue 21, as `rm -rf content` and a copy back: the new folder was never watched.
#[test]
fn content_deleted_and_restored_is_watched_again() {
    let site = small_site();
    let saved = tempfile::tempdir().unwrap();
    let content = site.root().join("content");
    copy_dir(&content, saved.path());
    let server = Server::start(&site);
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    fs::remove_dir_all(&content).unwrap();
    assert!(events.wait_for("failed").contains("content: error"));
    copy_dir(saved.path(), &content);
    events.wait_for("reload");
    assert!(server.get("/show/one/").2.contains("The first words."));
    site.write(
        "content/show/two.md",
        episode(
            "title: Two\nspeakers: [Ann]",
            "**Ann:** Edited after the restore.\n",
        ),
    );
    events.wait_for("reload");
    assert!(server
        .get("/show/two/")
        .2
        .contains("Edited after the restore."));
}

/// A show folder moved into `content/` whole (a checkout, a copy made elsewhere) was never
/// built: its files were there before any watch of the new folder began, so no event named
/// them, and the folder's own event asked for nothing.
#[test]
fn a_show_folder_moved_into_content_is_built() {
    let site = small_site();
    site.write("incoming/news/_index.md", "---\ntitle: News\n---\n");
    site.write(
        "incoming/news/first.md",
        episode("title: First\nspeakers: [Ann]", "**Ann:** Breaking.\n"),
    );
    let server = Server::start(&site);
    let mut events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let root = site.root();
    fs::rename(root.join("incoming/news"), root.join("content/news")).unwrap();
    events.wait_for("reload");
    let (status, _, body) = server.get("/news/first/");
    assert_eq!(status, 200);
    assert!(body.contains("Breaking."));
}

/// Issue 21: 1,100 connections that sent nothing stopped serve answering anyone. Nothing closed
/// them, so they held every file descriptor the process may open, and no connection was
/// accepted after them. Here the server may open 256 files (a desktop's default is 1,024; fewer
/// make a lighter test) and 300 connections send nothing or half a request line: a GET after
/// them is answered within seconds.
#[cfg(unix)]
#[test]
fn idle_connections_do_not_stop_the_server_answering() {
    let site = small_site();
    let server = Server::start_with_file_limit(&site, 256);
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|i| {
            let mut stream =
                TcpStream::connect_timeout(&server.socket(), Duration::from_secs(2)).ok()?;
            if i % 2 == 0 {
                let _ = stream.write_all(b"GET /show/one/ HT");
            }
            Some(stream)
        })
        .collect();
    let started = Instant::now();
    let (status, _, body) = server.get("/show/one/");
    assert_eq!(status, 200);
    assert!(body.contains("The first words."));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered after {:?}",
        started.elapsed()
    );
    drop(idle);
}
