//! The preview server: the site from memory, with a live-reload script in every HTML page.
//!
//! Only `serve` injects the script; `build` output never has it. Paths are matched against the
//! pages in memory after percent-decoding, and any path with `..`, a backslash or a NUL byte is
//! a 404, so nothing outside the site can be asked for.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use super::session::Pages;

/// Where the live-reload script and its event stream live; no site path starts with `__`.
pub const EVENTS: &str = "/__verbatim/events";
pub const SCRIPT: &str = "/__verbatim/live.js";

const LIVE_RELOAD: &str = include_str!("live.js");

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Live {
    /// The site changed: reload.
    Reload,
    /// The last rebuild failed: show this over the page.
    Failed(String),
}

/// What the server shares with the rebuild loop.
pub struct Shared {
    pub pages: RwLock<Arc<Pages>>,
    /// The error of the last rebuild, shown to pages that open while it stands.
    pub error: RwLock<Option<String>>,
    pub events: broadcast::Sender<Live>,
    /// `/` or `/archive/`: where the site lives, as on its real host.
    pub base_path: String,
}

impl Shared {
    pub fn new(pages: Arc<Pages>, base_path: String) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            pages: RwLock::new(pages),
            error: RwLock::new(None),
            events,
            base_path,
        })
    }

    /// Publishes a new site and tells every open page to reload.
    pub fn publish(&self, pages: Arc<Pages>) {
        *self.pages.write().unwrap_or_else(|e| e.into_inner()) = pages;
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        let _ = self.events.send(Live::Reload);
    }

    /// Serves `pages` from now on without reloading open pages: for files no page shows, such
    /// as the search index.
    pub fn publish_quietly(&self, pages: Arc<Pages>) {
        *self.pages.write().unwrap_or_else(|e| e.into_inner()) = pages;
    }

    /// Keeps the last good site and shows the error on every open page.
    pub fn fail(&self, message: String) {
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
        let _ = self.events.send(Live::Failed(message));
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(SCRIPT, get(script))
        .fallback(get(page))
        .with_state(shared)
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_RELOAD,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let current = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .map(Live::Failed);
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|event| event.ok());
    let stream = tokio_stream::iter(current)
        .chain(updates)
        .map(|live| Ok(to_event(live)));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn to_event(live: Live) -> Event {
    match live {
        Live::Reload => Event::default().event("reload").data("reload"),
        Live::Failed(message) => Event::default().event("failed").data(message),
    }
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let pages = Arc::clone(&shared.pages.read().unwrap_or_else(|e| e.into_inner()));
    match resolve(&pages, &shared.base_path, uri.path()) {
        Found::File(key) => respond(StatusCode::OK, &key, &pages[&key]),
        Found::Redirect(to) => redirect(&to),
        Found::Missing => match pages.get(crate::render::links::NOT_FOUND) {
            Some(body) => respond(StatusCode::NOT_FOUND, "404.html", body),
            None => (StatusCode::NOT_FOUND, "not found").into_response(),
        },
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Found {
    File(String),
    Redirect(String),
    Missing,
}

/// Which file of the site a request path means.
fn resolve(pages: &Pages, base_path: &str, raw: &str) -> Found {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Found::Missing;
    };
    let unsafe_path = path.contains('\0')
        || path.contains('\\')
        || path
            .split('/')
            .any(|segment| segment == ".." || segment == ".");
    if unsafe_path {
        return Found::Missing;
    }
    if path == "/" && base_path != "/" {
        return Found::Redirect(base_path.to_string());
    }
    if format!("{path}/") == base_path {
        return Found::Redirect(base_path.to_string());
    }
    let Some(inside) = path.strip_prefix(base_path) else {
        return Found::Missing;
    };
    if inside.starts_with('/') {
        return Found::Missing;
    }
    let key = if inside.is_empty() || inside.ends_with('/') {
        format!("{inside}index.html")
    } else {
        inside.to_string()
    };
    if pages.contains_key(&key) {
        return Found::File(key);
    }
    if pages.contains_key(&format!("{inside}/index.html")) {
        return Found::Redirect(format!("{path}/"));
    }
    Found::Missing
}

fn respond(status: StatusCode, key: &str, body: &Arc<[u8]>) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html {
        Body::from(with_live_reload(body))
    } else {
        Body::from(body.to_vec())
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn redirect(to: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::FOUND;
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The page with the live-reload script before `</body>`.
fn with_live_reload(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Pages {
        ["index.html", "show/ep/index.html", "style.css", "404.html"]
            .iter()
            .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
            .collect()
    }

    #[test]
    fn paths_resolve_to_files_under_the_base_path() {
        let p = pages();
        assert_eq!(resolve(&p, "/", "/"), Found::File("index.html".into()));
        assert_eq!(
            resolve(&p, "/", "/show/ep/"),
            Found::File("show/ep/index.html".into())
        );
        assert_eq!(
            resolve(&p, "/", "/show/ep"),
            Found::Redirect("/show/ep/".into())
        );
        assert_eq!(
            resolve(&p, "/", "/style.css"),
            Found::File("style.css".into())
        );
        assert_eq!(
            resolve(&p, "/archive/", "/archive/show/ep/"),
            Found::File("show/ep/index.html".into())
        );
        assert_eq!(
            resolve(&p, "/archive/", "/"),
            Found::Redirect("/archive/".into())
        );
        assert_eq!(
            resolve(&p, "/archive/", "/archive"),
            Found::Redirect("/archive/".into())
        );
        assert_eq!(resolve(&p, "/archive/", "/show/ep/"), Found::Missing);
        assert_eq!(resolve(&p, "/", "/nope/"), Found::Missing);
    }

    #[test]
    fn traversal_is_refused() {
        let p = pages();
        for path in [
            "/../etc/passwd",
            "/show/../style.css",
            "/%2e%2e/etc/passwd",
            "/show/%2E%2E/style.css",
            "//etc/passwd",
            "/a\\..\\b",
            "/%00",
        ] {
            assert_eq!(resolve(&p, "/", path), Found::Missing, "{path}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = with_live_reload(b"<html><body><p>hi</p></body></html>");
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with("<script src=\"/__verbatim/live.js\" defer></script></body></html>"));
    }
}
