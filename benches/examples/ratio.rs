//! Speed ratios that a drifting machine cannot skew: ours on three paths, the floor (the bare
//! HMAC-SHA1 of the same base string) and oauth1-request, timed in turn, round after round, on
//! the same inputs as `benches/sign.rs`. Our paths:
//!
//! - **one-shot**: a new `Signer` per request, then `Signer::authorization` (what the README
//!   shows);
//! - **authorization**: the signer made once, `Signer::authorization` per request (the thread's
//!   spare scratch, a new header);
//! - **reused**: the signer made once, `Signer::sign` into one `Scratch` and one header `String`
//!   reused.
//!
//! Criterion times one function after the other, so when the machine slows down between them
//! (a shared vCPU does, by a third at times), their ratio moves with it. Here each round times
//! a short batch of each, back to back; a ratio is taken within each round and the median over
//! the rounds is reported, with the range of the middle half.
//!
//! `cargo run --release -p oauth1-benches --example ratio [rounds]` (default 200 rounds)
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use oauth1_core::Scratch;

#[path = "../benches/common/impls.rs"]
mod impls;
use impls::{
    base_string, floor, floor_key, oauth, ours_one_shot, request, signer, their_input, theirs,
};

/// Nanoseconds per call of `f`, over a batch of `n` calls.
fn time(n: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

/// The median and the quartiles of `xs`.
fn quartiles(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let at = |q: f64| xs[((xs.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.25), at(0.75))
}

/// The median of `xs`, with the range of the middle half, as `1.23× (1.20–1.25)`.
fn ratio(xs: Vec<f64>) -> String {
    let (m, lo, hi) = quartiles(xs);
    format!("{m:.2}× ({lo:.2}–{hi:.2})")
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(200, |r| r.parse().expect("rounds: a number"));
    println!("Medians, ns per signature:");
    println!();
    println!(
        "input | floor | oauth1-request | ours, one-shot | ours, authorization | ours, reused"
    );
    println!("---|---|---|---|---|---");
    let mut ratios = Vec::new();
    let mut parts = Vec::new();
    for input in oauth1_benches::all() {
        let signer = signer(&input);
        let (request, oauth) = (request(&input), oauth(&input));
        let mut scratch = Scratch::new();
        let base = base_string(&input);
        let key = floor_key(&input);
        let their = their_input(&input);
        let mut header = String::new();
        let mut floor_out = String::new();
        // About 50 µs per batch, whatever the input's size.
        let n = (50_000 / (base.len() as u32 / 8 + 100)).max(10);
        // Per round: floor, oauth1-request, one-shot, authorization, reused.
        let mut times: [Vec<f64>; 5] = Default::default();
        let mut over_floor = Vec::new();
        let mut them_over: [Vec<f64>; 3] = Default::default();
        for round in 0..rounds + 5 {
            let f = time(n, || {
                floor(
                    black_box(key.as_bytes()),
                    black_box(base.as_bytes()),
                    &mut floor_out,
                );
            });
            let t = time(n, || {
                black_box(theirs(black_box(&input), &their));
            });
            let one_shot = time(n, || {
                black_box(ours_one_shot(black_box(&input), &request, &oauth));
            });
            let authorization = time(n, || {
                black_box(signer.authorization(black_box(&request), &oauth).unwrap());
            });
            let reused = time(n, || {
                let signed = signer
                    .sign(&mut scratch, black_box(&request), &oauth)
                    .unwrap();
                header.clear();
                signed.write_authorization(&mut header);
                black_box(header.len());
            });
            // The first rounds warm caches and clocks up.
            if round >= 5 {
                let all = [f, t, one_shot, authorization, reused];
                for (v, x) in times.iter_mut().zip(all) {
                    v.push(x);
                }
                over_floor.push(reused / f);
                for (v, x) in them_over.iter_mut().zip([one_shot, authorization, reused]) {
                    v.push(t / x);
                }
            }
        }
        let [f, t, one_shot, authorization, reused] = times.map(|v| quartiles(v).0);
        // Then, in rounds of their own (so as not to change the caches the paths above run
        // with), two parts of the one-shot: a new signer (credentials, key, template) dropped at
        // once, and the HMAC keying alone (what any signer made for one request must do: the
        // `hmac` crate's key setup).
        let (mut new_signers, mut keyings) = (Vec::new(), Vec::new());
        for round in 0..rounds / 4 + 5 {
            let new_signer = time(n, || {
                black_box(impls::signer(black_box(&input)));
            });
            let keying = time(n, || {
                black_box(floor_key_setup(black_box(key.as_bytes())));
            });
            if round >= 5 {
                new_signers.push(new_signer);
                keyings.push(keying);
            }
        }
        let (new_signer, keying) = (quartiles(new_signers).0, quartiles(keyings).0);
        println!(
            "{} | {f:.0} | {t:.0} | {one_shot:.0} | {authorization:.0} | {reused:.0}",
            input.name
        );
        parts.push((input.name, new_signer, keying));
        ratios.push((input.name, over_floor, them_over));
    }
    println!();
    println!("oauth1-request / ours (target >= 1.5 one-shot, >= 2 reused), ours reused / floor (target <= 1.5):");
    println!();
    println!("input | one-shot | authorization | reused | reused / floor");
    println!("---|---|---|---|---");
    for (name, over_floor, [one_shot, authorization, reused]) in ratios {
        println!(
            "{name} | {} | {} | {} | {}",
            ratio(one_shot),
            ratio(authorization),
            ratio(reused),
            ratio(over_floor)
        );
    }
    println!();
    println!("Parts of the one-shot, medians, ns:");
    println!();
    println!("input | Signer::new and its drop (credentials included) | HMAC-SHA1 keying alone");
    println!("---|---|---");
    for (name, new_signer, keying) in parts {
        println!("{name} | {new_signer:.0} | {keying:.0}");
    }
}

/// The HMAC-SHA1 key setup alone (the `hmac` crate's): what any signer made for one request
/// must do before hashing.
fn floor_key_setup(key: &[u8]) -> impl Sized {
    <hmac::Hmac<sha1::Sha1> as hmac::Mac>::new_from_slice(key).unwrap()
}
