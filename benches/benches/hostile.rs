//! What refusing a hostile `Authorization` header costs: `Received::parse` (and once through
//! `Received::parse_http`) on headers of about 4 KB, 40 KB and 400 KB that no provider should
//! accept, reported per byte (`Throughput::Bytes`), so that a cost growing faster than the
//! header shows as a rising time per byte from one size to the next.
//!
//! `cargo bench -p oauth1-benches --bench hostile -- --warm-up-time 1 --measurement-time 3`
//!
//! Shapes (each header is refused: checked once before it is measured, never timed):
//! - `tiny_params`: `OAuth a0="1", a1="1", ...`, many tiny parameters with unique names (a
//!   duplicate check that compares each name with every earlier one makes this quadratic);
//! - `oauth_params`: the same with `oauth_`-prefixed names (`oauth_a0="1", ...`);
//! - `huge_value`: one quoted value, `oauth_nonce="xxxx..."`;
//! - `quoted_pairs`: one value of quoted-pairs, `oauth_nonce="\"\"\"..."`;
//! - `http/tiny_params`: `tiny_params` in an `http::Request`, through `Received::parse_http`.
//!
//! With the default `Limits` most of these are refused early (a 40 KB header for its length,
//! before it is read; `a0` for not being a protocol name), so their time per byte falls as
//! they grow. The group `hostile_read_whole` takes the limits off (`Received::parse_with`,
//! every limit `usize::MAX`), so that the reader goes through every byte before it refuses
//! (no consumer key): a flat time per byte across the three sizes is the reader being linear.
//!
//! Only the public API is used (`Request::new`, `Received::parse`, `Received::parse_http`), so
//! that the numbers compare across parser changes. Nothing here asserts on speed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use oauth1_core::{Limits, Received, Request};

const URL: &str = "http://127.0.0.1/oauth/request_token";
/// The header sizes, in bytes (each header is at least this long, and at most one parameter
/// longer), with their names in the report.
const SIZES: [(usize, &str); 3] = [(4_000, "4KB"), (40_000, "40KB"), (400_000, "400KB")];

/// `OAuth ` then `param(0)`, `param(1)`, ... joined by `, ` until `size` bytes.
fn params(size: usize, param: impl Fn(usize) -> String) -> String {
    let mut header = String::from("OAuth ");
    let mut i = 0;
    while header.len() < size {
        if i > 0 {
            header.push_str(", ");
        }
        header.push_str(&param(i));
        i += 1;
    }
    header
}

/// `OAuth oauth_nonce="` + `unit` repeated + `"`, `size` bytes or a little more.
fn one_value(size: usize, unit: &str) -> String {
    let head = "OAuth oauth_nonce=\"";
    let n = size.saturating_sub(head.len() + 1).div_ceil(unit.len());
    format!("{head}{}\"", unit.repeat(n))
}

/// The hostile headers of one size, by shape name.
fn shapes(size: usize) -> Vec<(&'static str, String)> {
    vec![
        ("tiny_params", params(size, |i| format!("a{i}=\"1\""))),
        (
            "oauth_params",
            params(size, |i| format!("oauth_a{i}=\"1\"")),
        ),
        ("huge_value", one_value(size, "x")),
        ("quoted_pairs", one_value(size, "\\\"")),
    ]
}

fn http_request(header: &str) -> http::Request<Vec<u8>> {
    http::Request::post(URL)
        .header(http::header::AUTHORIZATION, header)
        .body(Vec::new())
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let request = Request::new("POST", URL);
    let mut group = c.benchmark_group("hostile");
    // A quadratic parser takes about a second per 400 KB header: few, equal samples.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for (size, size_name) in SIZES {
        for (shape, header) in shapes(size) {
            assert!(
                Received::parse(&request, Some(&header)).is_err(),
                "{shape} ({size_name}) must be refused"
            );
            group.throughput(Throughput::Bytes(header.len() as u64));
            group.bench_with_input(
                BenchmarkId::new(shape, size_name),
                header.as_str(),
                |b, header| b.iter(|| Received::parse(&request, Some(black_box(header))).is_err()),
            );
        }
        let header = params(size, |i| format!("a{i}=\"1\""));
        let http = http_request(&header);
        assert!(Received::parse_http(&http, "http").is_err());
        group.throughput(Throughput::Bytes(header.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("http/tiny_params", size_name),
            &http,
            |b, http| b.iter(|| Received::parse_http(black_box(http), "http").is_err()),
        );
    }
    group.finish();
}

/// Limits that let every header be read to its end.
fn no_limits() -> Limits {
    let mut limits = Limits::default();
    limits.header_bytes = usize::MAX;
    limits.protocol_parameters = usize::MAX;
    limits.nonce = usize::MAX;
    limits.value = usize::MAX;
    limits
}

fn bench_read_whole(c: &mut Criterion) {
    let request = Request::new("POST", URL);
    let limits = no_limits();
    let mut group = c.benchmark_group("hostile_read_whole");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for (size, size_name) in SIZES {
        // `tiny_params` is refused at its first name whatever the limits: left out.
        for (shape, header) in shapes(size).into_iter().skip(1) {
            assert!(
                Received::parse_with(&request, Some(&header), &limits).is_err(),
                "{shape} ({size_name}) must be refused"
            );
            group.throughput(Throughput::Bytes(header.len() as u64));
            group.bench_with_input(
                BenchmarkId::new(shape, size_name),
                header.as_str(),
                |b, header| {
                    b.iter(|| {
                        Received::parse_with(&request, Some(black_box(header)), &limits).is_err()
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench, bench_read_whole);
criterion_main!(benches);
