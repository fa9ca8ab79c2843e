//! The in-memory nonce store is bounded in bytes, whatever the nonces clients send: measured
//! with a counting allocator (its own test binary, for the `#[global_allocator]`). The crate
//! forbids `unsafe`; this test needs one `unsafe impl GlobalAlloc` to count.
#![allow(unsafe_code)]
#![allow(clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use oauth1_core::NonceUse;
use oauth1_server::{MemoryNonceStore, NonceRecord, NonceStore, NONCE_ENTRY_BYTES};

/// Counts the bytes live on the heap and the most there were.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_store_full_of_long_nonces_stays_within_its_memory_limit() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let limit = 4 << 20;
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let store = MemoryNonceStore::with_memory_limit(limit).per_consumer(usize::MAX);
    let capacity = store.capacity();
    assert!(capacity <= limit / NONCE_ENTRY_BYTES);
    assert!(capacity > limit / NONCE_ENTRY_BYTES - 16);
    // Nonces of 4 KiB each: the old store kept every one whole (100 MiB here).
    let mut nonce = "n".repeat(4096);
    let mut accepted = 0;
    let mut peak_of_store = 0;
    for i in 0..capacity + 100 {
        nonce.truncate(4000);
        nonce.push_str(&i.to_string());
        let record = NonceRecord {
            nonce: NonceUse {
                consumer_key: "one consumer",
                token: Some("token"),
                nonce: &nonce,
                timestamp: 1_000,
            },
            now: 1_000,
            window: 300,
        };
        // The record and the nonce are the caller's: measure only what the store keeps.
        let outside = LIVE.load(Ordering::Relaxed);
        PEAK.store(outside, Ordering::Relaxed);
        if runtime.block_on(store.check_and_record(&record)).is_ok() {
            accepted += 1;
        }
        let kept = PEAK.load(Ordering::Relaxed) - before - (nonce.capacity());
        peak_of_store = peak_of_store.max(kept);
    }
    // Full at its capacity: each of its 16 shards holds a 16th, so the first refusals come a
    // little before the whole is full.
    assert!(accepted <= capacity, "{accepted} of {capacity}");
    assert!(accepted >= capacity * 95 / 100, "{accepted} of {capacity}");
    let held = LIVE.load(Ordering::Relaxed) - before - nonce.capacity();
    println!(
        "{capacity} nonces of 4 KiB: {held} bytes held ({} per nonce), peak {peak_of_store} \
         (limit {limit})",
        held / capacity
    );
    assert!(held <= limit, "{held} bytes held, limit {limit}");
    assert!(
        peak_of_store <= limit,
        "peak {peak_of_store}, limit {limit}"
    );
    drop(store);
}
