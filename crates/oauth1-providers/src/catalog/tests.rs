use super::*;

fn options(set: impl FnOnce(&mut PresetOptions)) -> PresetOptions {
    let mut o = PresetOptions::default();
    set(&mut o);
    o
}

/// The options each preset needs to be built.
fn minimal(name: &str) -> PresetOptions {
    options(|o| match name {
        "netsuite" => o.account = Some("1234567".into()),
        "jira" | "woocommerce" | "magento" => o.base_url = Some("https://site.example".into()),
        "lti" => o.base_url = Some("https://tool.example/launch".into()),
        "discogs" => o.user_agent = Some("Test/1.0".into()),
        _ => {}
    })
}

#[test]
fn every_catalog_entry_builds_and_names_itself() {
    let names: Vec<&str> = catalog().iter().map(|p| p.name).collect();
    let mut expected = vec![
        "netsuite",
        "jira",
        "woocommerce",
        "magento",
        "garmin",
        "flickr",
        "trello",
        "tumblr",
        "discogs",
        "smugmug",
        "zotero",
        "lti",
    ];
    if cfg!(feature = "twitter") {
        expected.insert(0, "twitter");
    }
    assert_eq!(names, expected);
    for info in catalog() {
        let preset = Preset::by_name(info.name, &minimal(info.name)).unwrap();
        assert_eq!(preset.name(), info.name);
        assert_eq!(preset.info(), info);
        assert!(!info.description.is_empty() && !info.flows.is_empty());
        assert!(
            info.methods.contains(&preset.signature_method()),
            "{}",
            info.name
        );
        // Names are case-insensitive on the way in.
        assert_eq!(
            Preset::by_name(&info.name.to_ascii_uppercase(), &minimal(info.name))
                .unwrap()
                .name(),
            info.name
        );
    }
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let e = Preset::by_name("netsuit", &PresetOptions::default()).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("netsuit") && text.contains("netsuite, jira"),
        "{text}"
    );
    let long = "x".repeat(10_000);
    let e = Preset::by_name(&long, &PresetOptions::default()).unwrap_err();
    assert!(e.to_string().len() < 400);
}

#[test]
fn required_options_are_asked_for() {
    for (name, option) in [
        ("netsuite", "account"),
        ("jira", "base-url"),
        ("woocommerce", "base-url"),
        ("magento", "base-url"),
        ("lti", "base-url"),
        ("discogs", "user-agent"),
    ] {
        let e = Preset::by_name(name, &PresetOptions::default()).unwrap_err();
        assert!(
            matches!(e, PresetError::Missing { option: o, .. } if o == option),
            "{name}: {e}"
        );
        assert!(e.to_string().contains(&format!("--{option}")), "{e}");
    }
}

#[test]
fn options_a_preset_does_not_take_are_refused() {
    let e = Preset::by_name("tumblr", &options(|o| o.perms = Some("read".into()))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the tumblr preset takes no --perms: it takes --base-url"
    );
    let e = Preset::by_name("flickr", &options(|o| o.account = Some("123".into()))).unwrap_err();
    assert!(matches!(
        e,
        PresetError::NotTaken {
            option: "account",
            ..
        }
    ));
}

#[test]
fn bad_values_list_the_valid_ones() {
    let e = Preset::by_name("flickr", &options(|o| o.perms = Some("admin".into()))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--perms `admin` is not valid for flickr: use read, write, delete"
    );
    let e =
        Preset::by_name("trello", &options(|o| o.scope = Some("read,admin".into()))).unwrap_err();
    assert!(e.to_string().contains("`admin`") && e.to_string().contains("read, write, account"));
    let e =
        Preset::by_name("trello", &options(|o| o.expiration = Some("1week".into()))).unwrap_err();
    assert!(e.to_string().contains("1hour, 1day, 30days, never"));
    let e = Preset::by_name("smugmug", &options(|o| o.access = Some("All".into()))).unwrap_err();
    assert!(e.to_string().contains("Public, Full"));
    let e = Preset::by_name(
        "smugmug",
        &options(|o| o.permissions = Some("Write".into())),
    )
    .unwrap_err();
    assert!(e.to_string().contains("Read, Add, Modify"));
    let e = Preset::by_name(
        "discogs",
        &options(|o| {
            o.user_agent = Some("A/1".into());
            o.method = Some("RSA-SHA1".into());
        }),
    )
    .unwrap_err();
    assert!(e.to_string().contains("HMAC-SHA1, PLAINTEXT"));
    let e = Preset::by_name(
        "woocommerce",
        &options(|o| {
            o.base_url = Some("http://shop.example".into());
            o.method = Some("PLAINTEXT".into());
        }),
    )
    .unwrap_err();
    assert!(e.to_string().contains("HMAC-SHA256, HMAC-SHA1"));
    let e =
        Preset::by_name("zotero", &options(|o| o.all_groups = Some("admin".into()))).unwrap_err();
    assert!(e.to_string().contains("none, read, write"));
    let e =
        Preset::by_name("netsuite", &options(|o| o.account = Some("12 34".into()))).unwrap_err();
    assert!(matches!(e, PresetError::Account(_)));
    let e = Preset::by_name(
        "jira",
        &options(|o| o.base_url = Some("jira.example".into())),
    )
    .unwrap_err();
    assert!(matches!(e, PresetError::BaseUrl { preset: "jira", .. }));
    let e = Preset::by_name("discogs", &options(|o| o.user_agent = Some("  ".into()))).unwrap_err();
    assert!(matches!(e, PresetError::UserAgent(_)));
}

