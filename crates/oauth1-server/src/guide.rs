// The guide "Verifying OAuth 1.0a requests in your own service" on docs.rs, as rustls shows its
// manual (`rustls::manual`). Its text is guide/provider.md in this crate, kept in the package so
// that docs.rs (and anyone who builds the package) has it. Its examples are this crate's
// doctests when the features they use are on: `axum` (the `Verified` extractor) and
// `redis-tls` (`RedisNonceStore`, `connect_with_ca`), as with `--all-features`.
#![cfg_attr(
    any(not(doctest), all(feature = "axum", feature = "redis-tls")),
    doc = include_str!("../guide/provider.md")
)]
#![cfg_attr(
    all(doctest, not(all(feature = "axum", feature = "redis-tls"))),
    doc = "The provider guide (its examples run with the `axum` and `redis-tls` features)."
)]
