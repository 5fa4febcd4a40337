//! The runtime fuzz target (libFuzzer): see the `paychain_fuzz` crate for the input format and
//! what is checked. Built and run by `scripts/fuzz.sh`.
#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};

static INPUTS: AtomicU64 = AtomicU64::new(0);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	paychain_fuzz::execute(data);
	// What the inputs reached, now and then (libFuzzer reports the executions itself).
	if INPUTS.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
		eprintln!("#paychain {}", paychain_fuzz::STATS.report());
	}
});
