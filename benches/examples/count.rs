//! Runs one signing path N times, for instruction counting under callgrind (which does not
//! mind a busy machine, unlike wall-clock benchmarks):
//!
//! `valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/count reused a 1000`
//!
//! Subtract the count for N = 0 and divide by N.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use hmac::{Hmac, Mac};
use oauth1_core::Scratch;

#[path = "../benches/common/impls.rs"]
mod impls;
use impls::{
    base_string, floor_key, oauth, ours_one_shot, ours_sign, request, signer, their_input, theirs,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, which, n) = (&args[1], &args[2], args[3].parse::<usize>().unwrap());
    let input = oauth1_benches::all()
        .into_iter()
        .find(|i| i.name.starts_with(which.as_str()))
        .unwrap();
    let signer = signer(&input);
    let (request, oauth) = (request(&input), oauth(&input));
    let mut scratch = Scratch::new();
    let base = base_string(&input);
    let key = floor_key(&input);
    let their = their_input(&input);
    let mut header = String::new();
    let mut total = 0;
    for _ in 0..n {
        match path.as_str() {
            "floor" => {
                let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).unwrap();
                mac.update(black_box(base.as_bytes()));
                total += mac.finalize().into_bytes()[0] as usize;
            }
            "reused" => {
                let signed = signer
                    .sign(&mut scratch, black_box(&request), &oauth)
                    .unwrap();
                header.clear();
                signed.write_authorization(&mut header);
                total += header.len();
            }
            "keyed" => {
                let mut s = Scratch::new();
                total += signer
                    .sign(&mut s, black_box(&request), &oauth)
                    .unwrap()
                    .authorization()
                    .len();
            }
            "authorization" => {
                total += signer
                    .authorization(black_box(&request), &oauth)
                    .unwrap()
                    .len();
            }
            "oneshot" => {
                total += ours_one_shot(black_box(&input), &request, &oauth).len();
            }
            "fresh" => {
                total += ours_sign(black_box(&input)).len();
            }
            "oauth1-request" => {
                total += theirs(&input, black_box(&their)).len();
            }
            _ => {
                panic!("floor | reused | keyed | authorization | oneshot | fresh | oauth1-request")
            }
        }
    }
    println!("{total}");
}
