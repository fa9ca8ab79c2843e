//! TODO: being written.
#![forbid(unsafe_code)]
