# The consortium's network: one definition, used by scripts/run-network.sh (loopback),
# scripts/gen-chain-specs.sh (bootnodes) and scripts/gen-docker-compose.sh (the compose file),
# so the three cannot drift apart.
# shellcheck shell=bash

# The four validators: short name and institution. The institution's test key URIs are
# //Paychain//<Institution> (account), ...//aura (sr25519) and ...//grandpa (ed25519), on the
# public development phrase; see runtime/src/genesis_config_presets.rs.
VALIDATORS=(
	"clearing:NationalClearingCenter"
	"payments:UnionPaymentInstitution"
	"treasury:MinistryOfFinanceTreasury"
	"regulator:PaymentSupervisionAuthority"
)
P2P_BASE_PORT=30333
RPC_BASE_PORT=9944
PROMETHEUS_BASE_PORT=9615
CONSORTIUM_SPEC_REL="chain-specs/consortium-raw.json"

validator_name() { echo "${VALIDATORS[$1]%%:*}"; }
validator_institution() { echo "${VALIDATORS[$1]##*:}"; }

# A validator's node key (ed25519 secret, hex). Derived from its name so that its peer id, which
# the committed chain spec lists as a bootnode, is the same on every machine. Test network
# only: a real validator generates its own with `paychain-node key generate-node-key`.
node_key() {
	printf 'paychain-consortium-node-key/%s' "$(validator_name "$1")" | sha256sum | cut -d' ' -f1
}

# A validator's peer id (the public side of its node key). Needs $PAYCHAIN_NODE.
peer_id() {
	local key_file
	key_file=$(mktemp)
	node_key "$1" | tr -d '\n' >"$key_file"
	"$PAYCHAIN_NODE" key inspect-node-key --file "$key_file"
	rm -f "$key_file"
}

# The flags every consortium validator runs with, wherever it runs (one per line).
validator_common_flags() {
	cat <<FLAGS
--validator
--name=$(validator_name "$1")
--database=paritydb
--rpc-cors=all
--no-mdns
--allow-private-ip
FLAGS
}
