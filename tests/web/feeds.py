#!/usr/bin/env python3
"""Reads every feed of built sites with the parsers podcast apps and feed readers use.

Usage: python3 feeds.py SITE_DIR BASE_URL [SITE_DIR BASE_URL ...] [--same-ids SITE_DIR SITE_DIR]...

For each site: every `.xml` file is well-formed; every `feed.xml` (podcast RSS) and `atom.xml` is
read by feedparser without complaint (`bozo`), and the RSS feeds by podcastparser (gPodder's parser)
too; what each parser reads of every item (title, link, guid, enclosure, date, duration) must be
what the XML says, read plainly with ElementTree. Guids are unique in a feed. Each RSS item
links to an episode page of the site whose `<audio>` plays the enclosure's URL; its
podcast:transcript and podcast:chapters name the transcript files beside that page, every one of
them, with the right type. A show has a feed exactly when one of its episode pages has audio, with
one item per such page. Atom entries link to pages (and turns) that exist. The sitemap lists every
page but the 404 page (and those marked noindex), by absolute URL under the base URL, each with a
lastmod unless the page has no date, and robots.txt points at it.

`--same-ids A B` compares two builds of one site with different base URLs: podcast apps and feed
readers know an episode by its guid or id, which must not change when the site moves.
"""

import datetime
import email.utils
import io
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import podcastparser

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
}
TRANSCRIPT_TYPES = {
    "transcript.vtt": {"text/vtt"},
    "transcript.srt": {"application/x-subrip", "application/srt"},
    "transcript.json": {"application/json"},
    "transcript.txt": {"text/plain"},
}
CHAPTERS_TYPE = "application/json+chapters"
RESERVED = {"speakers", "tags", "search", "pagefind", "page", "images"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AUDIO = re.compile(r"<audio\b.*?</audio>", re.S | re.I)


def noindex(page):
    """Whether a page asks robots to leave it out (`<meta name="robots" content="noindex">`)."""
    head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
    return re.search(r"""<meta\s+name=["']?robots["']?\s+content=["'][^"']*noindex""", head, re.I) is not None


class Problems(list):
    def add(self, where, message):
        self.append(f"{where}: {message}")

    def same(self, where, what, parser, got, expected):
        if got != expected:
            self.add(where, f"{parser} reads {what} as {got!r}, the XML says {expected!r}")


class Audio(HTMLParser):
    """The source of a page's audio player, and the ids of the page."""

    def __init__(self):
        super().__init__()
        self.src = None
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("audio", "source") and a.get("src") and self.src is None:
            self.src = a["src"]


class Site:
    def __init__(self, folder, base_url):
        self.folder = Path(folder)
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.problems = Problems()
        self.warnings = Problems()
        self.pages = {}
        self.counts = dict.fromkeys(["xml", "rss", "atom", "items", "enclosures", "entries", "guids",
                                     "transcripts", "chapters", "persons", "sitemap", "undated"], 0)

    # --- the site's files, by URL ----------------------------------------------------------

    def file(self, url):
        """The file an absolute URL under the base URL names, or None."""
        url = url.split("#")[0]
        if not url.startswith(self.base):
            return None
        rel = unquote(urlsplit(url).path[len(urlsplit(self.base).path):])
        path = self.folder / rel
        return path / "index.html" if rel == "" or rel.endswith("/") else path

    def url(self, page):
        rel = page.relative_to(self.folder).as_posix()
        return self.base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)

    def page(self, path):
        """The audio source (absolute) and the ids of an HTML page; read once."""
        if path not in self.pages:
            text = path.read_text(encoding="utf-8")
            ids = set(re.findall(r"""\bid=["']?([^"'\s>]+)""", text))
            player = AUDIO.search(text)
            src = None
            if player:
                parser = Audio()
                parser.feed(player.group(0))
                src = parser.src and urljoin(self.url(path), parser.src)
            self.pages[path] = (src, ids)
        return self.pages[path]

    def episode_pages(self):
        """Episode pages by show: `<show>/<episode>/index.html`, pagination aside."""
        shows = {}
        for show in sorted(p for p in self.folder.iterdir() if p.is_dir() and p.name not in RESERVED):
            if (show / "index.html").is_file():
                shows[show.name] = sorted(p / "index.html" for p in show.iterdir()
                                          if p.is_dir() and p.name != "page" and (p / "index.html").is_file())
        return shows

    # --- the checks --------------------------------------------------------------------------

    def check(self):
        for path in sorted(self.folder.rglob("*.xml")):
            try:
                ET.parse(path)
                self.counts["xml"] += 1
            except ET.ParseError as error:
                self.problems.add(path, f"not well-formed XML: {error}")
        if self.problems:
            return  # the feed checks below would only stumble on the same error
        for path in sorted(self.folder.rglob("feed.xml")):
            self.check_rss(path)
        for path in sorted(self.folder.rglob("atom.xml")):
            self.check_atom(path)
        self.check_shows()
        self.check_sitemap()

    def check_rss(self, path):
        self.counts["rss"] += 1
        data = path.read_bytes()
        channel = ET.fromstring(data).find("channel")
        items = channel.findall("item")
        self.check_channel(path, channel)
        parsed = feedparser.parse(data)
        if parsed.bozo:
            self.problems.add(path, f"feedparser: {parsed.bozo_exception}")
        apps = podcastparser.parse(self.url(path), io.BytesIO(data))
        for name, count in (("feedparser", len(parsed.entries)), ("podcastparser", len(apps["episodes"]))):
            if count != len(items):
                self.problems.add(path, f"{name} reads {count} items of {len(items)}")
        by_guid = {e["guid"]: e for e in apps["episodes"]}
        guids = [item.findtext("guid") for item in items]
        self.unique(path, guids)
        for item, entry in zip(items, parsed.entries):
            where = f"{path} item {item.findtext('guid')}"
            self.read_back_rss(where, item, entry, by_guid.get(item.findtext("guid")))
            self.check_item(where, item)

    def check_channel(self, path, channel):
        show = path.parent
        link = channel.findtext("link")
        if self.file(link or "") != show / "index.html":
            self.problems.add(path, f"channel link {link!r} is not the show page {self.url(show / 'index.html')}")
        if not UUID.match(channel.findtext("podcast:guid", "", NS)):
            self.problems.add(path, "no podcast:guid (a UUID)")
        if channel.findtext("itunes:explicit", "", NS) not in ("true", "false"):
            self.problems.add(path, "itunes:explicit is not true or false")
        if channel.findtext("itunes:type", "", NS) not in ("episodic", "serial"):
            self.problems.add(path, "itunes:type is not episodic or serial")
        if not channel.findtext("language"):
            self.problems.add(path, "no language")
        for name in ("itunes:image", "itunes:category", "itunes:author"):
            if channel.find(name, NS) is None:
                self.warnings.add(path, f"no {name} (Apple Podcasts asks for one)")
        image = channel.find("itunes:image", NS)
        if image is not None and not (image.get("href") or "").startswith(("http://", "https://")):
            self.problems.add(path, "itunes:image href is not an absolute URL")

    def read_back_rss(self, where, item, entry, app):
        title, link, guid = item.findtext("title"), item.findtext("link"), item.findtext("guid")
        enclosure = item.find("enclosure")
        duration = item.findtext("itunes:duration", None, NS)
        p = self.problems
        p.same(where, "the title", "feedparser", entry.get("title"), title)
        p.same(where, "the link", "feedparser", entry.get("link"), link)
        p.same(where, "the guid", "feedparser", entry.get("id"), guid)
        if item.find("guid").get("isPermaLink") != "false" or entry.get("guidislink"):
            p.add(where, "the guid is read as a permalink")
        p.same(where, "the duration", "feedparser", entry.get("itunes_duration"), duration)
        date = item.findtext("pubDate")
        when = email.utils.parsedate_to_datetime(date) if date else None
        utc = when and tuple(when.astimezone(datetime.timezone.utc).timetuple()[:6])
        if date and tuple((entry.get("published_parsed") or ())[:6]) != utc:
            p.add(where, f"feedparser reads pubDate {date!r} as {entry.get('published_parsed')}")
        written = [] if enclosure is None else [(enclosure.get("url"), enclosure.get("length"), enclosure.get("type"))]
        p.same(where, "the enclosures", "feedparser",
               [(e.get("href"), e.get("length"), e.get("type")) for e in entry.get("enclosures", [])], written)
        if app is None:
            p.add(where, "podcastparser has no episode with this guid")
            return
        p.same(where, "the title", "podcastparser", app.get("title"), title)
        p.same(where, "the link", "podcastparser", app.get("link"), link)
        # podcastparser reads a length of 0, which RSS allows for an unknown size, as -1.
        p.same(where, "the enclosures", "podcastparser",
               [(e["url"], str(max(e["file_size"], 0)), e["mime_type"]) for e in app["enclosures"]], written)
        if duration is not None:
            seconds = int(duration) if duration.isdigit() else duration
            p.same(where, "the duration", "podcastparser", app.get("total_time"), seconds)
        if date:
            p.same(where, "pubDate", "podcastparser", app.get("published"), int(when.timestamp()))
        if podcastparser.Namespace.NAMESPACES.get(NS["podcast"]) == "podcast":
            persons = [e.text for e in item.findall("podcast:person", NS)]
            p.same(where, "podcast:person", "podcastparser", [x["name"] for x in app.get("persons", [])], persons)

    def check_item(self, where, item):
        self.counts["items"] += 1
        link = item.findtext("link") or ""
        page = self.file(link)
        if page is None or not page.is_file() or not link.endswith("/"):
            self.problems.add(where, f"link {link!r} is not an episode page of the site")
            return
        enclosure = item.find("enclosure")
        if enclosure is None:
            self.problems.add(where, "no enclosure")
        else:
            self.counts["enclosures"] += 1
            src, _ = self.page(page)
            if enclosure.get("url") != src:
                self.problems.add(where, f"enclosure {enclosure.get('url')!r} is not what the page plays ({src!r})")
            length, kind = enclosure.get("length") or "", enclosure.get("type") or ""
            if not length.isdigit() or not kind.startswith(("audio/", "video/")):
                self.problems.add(where, f"enclosure length {enclosure.get('length')!r} type {enclosure.get('type')!r}")
        duration = item.findtext("itunes:duration", None, NS)
        if duration is not None and not duration.isdigit():
            self.problems.add(where, f"itunes:duration {duration!r} is not whole seconds")
        if item.findtext("pubDate") and email.utils.parsedate_to_datetime(item.findtext("pubDate")) is None:
            self.problems.add(where, "pubDate is not an RFC 822 date")
        self.check_files(where, item, page.parent)
        for person in item.findall("podcast:person", NS):
            self.counts["persons"] += 1
            target = self.file(person.get("href") or "")
            if not (person.text or "").strip() or (target is not None and not target.is_file()):
                self.problems.add(where, f"podcast:person {person.text!r} href {person.get('href')!r}")

    def check_files(self, where, item, folder):
        """podcast:transcript and podcast:chapters name the files beside the page, all of them."""
        named = {}
        for element in item.findall("podcast:transcript", NS) + item.findall("podcast:chapters", NS):
            target = self.file(element.get("url") or "")
            if target is None or not target.is_file():
                name = element.tag.split("}")[1]
                self.problems.add(where, f"{name} url {element.get('url')!r} is not a file of the site")
                continue
            named[target.name] = element.get("type")
        present = {p.name for p in folder.iterdir() if p.name in TRANSCRIPT_TYPES or p.name == "chapters.json"}
        if set(named) != present:
            self.problems.add(where, f"the feed names {sorted(named)}, the folder holds {sorted(present)}")
        for name, kind in named.items():
            wanted = {CHAPTERS_TYPE} if name == "chapters.json" else TRANSCRIPT_TYPES.get(name, set())
            if kind not in wanted:
                self.problems.add(where, f"{name} has type {kind!r}, not {' or '.join(sorted(wanted))}")
            self.counts["chapters" if name == "chapters.json" else "transcripts"] += 1

    def check_atom(self, path):
        self.counts["atom"] += 1
        data = path.read_bytes()
        root = ET.fromstring(data)
        entries = root.findall("atom:entry", NS)
        parsed = feedparser.parse(data)
        if parsed.bozo:
            self.problems.add(path, f"feedparser: {parsed.bozo_exception}")
        if len(parsed.entries) != len(entries):
            self.problems.add(path, f"feedparser reads {len(parsed.entries)} entries of {len(entries)}")
        for name in ("atom:id", "atom:title", "atom:updated"):
            if not root.findtext(name, "", NS):
                self.problems.add(path, f"the feed has no {name}")
        ids = [e.findtext("atom:id", "", NS) for e in entries]
        self.unique(path, ids)
        for element, entry in zip(entries, parsed.entries):
            self.counts["entries"] += 1
            where = f"{path} entry {element.findtext('atom:id', '', NS)}"
            links = {l.get("rel", "alternate"): l for l in element.findall("atom:link", NS)}
            alternate = links.get("alternate")
            href = alternate.get("href") if alternate is not None else None
            self.problems.same(where, "the id", "feedparser", entry.get("id"), element.findtext("atom:id", "", NS))
            title = element.findtext("atom:title", "", NS)
            self.problems.same(where, "the title", "feedparser", entry.get("title"), title)
            self.problems.same(where, "the link", "feedparser", entry.get("link"), href)
            if not element.findtext("atom:id", "", NS).startswith("urn:uuid:"):
                self.problems.add(where, "the id is not a urn:uuid")
            try:
                datetime.datetime.fromisoformat(element.findtext("atom:updated", "", NS))
            except ValueError:
                self.problems.add(where, "updated is not an RFC 3339 date")
            self.check_entry_link(where, href, links.get("enclosure"))

    def check_entry_link(self, where, href, enclosure):
        page = self.file(href or "")
        if page is None or not page.is_file():
            self.problems.add(where, f"link {href!r} is not a page of the site")
            return
        src, ids = self.page(page)
        fragment = urlsplit(href).fragment
        if fragment and unquote(fragment) not in ids:
            self.problems.add(where, f"link {href!r}: no id {fragment!r} on that page")
        if enclosure is not None and enclosure.get("href") != src:
            self.problems.add(where, f"enclosure {enclosure.get('href')!r} is not what the page plays ({src!r})")

    def unique(self, path, guids):
        self.counts["guids"] += len(guids)
        seen = set()
        for guid in guids:
            if not guid:
                self.problems.add(path, "an item without guid or id")
            elif guid in seen:
                self.problems.add(path, f"guid {guid!r} appears twice")
            seen.add(guid)

    def check_shows(self):
        """A show has a feed exactly when it has audio; one item per episode page with audio."""
        for show, pages in self.episode_pages().items():
            heard = {self.url(page) for page in pages if self.page(page)[0]}
            feed = self.folder / show / "feed.xml"
            if not heard:
                if feed.exists():
                    self.problems.add(feed, "a feed for a show without audio")
                continue
            if not feed.is_file():
                self.problems.add(self.folder / show, f"{len(heard)} episodes with audio and no feed.xml")
                continue
            links = {item.findtext("link") for item in ET.parse(feed).getroot().iter("item")}
            if links != heard:
                self.problems.add(feed, f"items link {len(links)} pages; episode pages with audio: {len(heard)}; "
                                        f"differ at {sorted(links ^ heard)[:3]}")

    def check_sitemap(self):
        sitemap = self.folder / "sitemap.xml"
        if not sitemap.is_file():
            self.problems.add(self.folder, "no sitemap.xml")
            return
        robots = self.folder / "robots.txt"
        wanted = f"Sitemap: {self.base}sitemap.xml"
        if not robots.is_file() or wanted not in robots.read_text(encoding="utf-8").splitlines():
            self.problems.add(robots, f"no line {wanted!r}")
        root = ET.parse(sitemap).getroot()
        files = [sitemap]
        if root.tag == f"{{{NS['sm']}}}sitemapindex":
            files = [self.file(loc.text) for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
        listed = set()
        for path in files:
            for url in ET.parse(path).getroot().iterfind("sm:url", NS):
                loc = url.findtext("sm:loc", "", NS)
                page = self.file(loc)
                if page is None or not page.is_file():
                    self.problems.add(path, f"{loc!r} is not a page under {self.base}")
                if page in listed:
                    self.problems.add(path, f"{loc!r} is listed twice")
                listed.add(page)
                self.check_lastmod(path, loc, page, url.findtext("sm:lastmod", None, NS))
        pages = {page for page in self.folder.rglob("index.html") if not noindex(page)}
        missing = sorted(pages - listed)
        for page in sorted(listed - pages):
            if page is not None and page.is_file():
                self.problems.add(sitemap, f"{self.url(page)} asks robots not to index it, yet is listed")
        if missing:
            self.problems.add(sitemap, f"{len(missing)} pages not listed: {[self.url(p) for p in missing[:5]]}")
        self.counts["sitemap"] = len(listed)

    def check_lastmod(self, sitemap, loc, page, lastmod):
        """A W3C date; left out only for a page with no date to give (undated episodes)."""
        if lastmod is None:
            self.counts["undated"] += 1
            if page is not None and page.is_file() and '"datePublished"' in page.read_text(encoding="utf-8"):
                self.problems.add(sitemap, f"{loc!r} has no lastmod, but the page has a datePublished")
            return
        try:
            datetime.datetime.fromisoformat(lastmod)
        except ValueError:
            self.problems.add(sitemap, f"{loc!r}: lastmod {lastmod!r} is not a W3C date")

    def report(self):
        c = self.counts
        print(f"feeds {self.base} ({self.folder.name}): {c['rss']} podcast feeds ({c['items']} items, "
              f"{c['enclosures']} enclosures, {c['transcripts']} transcripts, {c['chapters']} chapters, "
              f"{c['persons']} persons), {c['atom']} Atom feeds ({c['entries']} entries), {c['guids']} guids and ids "
              f"checked, read back alike by feedparser, podcastparser and ElementTree; {c['xml']} XML files "
              f"well-formed; sitemap lists {c['sitemap']} pages "
              f"({c['undated']} undated, without lastmod); {len(self.problems)} problems, "
              f"{len(self.warnings)} warnings")
        here = f"{self.folder.parent}/"  # paths from the folder that holds the sites
        for line in self.warnings[:5]:
            print(f"  warning: {line.replace(here, '')}")
        for line in self.problems[:30]:
            print(f"  problem: {line.replace(here, '')}")
        if len(self.problems) > 30:
            print(f"  … and {len(self.problems) - 30} more problems")
        return not self.problems


def ids(folder):
    """Every item guid and entry id of every feed of a built site, by feed."""
    out = {}
    paths = sorted(Path(folder).rglob("feed.xml")) + sorted(Path(folder).rglob("atom.xml"))
    for path in paths:
        root = ET.parse(path).getroot()
        rel = path.relative_to(folder).as_posix()
        if root.tag == "rss":
            items = list(root.iter("item"))
            out[rel] = ([i.findtext("guid") for i in items], root.findtext("channel/podcast:guid", None, NS),
                        [i.findtext("link") for i in items])
        elif root.tag == f"{{{NS['atom']}}}feed":
            entries = root.findall("atom:entry", NS)
            out[rel] = ([e.findtext("atom:id", "", NS) for e in entries], None,
                        [l.get("href") for e in entries for l in e.findall("atom:link", NS)])
    return out


def same_ids(a, b):
    """Guids and ids of two builds of one site at different base URLs: the same, feed by feed."""
    first, second = ids(a), ids(b)
    ok = True
    notes = []
    if sorted(first) != sorted(second):
        print(f"  problem: the feeds differ: {sorted(set(first) ^ set(second))[:5]}")
        ok = False
    compared = same = moved = 0
    for feed in sorted(set(first) & set(second)):
        (guids_a, channel_a, links_a), (guids_b, channel_b, links_b) = first[feed], second[feed]
        compared += len(guids_a)
        same += len(guids_a) if guids_a == guids_b else 0
        moved += links_a != links_b
        if guids_a != guids_b:
            print(f"  problem: {feed}: the guids change with the base URL: {guids_a[:2]} → {guids_b[:2]}")
            ok = False
        if channel_a != channel_b:
            notes.append(f"{feed}: podcast:guid {channel_a} → {channel_b}")
    if not moved:
        print(f"  problem: {a} and {b} have the same links: built at the same base URL?")
        ok = False
    print(f"guids {Path(a).name} ↔ {Path(b).name}: {same} of {compared} item guids and entry ids "
          f"in {len(first)} feeds the same at both base URLs, while the links moved in {moved} feeds")
    for note in notes:
        print(f"  note: {note} (derived from the feed URL; `guid` in _index.md pins it)")
    return ok


def main(args):
    pairs, sites = [], []
    while args:
        if args[0] == "--same-ids":
            pairs.append(tuple(args[1:3]))
            args = args[3:]
        else:
            sites.append(tuple(args[:2]))
            args = args[2:]
    if not sites and not pairs or any(len(s) != 2 for s in sites + pairs):
        sys.exit(__doc__.split("\n\n")[1])
    ok = True
    for folder, base_url in sites:
        site = Site(folder, base_url)
        site.check()
        ok = site.report() and ok
    for a, b in pairs:
        ok = same_ids(a, b) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
