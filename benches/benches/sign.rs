//! Signing speed: our signer against (1) the bare HMAC-SHA1 of the same base string, the floor
//! nothing can beat, and (2) the `oauth1-request` crate, on the same inputs in one run.
//!
//! `cargo bench -p oauth1-benches --bench sign`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use oauth1_core::Scratch;

#[path = "common/impls.rs"]
mod impls;
use impls::{
    floor, floor_key, oauth, ours_one_shot, ours_sign, request, signature_in, signer, their_input,
    theirs,
};

fn bench(c: &mut Criterion) {
    for input in oauth1_benches::all() {
        // Every implementation must produce the same signature before it is timed.
        let signer = signer(&input);
        let mut scratch = Scratch::new();
        let signed = signer
            .sign(&mut scratch, &request(&input), &oauth(&input))
            .unwrap();
        let base = signed.base_string().to_owned();
        let ours = signed.signature().to_owned();
        if let Some(expected) = input.expected {
            assert_eq!(ours, expected, "{}", input.name);
        }
        let key = floor_key(&input);
        let mut floor_out = String::new();
        floor(key.as_bytes(), base.as_bytes(), &mut floor_out);
        assert_eq!(floor_out, ours, "{}: floor", input.name);
        let t = their_input(&input);
        let their_header = theirs(&input, &t);
        if signature_in(&their_header) != ours {
            // oauth1-request sorts parameters by raw name only (`c@` before `c2`, duplicate
            // names in input order), so it gets the RFC 5849 §3.4.1 example wrong. It is timed
            // anyway: the work is the same.
            eprintln!(
                "note: {}: oauth1-request computes {} (expected {ours})",
                input.name,
                signature_in(&their_header)
            );
            assert_eq!(
                input.name, "b_rfc5849",
                "oauth1-request disagrees on {}",
                input.name
            );
        }

        let mut group = c.benchmark_group(input.name);
        group.bench_function("floor/hmac_sha1", |b| {
            let mut out = String::new();
            b.iter(|| {
                floor(
                    black_box(key.as_bytes()),
                    black_box(base.as_bytes()),
                    &mut out,
                )
            });
        });
        group.bench_function("oauth1_request", |b| {
            b.iter(|| theirs(black_box(&input), &t))
        });
        // One-shot, as the README signs: a new signer per request, then `authorization`.
        group.bench_function("ours/one_shot", |b| {
            b.iter(|| ours_one_shot(black_box(&input), &request(&input), &oauth(&input)))
        });
        // From nothing: a new signer, a fresh scratch and a new header per call.
        group.bench_function("ours/sign", |b| b.iter(|| ours_sign(black_box(&input))));
        group.bench_function("ours/keyed", |b| {
            b.iter(|| {
                let mut scratch = Scratch::new();
                let signed = signer
                    .sign(&mut scratch, &request(black_box(&input)), &oauth(&input))
                    .unwrap();
                signed.authorization()
            });
        });
        // `Signer::authorization`: the signer made once, the thread's spare scratch, a new
        // header per call (what most callers write).
        group.bench_function("ours/authorization", |b| {
            b.iter(|| {
                signer
                    .authorization(&request(black_box(&input)), &oauth(&input))
                    .unwrap()
            });
        });
        group.bench_function("ours/reused_buffer", |b| {
            let mut scratch = Scratch::new();
            let mut header = String::new();
            b.iter(|| {
                let signed = signer
                    .sign(&mut scratch, &request(black_box(&input)), &oauth(&input))
                    .unwrap();
                header.clear();
                signed.write_authorization(&mut header);
                header.len()
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
