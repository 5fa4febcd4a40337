//! `paychain-tps`: Paychain's throughput benchmark. `scripts/bench-tps.sh` runs it end to end
//! (spec, the four validators on loopback, every kind, the table); see docs/PERFORMANCE.md.
//!
//! - `paychain-tps spec`: writes the benchmark chain's raw spec (the consortium preset with the
//!   benchmark's accounts, registered and funded, and plain transfers open);
//! - `paychain-tps check`: refuses impossible parameters, before anything is started;
//! - `paychain-tps run`: measures each kind against the running validators and prints the table.

mod accounts;
mod bench;
mod report;
mod rpc;
mod setup;
mod spec;
mod stats;
mod watch;

use accounts::CUSTOMERS_PER_INSTITUTION;
use bench::{Bench, Kind, Node};
use clap::{Args, Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode, time::Duration};

#[derive(Parser)]
#[command(name = "paychain-tps", about = "Paychain's throughput benchmark")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Write the benchmark chain's raw spec.
	Spec {
		/// The node binary, for `build-spec`.
		#[arg(long)]
		node: PathBuf,
		/// The committed consortium spec, for its boot nodes.
		#[arg(long)]
		consortium_spec: PathBuf,
		#[arg(long)]
		out: PathBuf,
		#[command(flatten)]
		load: Load,
	},
	/// Check the parameters and print the plan.
	Check {
		#[command(flatten)]
		load: Load,
	},
	/// Measure every kind on the running validators.
	Run {
		/// A validator: `name:rpc-port:pid` (repeat; the first is the one watched).
		#[arg(long = "validator", required = true)]
		validators: Vec<String>,
		/// After the last submission, the seconds without progress after which the accepted
		/// transactions not yet finalized count as lost.
		#[arg(long, default_value_t = 60)]
		stall: u64,
		/// After the last submission, the seconds the chain has in all to finalize them.
		#[arg(long, default_value_t = 900)]
		drain_max: u64,
		/// Also write the results as JSON here.
		#[arg(long)]
		json: Option<PathBuf>,
		#[command(flatten)]
		load: Load,
	},
}

/// The load: shared by every subcommand, so the spec and the run agree.
#[derive(Args, Clone, Debug)]
struct Load {
	/// Funded, registered accounts that send the payments.
	#[arg(long, default_value_t = 20_000)]
	accounts: u32,
	/// Payments submitted per second: transactions, except for a bulk transfer, whose one
	/// transaction carries several payments.
	#[arg(long, default_value_t = 1_000)]
	rate: u32,
	/// The plain transfer's rate, if not `--rate`: a plain transfer is one payment a
	/// transaction, and a flood of transactions far beyond what the chain carries stalls the
	/// network (docs/PERFORMANCE.md, "Overload"), so a run of bulk transfers at a high rate of
	/// payments offers the baseline its own capacity.
	#[arg(long)]
	baseline_rate: Option<u32>,
	/// Seconds of submission per kind.
	#[arg(long, default_value_t = 60)]
	duration: u64,
	/// The kinds, comma-separated; `plain`, the baseline, always runs first.
	#[arg(
		long,
		default_value = "plain,compliance,bulk,escrow,fiscal,mint-redeem,ledger",
		value_delimiter = ','
	)]
	kinds: Vec<String>,
}

/// The standard-KYC velocity rule raises an alert beyond 500 payments a day: the benchmark
/// stays under it, so it measures payments, not alerts.
const MAX_PAYMENTS_PER_ACCOUNT: u64 = 400;
/// The enhanced-KYC velocity rule raises an alert beyond 10,000 payments a day.
const MAX_PAYMENTS_PER_INSTITUTION: u64 = 9_000;
const MAX_RATE: u32 = 20_000;
const MAX_DURATION: u64 = 3_600;
const MAX_ACCOUNTS: u32 = 200_000;
const MAX_TRANSACTIONS_PER_KIND: u64 = 2_000_000;

