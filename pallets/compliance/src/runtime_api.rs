//! The regulators' runtime API: typed, in the metadata.

use crate::{AlertId, CaseId, CaseStatus, ReportId, ReportStatus, RiskProfile, RuleId};
use alloc::vec::Vec;
use codec::Codec;
use paychain_primitives::compliance::{Assessment, MovementKind};

sp_api::decl_runtime_apis! {
	/// What regulators, wallets and institutions ask the compliance pallet.
	pub trait ComplianceApi<AccountId, Balance, BlockNumber, Alert, Case, Report, RuleSlot>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Alert: Codec,
		Case: Codec,
		Report: Codec,
		RuleSlot: Codec,
	{
		/// An account's risk profile: today's totals, window counts, alerts, case, listing,
		/// freeze, reviews and pending reports.
		fn risk_profile(who: AccountId) -> RiskProfile<Balance, BlockNumber>;

		/// What would happen to this movement now, and why — without changing anything.
		fn preflight(from: AccountId, to: AccountId, amount: Balance, kind: MovementKind)
			-> Assessment;

		/// One page (100) of the alerts whose case is in a status.
		fn alerts(status: CaseStatus, page: u32) -> Vec<(AlertId, Alert)>;

		/// One page (100) of the cases in a status.
		fn cases(status: CaseStatus, page: u32) -> Vec<(CaseId, Case)>;

		/// One page (100) of the reports in a status, each with whether it is overdue.
		fn reports(status: ReportStatus, page: u32) -> Vec<(ReportId, Report, bool)>;

		/// Pending reports past their due date (at most 100).
		fn overdue_reports() -> Vec<(ReportId, Report)>;

		/// Every rule slot: the version and rule in force, and any change waiting.
		fn rules() -> Vec<(RuleId, RuleSlot)>;
	}
}
