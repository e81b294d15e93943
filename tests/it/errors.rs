//! Bad input gets a clear error that names the file and line, a failed build, and an
//! untouched `public/`.

use crate::util::{episode, Site};

const SHOW: &str = "---\ntitle: A show\n---\nAbout it.\n";

/// A site that has built once, so there is a `public/` to keep safe.
fn built_site() -> Site {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW);
    site.write(
        "content/show/one.md",
        episode("title: One", "**Ann:** Hi.\n"),
    );
    site.built();
    site
}

/// Builds, expects failure, and checks that the previous output survived whole.
fn fails(site: &Site) -> String {
    let before = site.output_files();
    let home = site.page("index.html");
    let error = site.build().expect_err("the build should fail");
    assert_eq!(site.output_files(), before, "public/ changed");
    assert_eq!(site.page("index.html"), home, "public/index.html changed");
    assert!(
        !site.top_level().iter().any(|n| n.contains("staging")),
        "a staging folder was left: {:?}",
        site.top_level()
    );
    error.to_string()
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let site = built_site();
    site.write(
        "content/show/bad.md",
        "---\ntitle: Bad\ntags: [a, b\nshow: x\n---\n",
    );
    let message = fails(&site);
    assert!(message.starts_with("content/show/bad.md:"), "{message}");
    assert!(
        message.contains(":4:") || message.contains(":3:"),
        "{message}"
    );
}

#[test]
fn a_field_of_the_wrong_type_names_its_line() {
    let site = built_site();
    site.write(
        "content/show/bad.md",
        episode("title: Bad\ndate: yesterday", "text"),
    );
    let message = fails(&site);
    assert!(
        message.contains("content/show/bad.md:3:1: error"),
        "{message}"
    );
    assert!(message.contains("invalid date `yesterday`"), "{message}");
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_with_its_place() {
    let site = built_site();
    site.write(
        "content/show/latin1.md",
        b"---\ntitle: Caf\xe9\n---\n".as_slice(),
    );
    let message = fails(&site);
    assert!(
        message.contains("content/show/latin1.md:2:11: error: not valid UTF-8"),
        "{message}"
    );
}

#[test]
fn duplicate_episode_slugs_in_one_show() {
    let site = built_site();
    site.write(
        "content/show/two.md",
        episode("title: Two\nslug: one", "text"),
    );
    let message = fails(&site);
    assert!(
        message.contains("duplicate episode slug `one`"),
        "{message}"
    );
}

#[test]
fn an_episode_naming_a_show_that_does_not_exist() {
    let site = built_site();
    site.write(
        "content/show/lost.md",
        episode("title: Lost\nshow: nowhere", "text"),
    );
    let message = fails(&site);
    assert!(message.contains("content/show/lost.md:3:"), "{message}");
    assert!(
        message.contains("`show: nowhere` names no show"),
        "{message}"
    );
}

#[test]
fn a_theme_that_does_not_exist() {
    let site = built_site();
    site.write("site.toml", "title = \"T\"\ntheme = \"nope\"\n");
    let message = fails(&site);
    assert!(message.contains("theme `nope` not found"), "{message}");
}

#[test]
fn a_template_that_does_not_parse_names_template_and_line() {
    let site = built_site();
    site.write("templates/tags.html", "<p>\n{{ oops(}}\n</p>\n");
    let message = fails(&site);
    assert!(message.contains("tags.html"), "{message}");
    assert!(message.contains('2'), "{message}");
}

#[test]
fn a_template_that_fails_to_render_names_template_and_line() {
    let site = built_site();
    site.write(
        "templates/speakers.html",
        "<p>ok</p>\n<p>{{ no_such_variable.field }}</p>\n",
    );
    let message = fails(&site);
    assert!(message.contains("templates/speakers.html"), "{message}");
    assert!(message.contains("no_such_variable"), "{message}");
}

#[test]
fn a_misspelt_setting_suggests_the_right_one() {
    let site = built_site();
    site.write("site.toml", "title = \"T\"\npaginate_bye = 3\n");
    let message = fails(&site);
    assert!(
        message.contains("site.toml:2:1: error: unknown field `paginate_bye`"),
        "{message}"
    );
    assert!(message.contains("did you mean `paginate_by`?"), "{message}");
}

#[test]
fn every_bad_file_is_reported_in_one_run() {
    let site = built_site();
    site.write("content/show/a.md", episode("title: A\ndate: soon", "x"));
    site.write("content/show/b.md", episode("title: B\nseason: two", "x"));
    let message = fails(&site);
    assert!(message.contains("content/show/a.md:3:1"), "{message}");
    assert!(message.contains("content/show/b.md:3:1"), "{message}");
}

#[test]
fn a_show_folder_named_like_a_site_section_is_refused() {
    let site = built_site();
    site.write("content/speakers-not/_index.md", SHOW);
    site.write("content/tags/_index.md", SHOW);
    let message = fails(&site);
    assert!(message.contains("content/tags/_index.md"), "{message}");
    assert!(message.contains("cannot be called `tags`"), "{message}");
}

#[test]
fn awkward_but_valid_files_build_fine() {
    let site = Site::new();
    site.write("content/show/_index.md", SHOW);
    site.write("content/show/empty.md", "");
    site.write(
        "content/show/no-turns.md",
        episode("title: Only notes", "Just notes.\n"),
    );
    site.write(
        "content/show/windows.md",
        "\u{feff}---\r\ntitle: Windows\r\n---\r\n**Ann:** From Windows.\r\n\r\nStill Ann.\r\n",
    );
    let report = site.built();
    assert_eq!(report.episodes, 2);
    assert!(report
        .warnings
        .iter()
        .any(|w| w.message.contains("empty file")));
    let page = site.page("show/windows/index.html");
    assert!(page.contains("From Windows."));
    assert!(page.contains("Still Ann."));
    assert!(site
        .page("show/no-turns/index.html")
        .contains("Just notes."));
}

#[test]
fn an_empty_content_folder_builds_a_site() {
    let site = Site::new();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    let report = site.built();
    assert_eq!(report.episodes, 0);
    assert!(site.exists("index.html"));
    assert!(site.exists("404.html"));
}
