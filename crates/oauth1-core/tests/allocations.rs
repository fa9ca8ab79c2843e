//! Heap allocations per signature, counted by a wrapping global allocator.
//!
//! The crate itself forbids `unsafe`; this test needs one `unsafe impl GlobalAlloc` to count
//! calls into the system allocator, which is why the workspace lint is `deny` (overridable
//! here) while every crate root says `#![forbid(unsafe_code)]`.
#![allow(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use oauth1_core::{
    Body, ClientCredentials, HmacSha1, NonceUse, OAuthParams, Policy, Received, Request, Scratch,
    Secret, SignatureMethod, Signer, TokenCredentials,
};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Only the measuring thread counts: the test harness allocates on its own threads.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn counted() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; we only count.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted();
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        counted();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const URL: &str = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true";
const BODY: &[u8] = b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21";

fn signer() -> Signer<HmacSha1> {
    let client = ClientCredentials::new(
        "xvz1evFS4wEEPTGEFPHBog",
        "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    );
    let token = TokenCredentials::new(
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    );
    Signer::new(HmacSha1, &client, Some(&token)).unwrap()
}

fn count(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

// One test function: the counter is global, and tests in one binary run on parallel threads.
#[test]
fn allocations_per_signature() {
    let signer = signer();
    let request = Request::new("POST", URL).with_body(Body::Form(BODY));
    let oauth = OAuthParams::new("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958);

    // Reused buffers: warm up once, then count 100 signatures.
    let mut scratch = Scratch::new();
    let mut header = String::new();
    let sign = |scratch: &mut Scratch, header: &mut String| {
        let signed = signer.sign(scratch, &request, &oauth).unwrap();
        header.clear();
        signed.write_authorization(header);
        assert!(header.contains("hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"));
    };
    sign(&mut scratch, &mut header);
    let reused = count(|| {
        for _ in 0..100 {
            sign(&mut scratch, &mut header);
        }
    });
    println!("reused buffers: {reused} allocations in 100 signatures");
    assert!(
        reused <= 2 * 100,
        "at most 2 allocations per signature on the reused path, got {reused}/100"
    );
    assert_eq!(reused, 0, "the reused path should not allocate at all");

    // One shot: a fresh scratch and header per signature, the key already prepared.
    let keyed = count(|| {
        let mut scratch = Scratch::new();
        let signed = signer.sign(&mut scratch, &request, &oauth).unwrap();
        let _ = signed.authorization();
    });
    // From nothing: the key prepared too.
    let one_shot = count(|| {
        let _ = self::signer().authorization(&request, &oauth).unwrap();
    });
    // `Signer::authorization`, which signs in the thread's spare scratch: after the first
    // call, the header it returns is the only allocation.
    let _ = signer.authorization(&request, &oauth).unwrap();
    let pooled = count(|| {
        for _ in 0..100 {
            let header = signer.authorization(&request, &oauth).unwrap();
            assert!(header.contains("hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"));
        }
    });
    println!("Signer::authorization: {pooled} allocations in 100 signatures");
    assert_eq!(pooled, 100, "one allocation (the header) per call");
    // The same with protocol parameters the signer's template does not cover (a callback, a
    // verifier, an extension parameter) and a realm with quotes: the header's size is still
    // known before it is written.
    let general = OAuthParams::new("n%n\u{e9}", 1318622958)
        .callback("https://client.example/cb?a=1&b=\"2\"")
        .verifier("v@rifier")
        .extra("xoauth_requestor_id", "me@example.com")
        .realm("a \"quoted\\ realm\"");
    let _ = signer.authorization(&request, &general).unwrap();
    let pooled_general = count(|| {
        for _ in 0..100 {
            let header = signer.authorization(&request, &general).unwrap();
            assert!(header.contains("oauth_verifier=\"v%40rifier\""));
        }
    });
    println!("Signer::authorization, general way: {pooled_general} allocations in 100 signatures");
    assert_eq!(pooled_general, 100, "one allocation (the header) per call");
    println!("keyed signer, fresh buffers: {keyed} allocations; one shot: {one_shot} allocations");
    // Scratch arena, entries, base string, signature, nonce and timestamp text, the kept
    // base string head, header: one allocation each, plus the
    // signer's own strings in the one-shot case. A regression shows up here.
    assert!(keyed <= 7, "{keyed}");
    assert!(one_shot <= 16, "{one_shot}");

    // The receiving side: read the signed request back and verify it (key prepared, nonce
    // check a closure that allocates nothing).
    let key = HmacSha1
        .key(
            &Secret::new("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"),
            Some(&Secret::new("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")),
        )
        .unwrap();
    let policy = Policy::new(1318622958);
    let header_only = count(|| {
        let _ = oauth1_core::header::AuthorizationHeader::parse(&header).unwrap();
    });
    let mut received = None;
    let parsed = count(|| received = Some(Received::parse(&request, Some(&header)).unwrap()));
    let checked = count(|| {
        received
            .take()
            .unwrap()
            .verify(&HmacSha1, &key, &policy, &mut |_: &NonceUse<'_>| true)
            .unwrap();
    });
    let verified = parsed + checked;
    println!(
        "Received::parse + verify: {verified} allocations ({parsed} parsing, {checked} \
         verifying); AuthorizationHeader::parse alone (owned names and values): {header_only}"
    );
    assert!(verified <= VERIFY_ALLOCATIONS, "{verified}");
}

/// Allocations of one verification (`Received::parse` and `verify`), which reads the request
/// into the thread's spare scratch (the signing above left one): the protocol values, the
/// signature, and the header reader's buffer and name list. A regression shows up here.
const VERIFY_ALLOCATIONS: usize = 5;
