//! The scratch's sort, and what it keeps and overwrites (dropped, and as the thread's spare).

use super::Source;
use crate::{Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer};

/// Names that share their first eight bytes (equal keys) and equal names with other
/// values, in many orders, sort as a full sort by name then value would.
#[test]
fn equal_keys_are_sorted_by_name_then_value() {
    let pairs = [
        "parameter_b=2",
        "parameter_a=1",
        "parameter=3",
        "param=9",
        "parameter_a=0",
        "parameters=x",
        "z=1",
        "parameter_a=%41",
        "a=1",
        "parameter_b=1",
        "parametera=1",
    ];
    let mut seed = 7u64;
    for _ in 0..200 {
        let mut shuffled = pairs.to_vec();
        for i in (1..shuffled.len()).rev() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let mut scratch = Scratch::new();
        let form = shuffled.join("&");
        scratch
            .push_form(form.as_bytes(), Source::Body)
            .unwrap_or_else(|e| panic!("{e}"));
        scratch.sort();
        let text = |e: &super::Entry| {
            let arena = &scratch.arena;
            (
                arena[e.name.start..e.name.end].to_vec(),
                arena[e.value.start..e.value.end].to_vec(),
            )
        };
        let sorted: Vec<_> = scratch.entries.iter().map(text).collect();
        let mut expected = sorted.clone();
        expected.sort();
        assert_eq!(sorted, expected, "{form}");
    }
}

/// A signer and an xAuth request, whose password (`hunter2`) is a parameter.
fn xauth() -> (Signer<HmacSha1>, Request<'static>) {
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let form = b"x_auth_mode=client_auth&x_auth_password=hunter%32&x_auth_username=u";
    let request = Request::new("POST", "https://api.example.com/oauth/access_token")
        .with_body(Body::Form(form));
    (signer, request)
}

/// An xAuth password sent as a parameter is in the arena, the base string and the decoded
/// parameters after signing; wiping (which dropping does) leaves none of it.
#[test]
fn wiping_leaves_no_parameter_behind() {
    let (signer, request) = xauth();
    let mut scratch = Scratch::new();
    let signed = signer
        .sign(&mut scratch, &request, &OAuthParams::new("nonce", 1))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(signed.parameters().any(|p| p.value == b"hunter2"));
    let holds = |bytes: &[u8]| bytes.windows(7).any(|w| w == b"hunter2");
    assert!(holds(&scratch.arena) && holds(&scratch.base));
    scratch.wipe();
    assert!(scratch.arena.iter().chain(&scratch.base).all(|&b| b == 0));
    assert!(scratch.decoded.get().is_none());
}

/// Takes this thread's spare scratch out (the tests run each on its own thread).
fn spare() -> Option<Scratch> {
    super::SPARE.with(std::cell::Cell::take)
}

/// After signing in the thread's spare scratch, it holds nothing of the request but the
/// `METHOD&URI&` start of its base string, and is kept for the next call.
#[test]
fn the_spare_scratch_keeps_nothing_of_a_request() {
    let (signer, request) = xauth();
    let holds = |bytes: &[u8]| bytes.windows(7).any(|w| w == b"hunter2");
    let arena_at = Scratch::with_thread_local(|scratch| {
        let signed = signer
            .sign(scratch, &request, &OAuthParams::new("nonce", 1))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(signed.parameters().any(|p| p.value == b"hunter2"));
        assert!(holds(&scratch.arena) && holds(&scratch.base));
        scratch.arena.as_ptr()
    });
    let kept = spare().unwrap_or_else(|| panic!("the scratch is kept"));
    assert_eq!(kept.arena.as_ptr(), arena_at);
    assert_wiped(&kept);
    // Two requests signed in one call, the longer first: nothing of either is left.
    super::SPARE.with(|spare| spare.set(Some(kept)));
    Scratch::with_thread_local(|scratch| {
        for request in [&request, &Request::new("POST", request.url())] {
            let signed = signer.sign(scratch, request, &OAuthParams::new("nonce", 1));
            assert!(signed.is_ok());
        }
        assert!(holds(&scratch.arena) && holds(&scratch.base));
    });
    let kept = spare().unwrap_or_else(|| panic!("the scratch is kept"));
    assert_wiped(&kept);
    // Verifying the request reads it into the spare scratch, which the `Received` gives
    // back when dropped: with nothing of it left (a verification keeps no head).
    super::SPARE.with(|spare| spare.set(Some(kept)));
    let header = signer
        .authorization(&request, &OAuthParams::new("nonce", 1))
        .unwrap_or_else(|e| panic!("{e}"));
    let received =
        crate::Received::parse(&request, Some(&header)).unwrap_or_else(|e| panic!("{e}"));
    assert!(received.parameters().any(|p| p.value == b"hunter2"));
    drop(received);
    let kept = spare().unwrap_or_else(|| panic!("the scratch is given back"));
    assert_eq!(kept.arena.as_ptr(), arena_at, "the same memory, reused");
    assert!(kept.arena.iter().all(|&b| b == 0) && kept.base.iter().all(|&b| b == 0));
    assert!(kept.entries.is_empty() && kept.base_len == 0 && kept.used == 0);
}

