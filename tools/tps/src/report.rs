//! The results: a Markdown table (pasted into docs/PERFORMANCE.md as printed), the targets of
//! issue 9, and JSON.

use crate::bench::KindResult;
use serde_json::json;
use std::fmt::Write as _;

/// One kind's summary, printed as soon as it is measured.
pub fn line(r: &KindResult) -> String {
	format!(
		"[{}] {:.0} finalized tx/s, {:.0} payments/s; {} of {} accepted, {} finalized, {} lost, \
		 {} doubled, {} failed; finality p95 {:.0} ms, lag p95 {} blocks",
		r.kind,
		r.tps,
		r.payments_per_s,
		r.accepted,
		r.submitted,
		r.finalized,
		r.lost,
		r.doubled,
		r.failed,
		r.finality_ms.1,
		r.lag_p95
	)
}

/// What is known of each lost transaction described, one line each.
pub fn lost(r: &KindResult) -> String {
	let mut out = String::new();
	for l in &r.lost_detail {
		let slot = match l.chain_nonce {
			Some(n) if n == l.nonce => "its nonce is still open on chain: dropped, never executed",
			Some(n) if n > l.nonce => "its nonce was used by another transaction",
			Some(_) => "an earlier nonce of its sender is still open",
			None => "the sender's nonce could not be read",
		};
		let _ = writeln!(
			out,
			"[{}] lost 0x{}: account #{} nonce {} via {}; {} a best block; {slot}",
			r.kind,
			crate::rpc::hex(&l.hash).trim_start_matches("0x"),
			l.sender,
			l.nonce,
			l.node,
			if l.seen_in_best_block { "was in" } else { "never seen in" },
		);
	}
	if r.lost > r.lost_detail.len() {
		let _ = writeln!(out, "[{}] … and {} more", r.kind, r.lost - r.lost_detail.len());
	}
	out
}

/// Payments per second over the plain transfer's in the same run.
fn ratio(r: &KindResult, plain: Option<&KindResult>) -> f64 {
	match plain {
		Some(p) if p.payments_per_s > 0.0 => r.payments_per_s / p.payments_per_s,
		_ => f64::NAN,
	}
}

pub fn table(results: &[KindResult], rate: u32, baseline: Option<u32>, duration: u64) -> String {
	let plain = results.iter().find(|r| r.kind == "plain");
	let mut out = String::new();
	let _ = match baseline {
		Some(b) => writeln!(
			out,
			"Offered load: {rate} payments a second ({b} for the plain transfer) for {duration} s \
			 per kind.\n"
		),
		None => {
			writeln!(out, "Offered load: {rate} payments a second for {duration} s per kind.\n")
		},
	};
	let _ = writeln!(
		out,
		"| kind | submitted | accepted | finalized | lost | doubled | failed | finalized tx/s \
		 | payments per tx | finalized payments/s | × plain \
		 | inclusion p50 / p95 (ms) | finality p50 / p95 (ms) | finality lag p95 / max (blocks) \
		 | tx per block avg / max | block fullness avg / max | weight per tx charged / in blocks (µs) \
		 | blocks / slots |"
	);
	let _ = writeln!(
		out,
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	);
	for r in results {
		let _ = writeln!(
			out,
			"| {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} / {:.0} | {:.0} / {:.0} | {} / {} | {:.0} / {} | {:.0}% / {:.0}% | {:.0} / {:.0} | {} / {} |",
			r.kind,
			r.submitted,
			r.accepted,
			r.finalized,
			r.lost,
			r.doubled,
			r.failed,
			r.tps,
			r.payments_per_tx,
			r.payments_per_s,
			ratio(r, plain),
			r.inclusion_ms.0,
			r.inclusion_ms.1,
			r.finality_ms.0,
			r.finality_ms.1,
			r.lag_p95,
			r.lag_max,
			r.per_block.0,
			r.per_block.1,
			r.fullness.0,
			r.fullness.1,
			r.weight_us.0,
			r.weight_us.1,
			r.slots.0,
			r.slots.1
		);
	}
	let _ = writeln!(
		out,
		"\nEach node's CPU (% of one core, averaged over the kind's window) and memory:\n"
	);
	let names: Vec<&str> = results
		.first()
		.map(|r| r.nodes.iter().map(|(n, ..)| n.as_str()).collect())
		.unwrap_or_default();
	let _ = writeln!(
		out,
		"| kind | window (s) | {} |",
		names.iter().map(|n| format!("{n} CPU / RSS / peak")).collect::<Vec<_>>().join(" | ")
	);
	let _ = writeln!(out, "|---|---:|{}", "---:|".repeat(names.len()));
	for r in results {
		let cells: Vec<String> = r
			.nodes
			.iter()
			.map(|(_, cpu, rss, peak)| format!("{cpu:.0}% / {rss:.0} MiB / {peak:.0} MiB"))
			.collect();
		let _ = writeln!(out, "| {} | {:.0} | {} |", r.kind, r.window_s, cells.join(" | "));
	}
	let rejected: Vec<String> = results
		.iter()
		.flat_map(|r| r.rejected.iter().take(3).map(move |(e, n)| format!("{}: {n} × {e}", r.kind)))
		.collect();
	if !rejected.is_empty() {
		let _ = writeln!(out, "\nRejected at submission:\n");
		for r in rejected {
			let _ = writeln!(out, "- {r}");
		}
	}
	let failed: Vec<String> = results
		.iter()
		.flat_map(|r| r.failures.iter().take(3).map(move |(e, n)| format!("{}: {n} × {e}", r.kind)))
		.collect();
	if !failed.is_empty() {
		let _ = writeln!(out, "\nFailed in their blocks:\n");
		for f in failed {
			let _ = writeln!(out, "- {f}");
		}
	}
	let _ = writeln!(out, "\n{}", targets(results, duration));
	out
}

