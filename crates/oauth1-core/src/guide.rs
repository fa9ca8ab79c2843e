// The guide "Signing OAuth 1.0a requests" on docs.rs, as rustls shows its manual
// (`rustls::manual`). Its text is guide/signing.md in this crate, kept in the package so that
// docs.rs (and anyone who builds the package) has it; its examples are this crate's doctests
// (the first needs the default `std-rand` feature, for `OAuthParams::fresh`).
#![cfg_attr(
    any(not(doctest), feature = "std-rand"),
    doc = include_str!("../guide/signing.md")
)]
#![cfg_attr(
    all(doctest, not(feature = "std-rand")),
    doc = "The signing guide (its examples run with the `std-rand` feature)."
)]