impl Load {
	/// The kinds to run, `plain` first; or why the parameters cannot work.
	fn validate(&self) -> Result<Vec<Kind>, String> {
		if self.rate == 0 || self.rate > MAX_RATE {
			return Err(format!(
				"--rate must be between 1 and {MAX_RATE} a second, not {}",
				self.rate
			));
		}
		if let Some(rate) = self.baseline_rate.filter(|r| *r == 0 || *r > MAX_RATE) {
			return Err(format!(
				"--baseline-rate must be between 1 and {MAX_RATE} a second, not {rate}"
			));
		}
		if self.duration == 0 || self.duration > MAX_DURATION {
			return Err(format!(
				"--duration must be between 1 and {MAX_DURATION} seconds, not {}",
				self.duration
			));
		}
		if self.accounts < 2 || self.accounts > MAX_ACCOUNTS {
			return Err(format!(
				"--accounts must be between 2 and {MAX_ACCOUNTS}, not {}",
				self.accounts
			));
		}
		let per_kind = self.rate as u64 * self.duration;
		if per_kind > MAX_TRANSACTIONS_PER_KIND {
			return Err(format!(
				"--rate × --duration = {per_kind} payments a kind: at most \
				 {MAX_TRANSACTIONS_PER_KIND} are pre-signed in memory"
			));
		}
		let mut kinds = vec![Kind::Plain];
		for name in &self.kinds {
			let named = Kind::parse(name).ok_or_else(|| {
				let known: Vec<_> = Kind::ALL.iter().map(|k| k.name()).collect();
				format!(
					"unknown kind `{name}` (known: {}; escrow, mint-redeem and ledger for all \
					 their steps)",
					known.join(", ")
				)
			})?;
			for kind in named {
				if !kinds.contains(&kind) {
					kinds.push(kind);
				}
			}
		}
		for (at, kind) in kinds.iter().enumerate() {
			if let Some(needed) = kind.needs() {
				if !kinds[..at].contains(&needed) {
					return Err(format!(
						"{} uses what {} leaves on chain: list {} before it",
						kind.name(),
						needed.name(),
						needed.name()
					));
				}
			}
		}
		let checked = kinds.iter().filter(|k| k.is_checked()).count() as u64;
		let per_account = per_kind.div_ceil(self.accounts as u64) * checked;
		if per_account > MAX_PAYMENTS_PER_ACCOUNT {
			let needed = (per_kind * checked).div_ceil(MAX_PAYMENTS_PER_ACCOUNT);
			return Err(format!(
				"{per_account} checked payments per account would trip the velocity rule's alert \
				 (500 a day for standard KYC): use --accounts {needed} or more, or a lower rate \
				 or duration"
			));
		}
		// An institution sends to its customers only: each sends this many of an institutional
		// kind, under its own velocity rule (enhanced KYC: an alert beyond 10,000 a day).
		let paying = kinds.iter().filter(|k| k.pays_from_institution()).count() as u64;
		if paying > 0 {
			let served = (self.accounts as u64).min(CUSTOMERS_PER_INSTITUTION as u64);
			let per_institution = per_kind.div_ceil(self.accounts as u64) * served * paying;
			if per_institution > MAX_PAYMENTS_PER_INSTITUTION {
				return Err(format!(
					"{per_institution} payments per institution would trip the velocity rule's \
					 alert (10,000 a day for enhanced KYC): use more --accounts, or a lower \
					 rate or duration"
				));
			}
		}
		Ok(kinds)
	}

	/// What the fiscal program must hold: one PCNY for each disbursement.
	fn program_total(&self) -> u128 {
		self.rate as u128 * self.duration as u128 * paychain_runtime::UNITS
	}
}

fn main() -> ExitCode {
	match run(Cli::parse()) {
		Ok(code) => code,
		Err(e) => {
			eprintln!("paychain-tps: {e}");
			ExitCode::from(2)
		},
	}
}

