// The guide "The dance, step by step" on docs.rs, as rustls shows its manual (`rustls::manual`).
// Its text is guide/flow.md in this crate, kept in the package so that docs.rs (and anyone who
// builds the package) has it; its examples are this crate's doctests. Blocks that need a
// transport are written over `impl HttpClient`, or not compiled: this crate cannot depend on its
// transports, which depend on it.
#![doc = include_str!("../guide/flow.md")]
