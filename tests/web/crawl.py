#!/usr/bin/env python3
"""Crawls built sites over real HTTP, served under the path of their base URL, and checks every link.

Usage: python3 crawl.py [--known known-broken.txt] SITE_DIR BASE_URL [SITE_DIR BASE_URL ...]

A site built with `--base-url https://host/archive/` is served from 127.0.0.1 under `/archive/`
only: anything outside that path answers 404, as it would on a host where the archive shares the
domain with other things. The crawl starts at the base path and at robots.txt, sitemap.xml and
atom.xml, and follows every internal URL it finds: href, src, srcset, poster, data and action in
HTML, the OpenGraph and Twitter URLs, the URLs in JSON-LD, the `Sitemap:` lines of robots.txt, and
in XML (sitemaps, RSS and Atom feeds) the link, loc and url elements and the url, href, img, src
attributes (enclosures, podcast:transcript, podcast:chapters, atom links).

A URL is internal when it is relative or names the base URL's host. Every internal URL must answer
200 (a folder without its trailing slash answers 301, which counts as broken; a query string is
ignored, as a static host ignores it), must stay under the base path, and a `#fragment` on an HTML
page must name an element's id or an `<a name>` there. As in a browser, an empty fragment (`#`
alone) and `#top` mean the top of the page. Fragments on other files (media fragments such as
`#t=30`) are not checked, nor is an `@id` in JSON-LD, which names a thing rather than a place on
the page. Audio and video the publisher hosts (an absolute URL in an audio or video element, an
enclosure, og:audio, or a URL ending in a media extension) is not part of the built site: it is
counted, not fetched. Each page (but the 404 page) must have a canonical link to its own URL, the
same og:url, and a rel=alternate link to an Atom feed. A missing path answers 404 with the site's
`404.html`, as static hosts serve it: the crawl reads it at a path several folders deep, where its
links must work too.

Each URL is fetched once; HTML pages are parsed in a pool of processes.
"""

import concurrent.futures
import http.client
import http.server
import json
import mimetypes
import os
import posixpath
import queue
import re
import sys
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

MEDIA_EXTENSIONS = (".mp3", ".m4a", ".m4b", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac",
                    ".mp4", ".m4v", ".webm", ".mov")
META_URLS = {"og:url", "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:url",
             "og:audio", "og:audio:url", "og:audio:secure_url", "og:video", "og:video:url", "og:video:secure_url"}
URL_ATTRS = {"href", "src", "poster", "data", "action", "srcset", "imagesrcset"}
SKIPPED_RELS = {"preconnect", "dns-prefetch"}
XML_TEXT_URLS = {"link", "loc", "url", "icon", "logo"}
XML_ATTR_URLS = ("url", "href", "img", "src", "uri")
SEEDS = ("", "robots.txt", "sitemap.xml", "atom.xml")
MISSING = "not/a/page/of/this/site/"  # fetched to read the 404 page as a host serves it


# --- The server: the site folder under one path, nothing else ---------------------------------

