//! The runtime fuzz target (libFuzzer): see the `paychain_fuzz` crate for the input format and
//! what is checked. Built and run by `scripts/fuzz.sh`, which also runs its two other modes
//! (libFuzzer owns `main`, and every binary of the instrumented build needs its callbacks):
//! - `PAYCHAIN_FUZZ_MODE=seeds PAYCHAIN_FUZZ_SEEDS=<dir>`: writes the seed inputs and exits;
//! - `PAYCHAIN_FUZZ_MODE=try-upgrade`: the runtime upgrade from spec 111 with try-runtime's
//!   checks; exits non-zero if a check fails.
#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};

static INPUTS: AtomicU64 = AtomicU64::new(0);

libfuzzer_sys::fuzz_target!(
	init: {
		match std::env::var("PAYCHAIN_FUZZ_MODE").as_deref() {
			Ok("seeds") => {
				let dir = std::env::var("PAYCHAIN_FUZZ_SEEDS").expect("PAYCHAIN_FUZZ_SEEDS: a directory");
				match paychain_fuzz::seeds::write(&dir) {
					Ok(n) => println!("seeds: {n} inputs in {dir}"),
					Err(e) => {
						eprintln!("seeds: {dir}: {e}");
						std::process::exit(1);
					},
				}
				std::process::exit(0);
			},
			Ok("try-upgrade") => match paychain_fuzz::upgrade::try_upgrade() {
				Ok(report) => {
					println!("try-upgrade: {report}");
					std::process::exit(0);
				},
				Err(e) => {
					eprintln!("try-upgrade: {e}");
					std::process::exit(1);
				},
			},
			_ => {},
		}
	},
	|data: &[u8]| {
		paychain_fuzz::execute(data);
		// What the inputs reached, now and then (libFuzzer reports the executions itself).
		if INPUTS.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
			eprintln!("#paychain {}", paychain_fuzz::STATS.report());
		}
	}
);
