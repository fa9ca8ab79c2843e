//! Speed ratios that a drifting machine cannot skew: ours (reused buffers), the floor (the bare
//! HMAC-SHA1 of the same base string) and oauth1-request, timed in turn, round after round, on
//! the same inputs as `benches/sign.rs`.
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
use impls::{base_string, floor, floor_key, oauth, request, signer, their_input, theirs};

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

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(200, |r| r.parse().expect("rounds: a number"));
    println!("input      | ours (ns) | floor (ns) | oauth1-request (ns) | ours/floor (target <= 1.5) | oauth1-request/ours (target >= 2)");
    println!("---|---|---|---|---|---");
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
        let (mut ours, mut floors, mut them) = (Vec::new(), Vec::new(), Vec::new());
        let (mut over_floor, mut them_over_ours) = (Vec::new(), Vec::new());
        for round in 0..rounds + 5 {
            let o = time(n, || {
                let signed = signer
                    .sign(&mut scratch, black_box(&request), &oauth)
                    .unwrap();
                header.clear();
                signed.write_authorization(&mut header);
                black_box(header.len());
            });
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
            // The first rounds warm caches and clocks up.
            if round >= 5 {
                ours.push(o);
                floors.push(f);
                them.push(t);
                over_floor.push(o / f);
                them_over_ours.push(t / o);
            }
        }
        let (o, f, t) = (quartiles(ours).0, quartiles(floors).0, quartiles(them).0);
        let (r1, r1_lo, r1_hi) = quartiles(over_floor);
        let (r2, r2_lo, r2_hi) = quartiles(them_over_ours);
        println!(
            "{} | {o:.0} | {f:.0} | {t:.0} | {r1:.2}× ({r1_lo:.2}–{r1_hi:.2}) | {r2:.2}× ({r2_lo:.2}–{r2_hi:.2})",
            input.name
        );
    }
}
