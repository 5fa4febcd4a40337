//! Percentiles, and what the kernel knows of a node process.

use std::{path::Path, process::Command};

/// The `q`-quantile (0 < q ≤ 1) of `values` by the nearest-rank method; `None` when empty.
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
	if values.is_empty() {
		return None;
	}
	let mut sorted = values.to_vec();
	sorted.sort_by(f64::total_cmp);
	let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
	sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// A process's CPU time so far (seconds) and its resident and peak memory (MiB).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcSample {
	pub cpu_seconds: f64,
	pub rss_mib: f64,
	pub peak_mib: f64,
}

/// Clock ticks per second, for `/proc/<pid>/stat`.
pub fn clock_ticks() -> f64 {
	Command::new("getconf")
		.arg("CLK_TCK")
		.output()
		.ok()
		.and_then(|o| String::from_utf8(o.stdout).ok())
		.and_then(|s| s.trim().parse::<f64>().ok())
		.unwrap_or(100.0)
}

/// Reads `/proc/<pid>`; `None` if the process is gone.
pub fn sample(pid: u32, ticks: f64) -> Option<ProcSample> {
	let stat =
		std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("stat")).ok()?;
	// The fields after the command name in parentheses: state is the first, utime the 12th.
	let after = stat.rsplit_once(')')?.1;
	let fields: Vec<&str> = after.split_whitespace().collect();
	let utime: f64 = fields.get(11)?.parse().ok()?;
	let stime: f64 = fields.get(12)?.parse().ok()?;
	let status =
		std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
	let kib = |name: &str| {
		status
			.lines()
			.find(|l| l.starts_with(name))
			.and_then(|l| l.split_whitespace().nth(1))
			.and_then(|v| v.parse::<f64>().ok())
			.unwrap_or(0.0)
	};
	Some(ProcSample {
		cpu_seconds: (utime + stime) / ticks,
		rss_mib: kib("VmRSS:") / 1024.0,
		peak_mib: kib("VmHWM:") / 1024.0,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn nearest_rank_percentiles() {
		let v: Vec<f64> = (1..=100).map(f64::from).collect();
		assert_eq!(percentile(&v, 0.5), Some(50.0));
		assert_eq!(percentile(&v, 0.95), Some(95.0));
		assert_eq!(percentile(&v, 1.0), Some(100.0));
		assert_eq!(percentile(&[7.0], 0.95), Some(7.0));
		assert_eq!(percentile(&[3.0, 1.0, 2.0], 0.5), Some(2.0));
		assert_eq!(percentile(&[], 0.5), None);
	}

	#[test]
	fn reads_its_own_process() {
		let ticks = clock_ticks();
		let s = sample(std::process::id(), ticks).expect("this process exists");
		assert!(s.rss_mib > 0.0 && s.peak_mib >= s.rss_mib * 0.5);
		assert!(s.cpu_seconds >= 0.0);
		assert!(sample(u32::MAX, ticks).is_none());
	}
}
