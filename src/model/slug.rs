//! URL slugs and speaker names: what becomes a path segment, and when two names are one.
//!
//! A slug is ASCII, lower case, words joined by `-`, never empty and never longer than
//! [`MAX_SLUG_BYTES`], so it is always one safe path segment on every file system. Slugs are for
//! addresses only: two different people can transliterate to the same slug (`王伟` and `汪伟`
//! are both `wang-wei`), so a speaker's identity is the [`name_key`] of their name instead.

/// The longest slug, in bytes: far below the 255-byte file name limit of common file systems,
/// with room for `-2` suffixes and a show folder beside it.
pub const MAX_SLUG_BYTES: usize = 100;

/// `José Núñez` → `jose-nunez`; a name with no Latin transliteration at all still gets a
/// stable, non-empty slug; a blank text gets an empty one, which callers must refuse.
pub fn slugify(text: &str) -> String {
    let slug = transliterate(text);
    if slug.is_empty() && !is_blank(text) {
        return format!("x-{:08x}", fnv1a(text.trim()));
    }
    shorten(slug, text)
}

/// The text in ASCII words joined by `-`, whatever its length; empty when nothing in it has
/// a Latin transliteration.
fn transliterate(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, " ");
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A slug cut to [`MAX_SLUG_BYTES`] at a hyphen where it can be, with a hash of the whole
/// text appended, so two long names that share their beginning keep apart.
fn shorten(slug: String, text: &str) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let suffix = format!("-{:08x}", fnv1a(text.trim()));
    let room = MAX_SLUG_BYTES - suffix.len();
    // The slug is ASCII, so every byte index is a char boundary.
    let cut = match slug[..=room].rfind('-') {
        Some(hyphen) if hyphen > room / 2 => hyphen,
        _ => room,
    };
    format!("{}{suffix}", slug[..cut].trim_end_matches('-'))
}

/// Why `slug` (as written in front matter) cannot be an address, if it cannot.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.contains(['/', '\\']) {
        Some("a slug is one path segment and cannot contain `/` or `\\`")
    } else if !slug.chars().any(char::is_alphanumeric) {
        Some("it has no letters or digits")
    } else if transliterate(slug).len() > MAX_SLUG_BYTES {
        Some("it is longer than 100 bytes")
    } else {
        None
    }
}

/// Whether a name is empty or only spaces, counting Unicode spaces (U+00A0 and the like) and
/// the invisible joiners that some exports leave behind.
pub fn is_blank(name: &str) -> bool {
    name.chars().all(|c| {
        c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
    })
}

/// A person's identity: the name in lower case, Latin accents dropped, runs of spaces and
/// punctuation as one space. `José Núñez`, `jose nunez` and `JOSÉ NÚÑEZ` are one key; `王伟`
/// and `汪伟` stay two, though their slugs are the same.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if is_combining_mark(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        if gap && !key.is_empty() {
            key.push(' ');
        }
        gap = false;
        if is_latin_letter(c) {
            key.extend(
                deunicode::deunicode_char(c)
                    .unwrap_or("")
                    .chars()
                    .map(|c| c.to_ascii_lowercase()),
            );
        } else {
            key.extend(c.to_lowercase());
        }
    }
    if key.is_empty() {
        // A name of symbols only (`✌✌`) is still itself, not every other such name.
        return name.trim().to_lowercase();
    }
    key
}

/// Whether a name key is plain ASCII, that is, the name is written in the Latin alphabet: its
/// slug then says the whole name, and no other key has the same one.
pub fn is_latin_key(key: &str) -> bool {
    key.is_ascii()
}

/// A short stable hash of a name key, to tell apart names whose slugs are the same.
pub fn key_hash(key: &str) -> String {
    blake3::hash(key.as_bytes()).to_hex()[..8].to_string()
}

/// `slug-<hash>`, cut so that the whole stays within [`MAX_SLUG_BYTES`].
pub fn with_hash(slug: &str, hash: &str) -> String {
    let room = MAX_SLUG_BYTES - hash.len() - 1;
    let cut = slug.len().min(room);
    format!("{}-{hash}", slug[..cut].trim_end_matches('-'))
}