/// Issue 9's targets, each with what was measured.
pub fn targets(results: &[KindResult], duration: u64) -> String {
	let plain = results.iter().find(|r| r.kind == "plain");
	let mut out = String::from("Targets:\n");
	let mark = |ok: bool| if ok { "met" } else { "NOT met" };
	if let Some(c) = results.iter().find(|r| r.kind == "compliance") {
		let x = ratio(c, plain);
		let _ = writeln!(out, "- compliance-checked ≥ 0.7× plain: {x:.2}× — {}", mark(x >= 0.7));
	}
	// A payment checked by every rule, one per transaction or many in a bulk transfer.
	for c in results.iter().filter(|r| r.kind == "compliance" || r.kind == "bulk") {
		let sustained = c.payments_per_s >= 1_000.0 && duration >= 60;
		let _ = writeln!(
			out,
			"- ≥ 1,000 finalized compliance-checked payments a second over ≥ 60 s ({}, {:.0} a \
			 transaction): {:.0} over {duration} s — {}",
			c.kind,
			c.payments_per_tx,
			c.payments_per_s,
			mark(sustained)
		);
		let _ = writeln!(
			out,
			"- finality lag ≤ 2 blocks at p95 under that load ({}): {} — {}",
			c.kind,
			c.lag_p95,
			mark(c.lag_p95 <= 2)
		);
	}
	let lost: usize = results.iter().map(|r| r.lost).sum();
	let doubled: usize = results.iter().map(|r| r.doubled).sum();
	let _ = writeln!(
		out,
		"- every accepted transaction finalized exactly once: {lost} lost, {doubled} doubled — {}",
		mark(lost == 0 && doubled == 0)
	);
	let failed: usize = results.iter().map(|r| r.failed).sum();
	let _ = writeln!(
		out,
		"- every finalized payment succeeded (no call failed in its block): {failed} failed — {}",
		mark(failed == 0)
	);
	out
}

