//! Runs one signing path N times, for instruction counting under callgrind (which does not
//! mind a busy machine, unlike wall-clock benchmarks):
//!
//! `valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/count reused a 1000`
//!
//! Subtract the count for N = 0 and divide by N.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use hmac::{Hmac, Mac};
use oauth1_core::encode::percent_encode;
use oauth1_core::{
    Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, which, n) = (&args[1], &args[2], args[3].parse::<usize>().unwrap());
    let input = oauth1_benches::all()
        .into_iter()
        .find(|i| i.name.starts_with(which.as_str()))
        .unwrap();
    let signer = Signer::new(
        HmacSha1,
        &ClientCredentials::new(input.consumer.0, input.consumer.1),
        Some(&TokenCredentials::new(input.token.0, input.token.1)),
    )
    .unwrap();
    let mut oauth = OAuthParams::new(input.nonce, input.timestamp).version(input.version);
    if let Some(r) = input.realm {
        oauth = oauth.realm(r);
    }
    let request =
        Request::new(input.method, &input.url).with_body(Body::Form(input.body.as_bytes()));
    let mut scratch = Scratch::new();
    let base = signer
        .sign(&mut scratch, &request, &oauth)
        .unwrap()
        .base_string()
        .to_owned();
    let key = format!(
        "{}&{}",
        percent_encode(input.consumer.1),
        percent_encode(input.token.1)
    );
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
            "oneshot" => {
                let signer = Signer::new(
                    HmacSha1,
                    &ClientCredentials::new(input.consumer.0, input.consumer.1),
                    Some(&TokenCredentials::new(input.token.0, input.token.1)),
                )
                .unwrap();
                total += signer
                    .authorization(black_box(&request), &oauth)
                    .unwrap()
                    .len();
            }
            _ => panic!("floor | reused | keyed | oneshot"),
        }
    }
    println!("{total}");
}
