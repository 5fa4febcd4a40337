//! Storage migrations, one module per storage version.

/// Version 0 → 1: the national rule slots move from [`Rules`](crate::Rules) into one value,
/// [`NationalRules`](crate::NationalRules), so a movement reads every national rule at once
/// (nine reads of rule slots became four: the national value and the sender's region, city and
/// province). The regional large-value slots stay where they are. Every slot moves as it was,
/// with its version and any change still waiting.
pub mod v1 {
	#[cfg(feature = "try-runtime")]
	use crate::RuleId;
	use crate::{Config, NationalRules, NationalSlotsOf, Pallet, Rules};
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// The migration, run once: only while the pallet's storage version is 0, which it then
	/// sets to 1.
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		MoveNationalRules<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The move itself, without the version check (use [`MigrateToV1`]).
	pub struct MoveNationalRules<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for MoveNationalRules<T> {
		fn on_runtime_upgrade() -> Weight {
			let (moved, reads) = move_national_rules::<T>();
			// Each national slot: taken from the map (a write); the value written once.
			T::DbWeight::get().reads_writes(reads.saturating_add(1), moved.saturating_add(1))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			let national: Vec<_> = Rules::<T>::iter().filter(|(id, _)| !id.is_regional()).collect();
			let regional = Rules::<T>::iter_keys().filter(RuleId::is_regional).count() as u32;
			ensure!(NationalRules::<T>::get().is_empty(), "NationalRules is already in use");
			Ok((national, regional).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (national, regional): (Vec<(RuleId, crate::VersionedOf<T>)>, u32) =
				Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state")?;
			let after = NationalRules::<T>::get();
			ensure!(after.len() == national.len(), "a national rule slot was lost");
			for (id, slot) in national {
				ensure!(
					crate::national_slot(&after, &id) == Some(&slot),
					"a national rule slot changed"
				);
			}
			ensure!(Rules::<T>::iter_keys().all(|id| id.is_regional()), "a national slot stayed");
			ensure!(
				Rules::<T>::iter_keys().count() as u32 == regional,
				"a regional rule slot was lost"
			);
			Ok(())
		}
	}

	/// Moves every national slot out of `Rules`: returns how many moved and how many entries
	/// of `Rules` were read. The map holds one entry per slot ever set, national (22 at most)
	/// or regional (one per role and region a regulator has set).
	fn move_national_rules<T: Config>() -> (u64, u64) {
		let mut reads = 0u64;
		let mut slots = Vec::new();
		for (id, slot) in Rules::<T>::iter() {
			reads = reads.saturating_add(1);
			if !id.is_regional() {
				slots.push((id, slot));
			}
		}
		let moved = slots.len() as u64;
		for (id, _) in &slots {
			Rules::<T>::remove(id);
		}
		slots.sort_by_key(|(id, _)| id.national_index());
		// One entry per national slot: at most `NATIONAL_SLOTS`, which is the bound.
		let national = NationalSlotsOf::<T>::truncate_from(slots);
		NationalRules::<T>::put(national);
		(moved, reads)
	}
}