/// Latin letters with diacritics (Latin-1 Supplement to Latin Extended-B, Latin Extended
/// Additional): the ones `name_key` folds to ASCII.
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
            && c != '\u{d7}'
            && c != '\u{f7}'
}

/// Combining diacritical marks: `e` + U+0301 is the same name as `é`.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}')
}

/// A small, fixed hash: slugs must not change between builds or Rust versions.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_transliterate_to_ascii() {
        assert_eq!(slugify("José Núñez"), "jose-nunez");
        assert_eq!(slugify("Søren Åberg"), "soren-aberg");
        assert_eq!(
            slugify("  Mireille B. Reece, Psy.D "),
            "mireille-b-reece-psy-d"
        );
        assert_eq!(slugify("James O’Beirne"), slugify("James O'Beirne"));
        assert_eq!(slugify("李明"), "li-ming");
    }

    #[test]
    fn untransliterable_names_still_get_a_stable_slug() {
        let slug = slugify("✌✌");
        assert!(!slug.is_empty());
        assert_eq!(slug, slugify("✌✌"));
        assert_eq!(slugify(""), "");
    }

    /// A 300-byte tag or name once became a 300-byte file name, and the build failed with
    /// "File name too long" naming no file.
    #[test]
    fn long_names_are_cut_with_a_hash_of_the_whole() {
        let a = format!("{} alpha", "word ".repeat(60));
        let b = format!("{} omega", "word ".repeat(60));
        let (sa, sb) = (slugify(&a), slugify(&b));
        assert!(
            sa.len() <= MAX_SLUG_BYTES && sb.len() <= MAX_SLUG_BYTES,
            "{sa}"
        );
        assert_ne!(sa, sb);
        assert!(sa.starts_with("word-word-"), "{sa}");
        assert!(!sa.contains("--"), "{sa}");
        assert_eq!(sa, slugify(&a));
        let unbroken = "x".repeat(300);
        assert!(slugify(&unbroken).len() <= MAX_SLUG_BYTES);
    }

    /// A name of only a non-breaking space once got the empty slug, and its page replaced
    /// /speakers/index.html.
    #[test]
    fn blank_names_are_blank_whatever_their_spaces() {
        for name in [
            "",
            "   ",
            "\u{a0}",
            "\u{2003}\u{3000}",
            "\u{200b}",
            "\t\u{feff}",
        ] {
            assert!(is_blank(name), "{name:?}");
            assert_eq!(slugify(name), "", "{name:?}");
        }
        assert!(!is_blank("Ann"));
    }

    #[test]
    fn explicit_slugs_must_be_one_segment_with_letters() {
        assert_eq!(slug_problem("my-episode"), None);
        assert_eq!(slug_problem("My Episode"), None);
        for bad in ["", " ", "\u{a0}", ".", "..", "a/b", "..\\x", "---"] {
            assert!(slug_problem(bad).is_some(), "{bad:?}");
        }
        assert!(slug_problem(&"a".repeat(200)).is_some());
    }

    #[test]
    fn keys_merge_case_accents_spacing_and_punctuation_only() {
        assert_eq!(name_key("José Núñez"), "jose nunez");
        assert_eq!(name_key("JOSÉ  NÚÑEZ"), name_key("jose nunez"));
        assert_eq!(name_key("Jose\u{301} Nu\u{303}n\u{303}ez"), "jose nunez");
        assert_eq!(name_key("James O’Beirne"), name_key("James O'Beirne"));
        assert_ne!(name_key("王伟"), name_key("汪伟"));
        assert_ne!(name_key("黎明"), name_key("李明"));
        assert_ne!(name_key("Иван"), name_key("Ivan"));
        assert!(is_latin_key(&name_key("Søren Åberg")));
        assert!(!is_latin_key(&name_key("李明")));
        assert_ne!(name_key("✌✌"), name_key("☂"));
        assert_eq!(name_key(" \u{a0}"), "");
    }
}
