//! Tests.
use crate::mock::*;
#[test]
fn genesis_rules_are_valid() {
	run_test(|| {});
}