fn run(cli: Cli) -> Result<ExitCode, String> {
	match cli.command {
		Command::Spec { node, consortium_spec, out, load } => {
			load.validate()?;
			let accounts = accounts::Accounts::new(load.accounts);
			spec::write(&node, &consortium_spec, &accounts, load.program_total(), &out)?;
			eprintln!("wrote {} with {} benchmark accounts", out.display(), load.accounts);
			Ok(ExitCode::SUCCESS)
		},
		Command::Check { load } => {
			let kinds = load.validate()?;
			for kind in kinds {
				let per_tx = kind.payments_per_transaction();
				eprintln!(
					"{:<14} {} payments a second ({} a transaction) for {} s: {}",
					kind.name(),
					load.rate,
					per_tx,
					load.duration,
					kind.describe()
				);
			}
			Ok(ExitCode::SUCCESS)
		},
		Command::Run { validators, stall, drain_max, json, load } => {
			let kinds = load.validate()?;
			let nodes =
				validators.iter().map(|v| parse_validator(v)).collect::<Result<Vec<_>, _>>()?;
			let accounts = accounts::Accounts::new(load.accounts);
			let bench = Bench {
				nodes,
				accounts: &accounts,
				rate: load.rate,
				baseline_rate: load.baseline_rate,
				duration: Duration::from_secs(load.duration),
				stall: Duration::from_secs(stall),
				drain_max: Duration::from_secs(drain_max),
				prepared: Default::default(),
			};
			eprintln!("waiting for the validators to finalize block 2");
			bench::wait_for_finality(bench.nodes[0].port, 2, Duration::from_secs(180))?;
			let mut results = Vec::new();
			for kind in kinds {
				let result = bench.run(kind)?;
				eprintln!("{}", report::line(&result));
				eprint!("{}", report::lost(&result));
				results.push(result);
			}
			let table = report::table(&results, load.rate, load.baseline_rate, load.duration);
			println!("{table}");
			if let Some(path) = json {
				let json = report::json(&results, load.rate, load.baseline_rate, load.duration);
				std::fs::write(&path, json)
					.map_err(|e| format!("writing {}: {e}", path.display()))?;
			}
			// Losing or doubling a transaction is a failure of the chain, whatever the speed.
			// So is a payment that failed in its block: the benchmark measures payments made.
			// A transaction refused at submission means the load offered was not the load asked
			// for (the refusals are in the table's notes): the run does not count as clean.
			let broken = results
				.iter()
				.any(|r| r.lost > 0 || r.doubled > 0 || r.failed > 0 || r.accepted < r.submitted);
			Ok(if broken { ExitCode::FAILURE } else { ExitCode::SUCCESS })
		},
	}
}

/// `name:port:pid`.
fn parse_validator(s: &str) -> Result<Node, String> {
	let parts: Vec<&str> = s.split(':').collect();
	let [name, port, pid] = parts[..] else {
		return Err(format!("--validator `{s}`: expected name:rpc-port:pid"));
	};
	let port = port.parse().map_err(|_| format!("--validator `{s}`: bad port `{port}`"))?;
	let pid = pid.parse().map_err(|_| format!("--validator `{s}`: bad pid `{pid}`"))?;
	Ok(Node { name: name.to_string(), port, pid })
}

#[cfg(test)]
mod tests {
	use super::*;

	fn load(accounts: u32, rate: u32, duration: u64, kinds: &[&str]) -> Load {
		Load {
			accounts,
			rate,
			baseline_rate: None,
			duration,
			kinds: kinds.iter().map(|k| k.to_string()).collect(),
		}
	}

