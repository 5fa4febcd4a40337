//! The benchmark's accounts: `n` sr25519 key pairs, each from a seed derived from its index, so
//! that the spec and the run agree without sharing a file.

use paychain_runtime::AccountId;
use sp_core::{sr25519, Pair};

pub struct Accounts {
	pairs: Vec<sr25519::Pair>,
	ids: Vec<AccountId>,
}

impl Accounts {
	pub fn new(n: u32) -> Self {
		let pairs: Vec<sr25519::Pair> = (0..n)
			.map(|i| {
				let seed = sp_io::hashing::blake2_256(&codec::Encode::encode(&(
					b"paychain-tps/account",
					i,
				)));
				sr25519::Pair::from_seed(&seed)
			})
			.collect();
		let ids = pairs.iter().map(|p| AccountId::from(p.public())).collect();
		Self { pairs, ids }
	}

	pub fn len(&self) -> usize {
		self.pairs.len()
	}

	pub fn pair(&self, i: usize) -> &sr25519::Pair {
		&self.pairs[i % self.pairs.len()]
	}

	pub fn id(&self, i: usize) -> &AccountId {
		&self.ids[i % self.ids.len()]
	}

	pub fn ids(&self) -> &[AccountId] {
		&self.ids
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
		let mut ids = a.ids().to_vec();
		ids.sort();
		ids.dedup();
		assert_eq!(ids.len(), 100);
		assert_eq!(a.id(100), a.id(0));
	}
}