def make_server(root, prefix):
    """A threaded HTTP server on a free port of 127.0.0.1 that serves `root` under `prefix` only."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once: no delayed-ACK stall per request
        wbufsize = 1 << 16

        def do_GET(self):
            path = urlsplit(self.path).path
            if not path.startswith(prefix):
                return self.answer(404, b"outside the site\n")
            rel = unquote(path[len(prefix):])
            if rel and (posixpath.normpath("/" + rel) != "/" + rel.rstrip("/") or "\\" in rel):
                return self.answer(404, b"not a clean path\n")
            target = root / rel
            if target.is_dir():
                if not path.endswith("/"):
                    return self.answer(301, b"", {"Location": path + "/"})
                target = target / "index.html"
            if not target.is_file():
                # As static hosts do, and as the site's 404 page expects: its links must work
                # from any depth.
                missing = root / "404.html"
                if missing.is_file():
                    return self.answer(404, missing.read_bytes(), {"Content-Type": "text/html"})
                return self.answer(404, b"not found\n")
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self.answer(200, target.read_bytes(), {"Content-Type": kind})

        def answer(self, status, body, headers=None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- Reading a fetched document: its ids and the URLs it names ------------------------------

class Page(HTMLParser):
    """Collects ids, `<a name>`s, the canonical link and every URL of an HTML page."""

    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.base = url
        self.ids = set()
        self.urls = []  # (url as written, absolute url, flags) with flags a set of "media", "no-fragment"
        self.canonical = None
        self.og_url = None
        self.feeds = set()   # the types of the feeds the page names with rel="alternate"
        self.json_ld_blocks = 0
        self.joined = {}  # url as written → absolute: pages repeat the same links many times
        self.media_depth = 0
        self.json_ld = None
        self.problems = []

    def add(self, raw, flags=()):
        raw = raw.strip()
        if not raw:
            return
        absolute = self.joined.get(raw)
        if absolute is None:
            absolute = self.joined[raw] = urljoin(self.base, raw)
        self.urls.append((raw, absolute, set(flags)))

    def handle_starttag(self, tag, attrs):
        if tag in ("audio", "video"):
            self.media_depth += 1
        if not attrs:
            return
        a = {name: value or "" for name, value in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "base" and "href" in a:
            self.base = urljoin(self.base, a["href"])
            self.joined = {}
            return
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & SKIPPED_RELS:
                return
            if "canonical" in rels:
                self.canonical = urljoin(self.base, a.get("href", ""))
            if "alternate" in rels and a.get("type", "").endswith("+xml"):
                self.feeds.add(a["type"])
        media = tag in ("audio", "video") or (tag == "source" and self.media_depth > 0)
        for name in URL_ATTRS.intersection(a):
            if name in ("srcset", "imagesrcset"):
                for candidate in re.split(r",\s+", a[name].strip()):
                    if candidate:
                        self.add(candidate.split()[0])
            elif name != "action" or tag == "form":
                self.add(a[name], ["media"] if media and name == "src" else [])
        if tag == "meta":
            self.meta(a)
        if tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.json_ld = []

    def meta(self, a):
        key = (a.get("property") or a.get("name") or "").lower()
        if key == "og:url":
            self.og_url = urljoin(self.base, a.get("content", ""))
        if key in META_URLS and a.get("content"):
            self.add(a["content"], ["media"] if key.startswith(("og:audio", "og:video")) else [])
        if a.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.I)
            if match:
                self.add(match.group(1))

    def handle_endtag(self, tag):
        if tag in ("audio", "video") and self.media_depth:
            self.media_depth -= 1
        if tag == "script" and self.json_ld is not None:
            self.read_json_ld("".join(self.json_ld))
            self.json_ld = None

    def handle_data(self, data):
        if self.json_ld is not None:
            self.json_ld.append(data)

    def read_json_ld(self, text):
        try:
            data = json.loads(text)
        except ValueError as error:
            self.problems.append(f"JSON-LD is not JSON: {error}")
            return
        self.json_ld_blocks += 1
        self.walk_json_ld(data, None)

    def walk_json_ld(self, value, key):
        if isinstance(value, dict):
            for k, v in value.items():
                self.walk_json_ld(v, k)
        elif isinstance(value, list):
            for v in value:
                self.walk_json_ld(v, key)
        elif isinstance(value, str) and re.match(r"https?://", value):
            flags = []
            if key == "@id":
                flags.append("no-fragment")
            if key in ("contentUrl", "embedUrl"):
                flags.append("media")
            self.add(value, flags)


def read_xml(url, body):
    """The URLs an XML document names: sitemaps, RSS and Atom feeds."""
    root = ET.fromstring(body)
    urls = []
    for parent in root.iter():
        for element in parent:
            local = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
            text = (element.text or "").strip()
            if local in XML_TEXT_URLS and text and len(element) == 0:
                urls.append(text)
            if local == "guid" and element.get("isPermaLink", "true") != "false" and re.match(r"https?://", text):
                urls.append(text)
            media = local in ("enclosure", "content", "source") or (
                local == "link" and element.get("rel") == "enclosure")
            for name in XML_ATTR_URLS:
                if element.get(name):
                    urls.append((element.get(name), media))
    out = []
    for item in urls:
        raw, media = item if isinstance(item, tuple) else (item, False)
        out.append((raw, urljoin(url, raw.strip()), {"media"} if media else set()))
    return out


def read_robots(url, body):
    lines = body.decode("utf-8", "replace").splitlines()
    found = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
    problems = [] if found else ["robots.txt has no Sitemap: line"]
    return [(raw, urljoin(url, raw), set()) for raw in found], problems


# --- Fetching, in a worker process ---------------------------------------------------------------

_connections = {}  # port → the worker's keep-alive connection to that server


def fetch(port, path, public_url, expected=200):
    """GETs one path from the local server and reads what it names. Runs in a worker process."""
    for attempt in (1, 2):
        try:
            if port not in _connections:
                _connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            _connections[port].request("GET", path)
            response = _connections[port].getresponse()
            body = response.read()
            break
        except (http.client.HTTPException, OSError):
            _connections.pop(port).close()
            if attempt == 2:
                raise
    result = {"status": response.status, "location": response.getheader("Location"), "html": False,
              "ids": None, "urls": [], "canonical": None, "problems": [], "head": None}
    if response.status != expected:
        return result
    kind = (response.getheader("Content-Type") or "").split(";")[0].strip()
    try:
        if kind == "text/html":
            page = Page(public_url)
            page.feed(body.decode("utf-8"))
            page.close()
            head = {"og:url": page.og_url, "feeds": page.feeds, "json-ld": page.json_ld_blocks}
            result.update(html=True, ids=page.ids, urls=page.urls, canonical=page.canonical,
                          problems=page.problems, head=head)
        elif kind.endswith("xml") or path.endswith(".xml"):
            result["urls"] = read_xml(public_url, body)
        elif path.endswith("/robots.txt"):
            result["urls"], result["problems"] = read_robots(public_url, body)
    except (ValueError, ET.ParseError) as error:
        result["problems"].append(f"cannot be read: {error}")
    return result


# --- The crawl ----------------------------------------------------------------------------------

class Crawl:
    def __init__(self, folder, base_url, pool, known):
        self.folder = Path(folder)
        parts = urlsplit(base_url)
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.host = parts.netloc.lower()
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.pool = pool
        self.results = {}   # key → fetch result
        self.links = []     # (source page, url as written, key, fragment)
        self.broken = {}    # (url as written or key, why) → [source pages]
        self.counts = {"media": 0, "external": 0, "json-ld": 0}
        self.known = known  # {(page path under the base URL, url as written)}: broken in the source text
        self.known_seen = set()

    def internal(self, absolute):
        parts = urlsplit(absolute)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == self.host

    def key(self, absolute):
        """The file a URL names: a static host serves the same file whatever the query string."""
        return unquote(urlsplit(absolute).path)

    def expected(self, key):
        return 404 if key == self.prefix + MISSING else 200

    def fail(self, what, why, source):
        page = source[len(self.base_url):] if source.startswith(self.base_url) else source
        if (page, what) in self.known:
            self.known_seen.add((page, what))
        else:
            self.broken.setdefault((what, why), []).append(source)

    def run(self):
        server = make_server(self.folder.resolve(), self.prefix)
        self.port = server.server_address[1]
        self.done = queue.SimpleQueue()
        self.pending = 0
        try:
            for seed in SEEDS + (MISSING,):
                self.follow("(seed)", seed, self.base_url + seed, set())
            while self.pending:
                key, future = self.done.get()
                self.pending -= 1
                self.absorb(key, future)
        finally:
            server.shutdown()
            server.server_close()
        self.check_links()

    def follow(self, source, raw, absolute, flags):
        if not self.internal(absolute):
            self.counts["external"] += 1
            return
        parts = urlsplit(absolute)
        if "media" in flags or parts.path.lower().endswith(MEDIA_EXTENSIONS):
            self.counts["media"] += 1
            return
        if not parts.path.startswith(self.prefix):
            self.fail(raw, f"leaves {self.prefix}", source)
            return
        key = self.key(absolute)
        fragment = None if "no-fragment" in flags else parts.fragment if "#" in absolute else None
        self.links.append((source, raw, key, fragment))
        if key not in self.results:
            self.results[key] = None
            path = quote(key, safe="/:@!$&'()*+,;=-._~")
            public = self.origin + path
            future = self.pool.submit(fetch, self.port, path, public, self.expected(key))
            future.add_done_callback(lambda done, key=key: self.done.put((key, done)))
            self.pending += 1

    def absorb(self, key, future):
        page = self.origin + quote(key, safe="/:@!$&'()*+,;=-._~")
        try:
            result = future.result()
        except (http.client.HTTPException, OSError) as error:
            result = {"status": f"no answer ({error})", "location": None, "html": False, "ids": None,
                      "urls": [], "canonical": None, "problems": [], "head": None}
        self.results[key] = result
        for problem in result["problems"]:
            self.fail(page, problem, page)
        if result["html"] and result["status"] == 200:
            self.check_head(page, key, result)
        for raw, absolute, flags in result["urls"]:
            self.follow(page, raw, absolute, flags)
        result["urls"] = None

    def check_head(self, page, key, result):
        """What is read of a page away from the site: its canonical URL, feeds, link previews."""
        canonical, head = result["canonical"], result["head"]
        if canonical is None:
            self.fail(page, "no canonical link", page)
        elif not self.internal(canonical) or self.key(canonical) != key:
            self.fail(canonical, f"canonical link of {page} names another page", page)
        if head["og:url"] is None or head["og:url"] != canonical:
            self.fail(page, f"og:url {head['og:url']!r} is not the canonical URL", page)
        if "application/atom+xml" not in head["feeds"]:
            self.fail(page, "no rel=alternate Atom feed", page)
        self.counts["json-ld"] += head["json-ld"] > 0

    def check_links(self):
        self.anchors = set()
        for source, raw, key, fragment in self.links:
            result = self.results[key]
            if result["status"] != self.expected(key):
                where = f" → {result['location']}" if result["location"] else ""
                self.fail(raw, f"answers {result['status']}{where}", source)
            elif fragment and result["html"] and fragment.lower() != "top":
                self.anchors.add((key, fragment))
                if fragment not in result["ids"] and unquote(fragment) not in result["ids"]:
                    self.fail(raw, f"no id {unquote(fragment)!r} on {key}", source)

    def report(self):
        pages = sum(1 for r in self.results.values() if r and r["html"])
        missing = self.results.get(self.prefix + MISSING)
        not_found = "the 404 page at a missing path" if missing and missing["html"] else "no 404 page"
        broken = sum(len(sources) for sources in self.broken.values())
        known = f" ({len(self.known_seen)} known, broken in the source text)" if self.known_seen else ""
        print(f"crawl {self.base_url} ({self.folder.name}): {pages} pages crawled (with {not_found}; "
              f"{self.counts['json-ld']} with JSON-LD), "
              f"{len(self.results)} URLs checked ({len(self.links)} links), {len(self.anchors)} anchors checked, "
              f"{self.counts['media']} publisher media and {self.counts['external']} external URLs not fetched, "
              f"{broken} broken{known}")
        for (what, why), sources in sorted(self.broken.items())[:20]:
            more = f" (and {len(sources) - 1} more pages)" if len(sources) > 1 else ""
            origin = "" if sources[0] == what else f"; linked from {sources[0]}{more}"
            print(f"  broken: {what}: {why}{origin}")
        if len(self.broken) > 20:
            print(f"  … and {len(self.broken) - 20} more broken URLs")
        for page, what in sorted(self.known - self.known_seen):
            if (self.folder / page / "index.html").is_file():
                print(f"  note: known-broken.txt: {what} on {page} is not broken here: drop the line?")
        return broken == 0


def read_known(path):
    """`known-broken.txt`: a page's path under the base URL and a link as written, one pair a line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {tuple(line.split(None, 1)) for line in lines if line.strip() and not line.startswith("#")}


def main(args):
    known = set()
    if args[:1] == ["--known"]:
        known, args = read_known(args[1]), args[2:]
    if not args or len(args) % 2:
        sys.exit(__doc__.split("\n\n")[1])
    ok = True
    workers = max(2, os.cpu_count() or 2)
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        for folder, base_url in zip(args[::2], args[1::2]):
            crawl = Crawl(folder, base_url, pool, known)
            crawl.run()
            ok = crawl.report() and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