/// Holds nothing but the start of the base string of the xAuth request of [`xauth`].
fn assert_wiped(kept: &Scratch) {
    assert!(kept.arena.iter().all(|&b| b == 0));
    let head = b"POST&https%3A%2F%2Fapi.example.com%2Foauth%2Faccess_token&";
    assert_eq!(&kept.base[..head.len()], head);
    assert!(kept.base[head.len()..].iter().all(|&b| b == 0));
    assert!(kept.decoded.get().is_none() && kept.signature.is_empty());
    assert!(kept.entries.is_empty() && kept.base_len == 0 && kept.used == 0);
}

/// A mix of requests signed one after another in the spare scratch (which keeps the start
/// of the last base string and wipes the rest) signs each as a fresh scratch does; a call
/// from inside another gets a scratch of its own; a request that grew the scratch past the
/// limit leaves none behind; a panic leaves none behind and the next call works.
#[test]
fn the_spare_scratch_signs_as_a_fresh_one() {
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let big = format!("a={}", "x".repeat(super::SPARE_MAX));
    let requests = [
        ("POST", "https://api.example.com/1/a?x=1&y=%20", "b=2&c=3"),
        ("POST", "https://api.example.com/1/a?x=2", ""),
        (
            "POST",
            "https://api.example.com/1/a",
            "long=value%20value%20value%20value",
        ),
        ("GET", "https://api.example.com/1/a?x=1", ""),
        ("POST", "https://API.example.com:443/1/b?q=%E2%98%83", "z=1"),
        ("POST", "https://api.example.com/1/a?x=1&y=%20", "b=2&c=3"),
        ("POST", "https://api.example.com/1/a?x=bad%2", ""),
        ("POST", "https://api.example.com/1/a?x=1", ""),
        ("POST", "https://api.example.com/1/a", big.as_str()),
        ("POST", "https://api.example.com/1/a?x=1", ""),
    ];
    let oauth = OAuthParams::new("nonce", 1);
    let fresh = |(method, url, body): (&str, &str, &str)| {
        let request = Request::new(method, url).with_body(Body::Form(body.as_bytes()));
        let mut scratch = Scratch::new();
        signer
            .sign(&mut scratch, &request, &oauth)
            .map(|s| (s.base_string().to_owned(), s.authorization()))
            .map_err(|e| e.to_string())
    };
    for (i, &(method, url, body)) in requests.iter().enumerate() {
        let request = Request::new(method, url).with_body(Body::Form(body.as_bytes()));
        let pooled = Scratch::with_thread_local(|scratch| {
            signer
                .sign(scratch, &request, &oauth)
                .map(|s| (s.base_string().to_owned(), s.authorization()))
                .map_err(|e| e.to_string())
        });
        assert_eq!(pooled, fresh((method, url, body)), "request {i}: {url}");
        let header = signer
            .authorization(&request, &oauth)
            .map_err(|e| e.to_string());
        assert_eq!(header, fresh((method, url, body)).map(|(_, h)| h), "{url}");
        // Verifying it reads the request into the spare scratch too (and gives it back
        // when dropped): the base string must be the fresh one, and the next signing in
        // the scratch it leaves must be too.
        if let (Ok(header), Ok((base, _))) = (&header, fresh((method, url, body))) {
            let received = crate::Received::parse(&request, Some(header))
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(received.base_string(), base, "request {i}: {url}");
        }
        if body.len() > super::SPARE_MAX {
            assert!(spare().is_none(), "a scratch past the limit is not kept");
        }
    }
    // Ten kilobytes of form leave the scratch kept.
    let medium = format!("a={}", "x".repeat(10_000));
    let request = Request::new("POST", requests[0].1).with_body(Body::Form(medium.as_bytes()));
    assert!(signer.authorization(&request, &oauth).is_ok());
    assert!(spare().is_some(), "a scratch within the limit is kept");
    // Nested: the inner call gets a fresh scratch while the outer one is in use.
    let (outer, inner) = Scratch::with_thread_local(|outer| {
        let (one, _, _) = requests[0];
        let inner = Scratch::with_thread_local(|inner| {
            assert_eq!(inner.arena.len(), 0, "a fresh scratch");
            signer.authorization(&Request::new(one, requests[1].1), &oauth)
        });
        let signed = signer.sign(outer, &Request::new(one, requests[3].1), &oauth);
        (
            signed.map(|s| s.authorization()).map_err(|e| e.to_string()),
            inner,
        )
    });
    assert_eq!(
        outer,
        fresh((requests[0].0, requests[3].1, "")).map(|(_, h)| h)
    );
    assert_eq!(
        inner.map_err(|e| e.to_string()),
        fresh((requests[0].0, requests[1].1, "")).map(|(_, h)| h)
    );
    // A panic drops the scratch (which wipes it); the next call starts afresh.
    let panicked = std::panic::catch_unwind(|| {
        Scratch::with_thread_local(|scratch| {
            let request = Request::new("POST", requests[0].1);
            let _ = signer.sign(scratch, &request, &oauth);
            panic!("inside");
        })
    });
    assert!(panicked.is_err() && spare().is_none());
    let again = signer.authorization(&Request::new("POST", requests[0].1), &oauth);
    assert_eq!(
        again.map_err(|e| e.to_string()),
        fresh(("POST", requests[0].1, "")).map(|(_, h)| h)
    );
}
