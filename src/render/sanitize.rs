//! Raw HTML a site lets into its Markdown (`allow_html = true`), made harmless by ammonia: the
//! only module that knows it.
//!
//! ammonia parses a fragment the way a browser does and keeps only the tags and attributes it
//! is told to: scripts, event handlers, `style` and unknown tags go; ordinary formatting stays.
//! What it is told here beyond its defaults is what our own Markdown writer and highlighter
//! put in a fragment: the highlighter's classes, footnote ids, table alignment. Every URL left
//! in an attribute passes the site's one URL filter, so raw HTML cannot link what Markdown
//! cannot. It must not run on fragments without raw HTML: on a large archive that would cost
//! a parse of every turn for nothing.

use std::borrow::Cow;
use std::sync::LazyLock;

use ammonia::Builder;

use super::links;

/// Built once: a builder holds hash sets of names, and every fragment is cleaned with it.
static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(cleaner);

/// The fragment with only what is safe to show left in it.
pub fn fragment(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

fn cleaner() -> Builder<'static> {
    let mut builder = Builder::default();
    // Highlighted code (`<pre class="code" data-lang>`, `<span class="hl-…">`), footnotes
    // (`<sup class>`, `<div class id>`) and callouts (`<blockquote class>`).
    for tag in ["span", "pre", "code", "div", "sup", "blockquote"] {
        builder.add_tag_attributes(tag, ["class"].iter());
    }
    builder.add_tag_attributes("pre", ["data-lang", "tabindex"].iter());
    builder.add_tag_attributes("div", ["id"].iter());
    // Aligned table columns; `style` keeps `text-align` and nothing else.
    for tag in ["th", "td"] {
        builder.add_tag_attributes(tag, ["style"].iter());
    }
    builder.filter_style_properties(["text-align"].into_iter().collect());
    builder.url_schemes(links::SAFE_SCHEMES.into_iter().collect());
    builder.attribute_filter(|_element, attribute, value| match attribute {
        "href" | "src" | "cite" => links::safe_url(value).map(Cow::Owned),
        _ => Some(Cow::Borrowed(value)),
    });
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_stays_and_what_runs_goes() {
        let html = fragment(
            "<p><b>b</b> <a href=\"https://x.org/\" onclick=\"alert(1)\">x</a> \
             <a href=\"java&#x09;script:alert(2)\">y</a> <img src=\"a.png\" alt=\"a\"></p>\
             <iframe src=\"https://x.org/\"></iframe><style>p{}</style>\
             <table><tr><td style=\"text-align: right; background: url(x)\">1</td></tr></table>",
        );
        assert!(html.contains("<b>b</b>"), "{html}");
        assert!(html.contains("<a href=\"https://x.org/\""), "{html}");
        assert!(html.contains("<img src=\"a.png\" alt=\"a\">"), "{html}");
        assert!(html.contains("style=\"text-align:right\""), "{html}");
        for gone in ["onclick", "script", "iframe", "<style", "background"] {
            assert!(!html.contains(gone), "{gone} kept in {html}");
        }
        assert!(html.contains(">y</a>"), "{html}");
    }
}
