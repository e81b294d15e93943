//! URL slugs: ASCII, lower case, words joined by `-`.
//!
//! A speaker's identity is their name, and their slug is that name transliterated, so two
//! labels that differ only in case, accents, spacing or punctuation are the same person.

/// `José Núñez` → `jose-nunez`; a name with no Latin transliteration at all still gets a
/// stable, non-empty slug.
pub fn slugify(text: &str) -> String {
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
    if slug.is_empty() && !text.trim().is_empty() {
        return format!("x-{:08x}", fnv1a(text.trim()));
    }
    slug
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
}