#[test]
fn options_reach_the_preset() {
    let trello = Preset::by_name(
        "trello",
        &options(|o| {
            o.app_name = Some("My App".into());
            o.scope = Some("read, write".into());
            o.expiration = Some("never".into());
        }),
    )
    .unwrap();
    assert_eq!(
        trello.authorize_params(),
        [
            ("name".to_owned(), "My App".to_owned()),
            ("scope".to_owned(), "read,write".to_owned()),
            ("expiration".to_owned(), "never".to_owned()),
        ]
    );
    let smugmug = Preset::by_name(
        "smugmug",
        &options(|o| {
            o.access = Some("full".into());
            o.permissions = Some("add".into());
        }),
    )
    .unwrap();
    assert_eq!(
        smugmug.authorize_params(),
        [
            ("Access".to_owned(), "Full".to_owned()),
            ("Permissions".to_owned(), "Add".to_owned()),
        ]
    );
    let zotero = Preset::by_name(
        "zotero",
        &options(|o| {
            o.key_access = Some("library,notes".into());
            o.all_groups = Some("write".into());
        }),
    )
    .unwrap();
    assert_eq!(
        zotero.authorize_params(),
        [
            ("library_access".to_owned(), "1".to_owned()),
            ("notes_access".to_owned(), "1".to_owned()),
            ("all_groups".to_owned(), "write".to_owned()),
        ]
    );
    let discogs = Preset::by_name(
        "discogs",
        &options(|o| {
            o.user_agent = Some("Test/1.0".into());
            o.method = Some("plaintext".into());
            o.base_url = Some("http://127.0.0.1:9".into());
        }),
    )
    .unwrap();
    assert_eq!(discogs.signature_method(), "PLAINTEXT");
    assert_eq!(discogs.headers()["user-agent"], "Test/1.0");
    assert_eq!(
        discogs.endpoints().request_token.url,
        "http://127.0.0.1:9/oauth/request_token"
    );
    let netsuite = Preset::by_name(
        "netsuite",
        &options(|o| {
            o.account = Some("1234567-sb1".into());
            o.base_url = Some("http://127.0.0.1:9/".into());
        }),
    )
    .unwrap();
    assert_eq!(netsuite.realm(), Some("1234567_SB1"));
    assert_eq!(
        netsuite.endpoints().access_token.url,
        "http://127.0.0.1:9/rest/accesstoken"
    );
    if cfg!(feature = "twitter") {
        let twitter =
            Preset::by_name("twitter", &options(|o| o.access = Some("Write".into()))).unwrap();
        assert_eq!(
            twitter.request_token_params(),
            [("x_auth_access_type".to_owned(), "write".to_owned())]
        );
        let e =
            Preset::by_name("twitter", &options(|o| o.access = Some("admin".into()))).unwrap_err();
        assert!(e.to_string().contains("use read, write"), "{e}");
    }
    let magento = Preset::by_name("magento", &minimal("magento")).unwrap();
    assert!(!magento.requires_callback_confirmed());
    let lti = Preset::by_name("lti", &minimal("lti")).unwrap();
    assert_eq!(lti.placement(), Placement::Body);
}

#[test]
fn every_option_of_the_catalog_is_a_field() {
    let known = [
        "base-url",
        "account",
        "method",
        "perms",
        "app-name",
        "scope",
        "expiration",
        "access",
        "permissions",
        "user-agent",
        "key-access",
        "all-groups",
    ];
    for info in catalog() {
        for o in info.options {
            assert!(known.contains(&o.name), "{}: {}", info.name, o.name);
            assert!(!o.help.is_empty());
        }
    }
}
