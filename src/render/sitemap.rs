//! `sitemap.xml` and `robots.txt`: how search engines find every page.

use chrono::{DateTime, FixedOffset, SecondsFormat};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::links;
use crate::error::{Error, Result};

/// The sitemap protocol's limit of URLs in one file; a larger site gets a sitemap index that
/// points at numbered sitemaps.
const URLS_PER_SITEMAP: usize = 50_000;
const SITEMAP_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// A page for the sitemap: its absolute URL, and when its content last changed.
pub struct Entry {
    pub url: String,
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// `sitemap.xml`, and for a site too large for one file, `sitemap-1.xml`, `sitemap-2.xml`, …
/// listed by it. `base` is the site's absolute URL, ending in `/`.
pub fn files(base: &str, entries: &[Entry]) -> Result<Vec<(String, String)>> {
    if entries.len() <= URLS_PER_SITEMAP {
        return Ok(vec![(links::SITEMAP.to_string(), urlset(entries)?)]);
    }
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (i, chunk) in entries.chunks(URLS_PER_SITEMAP).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let lastmod = chunk.iter().filter_map(|e| e.lastmod).max();
        parts.push(Entry {
            url: format!("{base}{name}"),
            lastmod,
        });
        files.push((name, urlset(chunk)?));
    }
    files.push((links::SITEMAP.to_string(), index(&parts)?));
    Ok(files)
}

/// The names of the files [`files`] writes for `entries` listed pages, without writing them.
pub fn names(entries: usize) -> Vec<String> {
    let mut names = Vec::new();
    if entries > URLS_PER_SITEMAP {
        let parts = entries.div_ceil(URLS_PER_SITEMAP);
        names.extend((1..=parts).map(|i| format!("sitemap-{i}.xml")));
    }
    names.push(links::SITEMAP.to_string());
    names
}

/// Whether a site path is one of the files [`files`] writes.
pub fn is_sitemap_file(path: &str) -> bool {
    path == links::SITEMAP || (path.starts_with("sitemap-") && path.ends_with(".xml"))
}

/// `robots.txt`: everything may be crawled, and here is the sitemap.
pub fn robots(base: &str) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    // The protocol wants an absolute URL; without a `base_url` there is none to give.
    if base.contains("://") {
        text.push_str(&format!("\nSitemap: {base}{}\n", links::SITEMAP));
    }
    text
}

fn urlset(entries: &[Entry]) -> Result<String> {
    write_list("urlset", "url", entries)
}

fn index(parts: &[Entry]) -> Result<String> {
    write_list("sitemapindex", "sitemap", parts)
}

fn write_list(root: &str, item: &str, entries: &[Entry]) -> Result<String> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: std::io::Result<()> = (|| {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element(root)
            .with_attribute(("xmlns", SITEMAP_NAMESPACE))
            .write_inner_content(|w| {
                for entry in entries {
                    w.create_element(item).write_inner_content(|w| {
                        w.create_element("loc")
                            .write_text_content(BytesText::new(&entry.url))?;
                        if let Some(lastmod) = entry.lastmod {
                            let time = lastmod.to_rfc3339_opts(SecondsFormat::Secs, true);
                            w.create_element("lastmod")
                                .write_text_content(BytesText::new(&time))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })();
    written.map_err(|e| Error::Theme(format!("{}: {e}", links::SITEMAP)))?;
    let mut xml = writer.into_inner();
    xml.push(b'\n');
    String::from_utf8(xml).map_err(|e| Error::Theme(format!("{}: {e}", links::SITEMAP)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str) -> Entry {
        Entry {
            url: url.to_string(),
            lastmod: DateTime::parse_from_rfc3339("2024-05-01T09:30:00+02:00").ok(),
        }
    }

    #[test]
    fn urls_are_escaped_and_dated() {
        let files = files("https://x.org/", &[entry("https://x.org/a&b/")]).unwrap();
        assert_eq!(files.len(), 1);
        let xml = &files[0].1;
        assert!(xml.contains("<loc>https://x.org/a&amp;b/</loc>"), "{xml}");
        assert!(
            xml.contains("<lastmod>2024-05-01T09:30:00+02:00</lastmod>"),
            "{xml}"
        );
    }

    #[test]
    fn a_large_site_gets_an_index() {
        let entries: Vec<Entry> = (0..URLS_PER_SITEMAP + 1)
            .map(|i| entry(&format!("https://x.org/{i}/")))
            .collect();
        let files = files("https://x.org/", &entries).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        assert!(files[2]
            .1
            .contains("<loc>https://x.org/sitemap-2.xml</loc>"));
        assert!(names.iter().all(|n| is_sitemap_file(n)));
        assert_eq!(super::names(entries.len()), names, "the page graph's names");
        assert_eq!(super::names(URLS_PER_SITEMAP), ["sitemap.xml"]);
    }

    #[test]
    fn robots_point_at_the_sitemap_only_when_it_has_an_address() {
        assert!(robots("https://x.org/a/").contains("Sitemap: https://x.org/a/sitemap.xml"));
        assert!(!robots("/").contains("Sitemap"));
    }
}
