//! The benchmark's signers, each a sr25519 key pair derived from its place, so that the spec and
//! the run agree without sharing a file:
//!
//! - `customers`: individuals, registered and funded at genesis, who send the payments between
//!   themselves;
//! - `institutions` clearing institutions and as many county finance departments, registered
//!   at genesis, each serving [`CUSTOMERS_PER_INSTITUTION`] customers: the clearing
//!   institutions mint to their customers (and redeem what they minted), the departments
//!   disburse to them;
//! - two of the consortium's finance departments (`//Paychain//<Name>` on the development
//!   phrase), which create the fiscal program and allocate it down to the counties.
//!
//! Every signer has an index: customers first, then the clearing institutions, the counties and
//! the named departments.

use paychain_runtime::AccountId;
use sp_core::{sr25519, Pair};

/// Customers an institution serves: the fan-out and fan-in rules alert beyond 20 distinct
/// counterparties an hour, and the benchmark measures payments, not alerts.
pub const CUSTOMERS_PER_INSTITUTION: usize = 20;

/// The consortium's finance departments the benchmark signs for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
	/// The provincial department: creates the program.
	Guangdong,
	/// The municipal department: allocates the program to the counties.
	Shenzhen,
}

impl Named {
	const ALL: [Named; 2] = [Named::Guangdong, Named::Shenzhen];

	/// The key's URI on the development phrase.
	pub fn uri(self) -> &'static str {
		match self {
			Named::Guangdong => "//Paychain//GuangdongFinance",
			Named::Shenzhen => "//Paychain//ShenzhenFinance",
		}
	}
}

pub struct Accounts {
	pairs: Vec<sr25519::Pair>,
	ids: Vec<AccountId>,
	customers: usize,
	institutions: usize,
}

fn derived(domain: &[u8], i: u32) -> sr25519::Pair {
	sr25519::Pair::from_seed(&sp_io::hashing::blake2_256(&codec::Encode::encode(&(domain, i))))
}

impl Accounts {
	/// `customers` customers and the institutions they need.
	pub fn new(customers: u32) -> Self {
		let institutions = (customers as usize).div_ceil(CUSTOMERS_PER_INSTITUTION);
		let mut pairs: Vec<sr25519::Pair> =
			(0..customers).map(|i| derived(b"paychain-tps/account", i)).collect();
		pairs.extend((0..institutions as u32).map(|k| derived(b"paychain-tps/clearing", k)));
		pairs.extend((0..institutions as u32).map(|k| derived(b"paychain-tps/county", k)));
		for named in Named::ALL {
			pairs.push(
				sr25519::Pair::from_string(named.uri(), None)
					.expect("a well-formed development URI"),
			);
		}
		let ids = pairs.iter().map(|p| AccountId::from(p.public())).collect();
		Self { pairs, ids, customers: customers as usize, institutions }
	}

	/// How many customers there are.
	pub fn customers(&self) -> usize {
		self.customers
	}

	/// How many clearing institutions there are (and as many counties).
	pub fn institutions(&self) -> usize {
		self.institutions
	}

	/// The `i`-th customer, counting round.
	pub fn customer(&self, i: usize) -> usize {
		i % self.customers
	}

	/// The clearing institution and the county that serve `customer`.
	pub fn institution_of(&self, customer: usize) -> usize {
		customer / CUSTOMERS_PER_INSTITUTION
	}

	/// The `k`-th clearing institution.
	pub fn clearing(&self, k: usize) -> usize {
		self.customers + k
	}

	/// The `k`-th county finance department.
	pub fn county(&self, k: usize) -> usize {
		self.customers + self.institutions + k
	}

	pub fn named(&self, named: Named) -> usize {
		self.customers + 2 * self.institutions + named as usize
	}

	pub fn pair(&self, signer: usize) -> &sr25519::Pair {
		&self.pairs[signer]
	}

	pub fn id(&self, signer: usize) -> &AccountId {
		&self.ids[signer]
	}

	/// Every signer's account.
	pub fn ids(&self) -> &[AccountId] {
		&self.ids
	}

	/// The customers' accounts.
	pub fn customer_ids(&self) -> &[AccountId] {
		&self.ids[..self.customers]
	}

	/// The clearing institutions' accounts.
	pub fn clearing_ids(&self) -> &[AccountId] {
		&self.ids[self.clearing(0)..self.county(0)]
	}

	/// The counties' accounts.
	pub fn county_ids(&self) -> &[AccountId] {
		&self.ids[self.county(0)..self.named(Named::Guangdong)]
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accounts_are_deterministic_and_distinct() {
		let a = Accounts::new(100);
		let b = Accounts::new(100);
		assert_eq!(a.ids(), b.ids());
		assert_eq!((a.customers(), a.institutions()), (100, 5));
		assert_eq!(a.ids().len(), 100 + 5 + 5 + 2);
		let mut ids = a.ids().to_vec();
		ids.sort();
		ids.dedup();
		assert_eq!(ids.len(), 112);
		assert_eq!(a.customer(100), 0);
		assert_eq!(a.customer_ids().len(), 100);
		assert_eq!(a.clearing_ids().len(), 5);
		assert_eq!(a.county_ids().len(), 5);
		assert_eq!(a.clearing_ids()[4], *a.id(a.clearing(4)));
		assert_eq!(a.county_ids()[0], *a.id(a.county(0)));
		// 41 customers need three institutions; the last serves one.
		let c = Accounts::new(41);
		assert_eq!(c.institutions(), 3);
		assert_eq!((c.institution_of(19), c.institution_of(20), c.institution_of(40)), (0, 1, 2));
	}

	/// The named departments are the consortium preset's.
	#[test]
	fn the_named_departments_are_in_the_consortium_preset() {
		use sp_core::crypto::Ss58Codec;
		let preset = paychain_runtime::genesis_config_presets::get_preset(
			&paychain_runtime::genesis_config_presets::CONSORTIUM_PRESET.into(),
		)
		.expect("the consortium preset");
		let preset = String::from_utf8(preset).unwrap();
		let a = Accounts::new(2);
		for named in Named::ALL {
			let address = a.id(a.named(named)).to_ss58check();
			assert!(preset.contains(&address), "{named:?} ({address}) is not in the preset");
		}
	}
}