pub fn json(results: &[KindResult], rate: u32, baseline: Option<u32>, duration: u64) -> String {
	let plain = results.iter().find(|r| r.kind == "plain");
	let kinds: Vec<_> = results
		.iter()
		.map(|r| {
			json!({
				"kind": r.kind,
				"submitted": r.submitted,
				"accepted": r.accepted,
				"rejected": r.rejected,
				"finalized": r.finalized,
				"lost": r.lost,
				"doubled": r.doubled,
				"failed": r.failed,
				"failures": r.failures,
				"lost_detail": r.lost_detail.iter().map(|l| json!({
					"hash": crate::rpc::hex(&l.hash),
					"account": l.sender,
					"nonce": l.nonce,
					"submitted_to": l.node,
					"seen_in_best_block": l.seen_in_best_block,
					"chain_nonce": l.chain_nonce,
				})).collect::<Vec<_>>(),
				"finalized_tps": r.tps,
				"payments_per_tx": r.payments_per_tx,
				"finalized_payments_per_s": r.payments_per_s,
				"ratio_to_plain": ratio(r, plain),
				"submit_rate": r.submit_rate,
				"inclusion_ms": {"p50": r.inclusion_ms.0, "p95": r.inclusion_ms.1},
				"finality_ms": {"p50": r.finality_ms.0, "p95": r.finality_ms.1},
				"finality_lag_blocks": {"p95": r.lag_p95, "max": r.lag_max},
				"blocks": r.blocks,
				"slots": {"with_a_block": r.slots.0, "in_span": r.slots.1},
				"tx_per_block": {"avg": r.per_block.0, "max": r.per_block.1},
				"fullness_percent": {"avg": r.fullness.0, "max": r.fullness.1},
				"weight_us": {"charged": r.weight_us.0, "in_blocks": r.weight_us.1},
				"window_s": r.window_s,
				"nodes": r.nodes.iter().map(|(n, cpu, rss, peak)| json!({
					"name": n, "cpu_percent": cpu, "rss_mib": rss, "peak_mib": peak
				})).collect::<Vec<_>>(),
			})
		})
		.collect();
	let baseline = baseline.unwrap_or(rate);
	serde_json::to_string_pretty(
		&json!({"rate": rate, "baseline_rate": baseline, "duration_s": duration, "kinds": kinds}),
	)
	.unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn result(kind: &'static str, tps: f64, lost: usize) -> KindResult {
		KindResult {
			kind,
			tps,
			payments_per_tx: 1.0,
			payments_per_s: tps,
			lost,
			submitted: 10,
			accepted: 10,
			finalized: 10 - lost,
			..Default::default()
		}
	}

	#[test]
	fn targets_compare_with_the_plain_transfer_of_the_same_run() {
		let text = targets(&[result("plain", 1_500.0, 0), result("compliance", 1_200.0, 0)], 60);
		assert!(text.contains("0.80× — met"), "{text}");
		assert!(text.contains("(compliance, 1 a transaction): 1200 over 60 s — met"), "{text}");
		assert!(text.contains("0 lost, 0 doubled — met"), "{text}");
		assert!(text.contains("0 failed — met"), "{text}");
		let text = targets(&[result("plain", 1_500.0, 0), result("compliance", 900.0, 1)], 30);
		assert!(text.contains("0.60× — NOT met"), "{text}");
		assert!(text.contains("900 over 30 s — NOT met"), "{text}");
		assert!(text.contains("1 lost, 0 doubled — NOT met"), "{text}");
		// A bulk's payments count, each checked: 60 transactions of 20 payments a second.
		let mut bulk = result("bulk", 60.0, 0);
		(bulk.payments_per_tx, bulk.payments_per_s, bulk.lag_p95) = (20.0, 1_200.0, 1);
		let text =
			targets(&[result("plain", 1_500.0, 0), result("compliance", 300.0, 0), bulk], 60);
		assert!(text.contains("(compliance, 1 a transaction): 300 over 60 s — NOT met"), "{text}");
		assert!(text.contains("(bulk, 20 a transaction): 1200 over 60 s — met"), "{text}");
		assert!(text.contains("under that load (bulk): 1 — met"), "{text}");
	}

	#[test]
	fn each_lost_transaction_is_explained_by_its_nonce() {
		use crate::bench::LostTx;
		let lost = |nonce, chain_nonce, seen| LostTx {
			hash: [0xab; 32],
			sender: 7,
			nonce,
			node: "payments".into(),
			seen_in_best_block: seen,
			chain_nonce,
		};
		let mut r = result("plain", 100.0, 4);
		r.lost_detail = vec![lost(1, Some(1), true), lost(1, Some(2), false), lost(3, None, false)];
		let text = super::lost(&r);
		let lines: Vec<&str> = text.lines().collect();
		assert_eq!(lines.len(), 4, "{text}");
		assert!(
			lines[0].contains("account #7 nonce 1 via payments; was in a best block"),
			"{text}"
		);
		assert!(lines[0].ends_with("still open on chain: dropped, never executed"), "{text}");
		assert!(lines[1].contains("never seen in a best block"), "{text}");
		assert!(lines[1].ends_with("used by another transaction"), "{text}");
		assert!(lines[2].ends_with("could not be read"), "{text}");
		assert_eq!(lines[3], "[plain] … and 1 more");
		assert!(super::lost(&result("plain", 100.0, 0)).is_empty());
	}

	fn table_of(results: &[KindResult]) -> String {
		table(results, 1_000, None, 60)
	}

	#[test]
	fn the_table_has_a_row_per_kind() {
		let table =
			table(&[result("plain", 1_000.0, 0), result("compliance", 800.0, 0)], 1_000, None, 60);
		assert!(table.starts_with("Offered load: 1000 payments a second for 60 s"), "{table}");
		assert!(
			table.contains("| plain | 10 | 10 | 10 | 0 | 0 | 0 | 1000 | 1 | 1000 | 1.00 |"),
			"{table}"
		);
		assert!(
			table.contains("| compliance | 10 | 10 | 10 | 0 | 0 | 0 | 800 | 1 | 800 | 0.80 |"),
			"{table}"
		);
		assert!(!table.contains("Failed in their blocks"), "{table}");
		let mut mint = result("mint", 700.0, 0);
		mint.failed = 3;
		mint.failures = vec![("Settlement(NoReserve)".into(), 3)];
		mint.slots = (9, 14);
		let table = table_of(&[result("plain", 1_000.0, 0), mint]);
		assert!(
			table.contains("| mint | 10 | 10 | 10 | 0 | 0 | 3 | 700 | 1 | 700 | 0.70 |"),
			"{table}"
		);
		assert!(table.contains("Failed in their blocks:\n\n- mint: 3 × Settlement(NoReserve)"));
		assert!(table.contains("3 failed — NOT met"), "{table}");
		assert!(table.contains("| 9 / 14 |\n"), "{table}");
		// A bulk's payments are counted, and its ratio is of payments.
		let mut bulk = result("bulk", 50.0, 0);
		(bulk.payments_per_tx, bulk.payments_per_s) = (20.0, 1_000.0);
		let with_bulk = table_of(&[result("plain", 500.0, 0), bulk]);
		assert!(
			with_bulk.contains("| bulk | 10 | 10 | 10 | 0 | 0 | 0 | 50 | 20 | 1000 | 2.00 |"),
			"{with_bulk}"
		);
		let baseline = super::table(&[result("plain", 500.0, 0)], 1_000, Some(600), 60);
		assert!(baseline.starts_with("Offered load: 1000 payments a second (600 for the plain"));
	}
}