	#[test]
	fn the_default_load_is_possible_and_plain_runs_first() {
		let kinds = load(20_000, 1_000, 60, &["compliance"]).validate().unwrap();
		assert_eq!(kinds, vec![Kind::Plain, Kind::Compliance]);
		let kinds = load(20_000, 1_000, 60, &["compliance", "plain", "compliance"]).validate();
		assert_eq!(kinds.unwrap(), vec![Kind::Plain, Kind::Compliance]);
		let kinds = load(20_000, 1_000, 60, &["plain", "compliance", "escrow"]).validate();
		assert_eq!(
			kinds.unwrap(),
			vec![Kind::Plain, Kind::Compliance, Kind::EscrowCreate, Kind::EscrowRelease]
		);
	}

	#[test]
	fn a_release_or_a_redemption_needs_what_is_opened_before_it() {
		let err = |kinds: &[&str]| load(20_000, 1_000, 60, kinds).validate().unwrap_err();
		assert!(err(&["escrow-release"]).contains("list escrow-create before it"));
		assert!(err(&["escrow-release", "escrow-create"]).contains("list escrow-create"));
		assert!(err(&["redeem"]).contains("list mint before it"));
		assert!(err(&["redeem", "mint"]).contains("list mint before it"));
		assert!(load(20_000, 1_000, 60, &["escrow-create"]).validate().is_ok());
		assert_eq!(
			load(20_000, 1_000, 60, &["mint-redeem", "fiscal"]).validate().unwrap(),
			vec![Kind::Plain, Kind::Mint, Kind::Redeem, Kind::Fiscal]
		);
	}

	#[test]
	fn an_institution_stays_under_its_velocity_rule() {
		// 20 customers an institution: 60,000 payments over 20,000 customers is 60 each.
		assert!(load(20_000, 1_000, 60, &["fiscal"]).validate().is_ok());
		// 60,000 over 100 customers: 600 each, 12,000 an institution.
		let e = load(100, 1_000, 60, &["fiscal"]).validate().unwrap_err();
		assert!(e.contains("per institution") && e.contains("enhanced KYC"), "{e}");
		// A bulk pays from the institution too, a payment to each customer.
		let e = load(100, 1_000, 60, &["bulk"]).validate().unwrap_err();
		assert!(e.contains("per institution"), "{e}");
		assert_eq!(
			load(20_000, 1_000, 60, &["bulk"]).validate().unwrap(),
			vec![Kind::Plain, Kind::Bulk]
		);
		// Without an institutional kind the limit does not apply.
		assert!(load(100, 100, 60, &["escrow-create"]).validate().is_ok());
	}

	#[test]
	fn impossible_parameters_are_refused_with_the_reason() {
		let err = |l: Load| l.validate().unwrap_err();
		assert!(err(load(20_000, 0, 60, &[])).contains("--rate"));
		assert!(err(load(20_000, MAX_RATE + 1, 60, &[])).contains("--rate"));
		assert!(err(load(20_000, 1_000, 0, &[])).contains("--duration"));
		let mut baseline = load(20_000, 1_000, 60, &[]);
		baseline.baseline_rate = Some(0);
		assert!(err(baseline.clone()).contains("--baseline-rate must be between 1"));
		baseline.baseline_rate = Some(500);
		assert!(baseline.validate().is_ok());
		assert!(err(load(1, 1_000, 60, &[])).contains("--accounts"));
		assert!(err(load(20_000, 1_000, 60, &["teleport"])).contains("unknown kind `teleport`"));
		assert!(err(load(200_000, 20_000, 3_600, &[])).contains("pre-signed"));
		// 60,000 checked payments over 100 accounts: 600 each, beyond the velocity rule.
		let e = err(load(100, 1_000, 60, &["compliance"]));
		assert!(e.contains("velocity") && e.contains("--accounts 150"), "{e}");
	}

	#[test]
	fn validators_parse() {
		let node = parse_validator("clearing:9944:1234").unwrap();
		assert_eq!((node.name.as_str(), node.port, node.pid), ("clearing", 9944, 1234));
		assert!(parse_validator("clearing:9944").is_err());
		assert!(parse_validator("clearing:port:1").unwrap_err().contains("bad port"));
	}
}
