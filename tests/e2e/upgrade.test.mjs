// End-to-end: a runtime upgrade on a live network. The four validators start from the chain as
// it was launched at spec 111 (chain-specs/upgrade-from/consortium-spec111-raw.json: that
// release's runtime and the state it built), payments run, and governance applies this build's
// runtime with `sudo(system.setCode)`. The upgrade runs its storage migrations in the first
// block under the new code (the compliance pallet's v0 -> v1: the national rule slots move into
// one value). Checked: every node runs the new version, the migration ran once and moved every
// rule intact, all storage of every pallet still decodes, blocks keep finalizing, and every
// payment sent around the upgrade is finalized exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';

import {
  finalizedNumber, inBlock, network, paymentLoad, ROOT, sleep, unsettled, UNITS, VALIDATORS,
} from './lib/network.mjs';

const TARGET = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/paychain-target');
const NEW_RUNTIME = join(TARGET, 'release/wbuild/paychain-runtime/paychain_runtime.compact.compressed.wasm');
const BEIJING = 110000;
const net = network({ prefix: 'paychain-upgrade-', spec: join(ROOT, 'chain-specs/upgrade-from/consortium-spec111-raw.json') });
const { waitFor } = net;
const started = Date.now();
// Progress on the test's output, so a run that stops shows where.
const step = (what) => console.log(`# ${((Date.now() - started) / 1000).toFixed(0)} s: ${what}`);

// The pallet's storage version as stored (`:__STORAGE_VERSION__:` under its prefix).
async function storageVersion(api, pallet) {
  const key = u8aToHex(new Uint8Array([
    ...xxhashAsU8a(stringToU8a(pallet), 128), ...xxhashAsU8a(stringToU8a(':__STORAGE_VERSION__:'), 128),
  ]));
  const raw = await api.rpc.state.getStorage(key);
  return raw.isSome ? api.createType('u16', raw.unwrap()).toNumber() : null;
}

// Every rule slot through the runtime API, settled, as comparable JSON sorted by slot.
async function ruleSlots(api) {
  const slots = (await api.call.complianceApi.rules()).map(([id, slot]) => [JSON.stringify(id.toJSON()), slot.toJSON()]);
  return slots.sort(([a], [b]) => a.localeCompare(b));
}

describe('a runtime upgrade with a storage migration on the live four-validator network', { timeout: 900_000 }, () => {
  let api;
  let keyring;
  let governance;
  const regional = { LargeValue: ['Individual', BEIJING] };

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519' });
    governance = keyring.addFromUri('//Paychain//Governance');
    await net.start();
    api = await net.connect(0);
  });

  after(() => net.stop());

  test('spec 111 is upgraded to this build while payments run; the rules move intact and nothing is lost', async () => {
    assert.equal(api.runtimeVersion.specVersion.toNumber(), 111, 'the base chain runs the spec-111 runtime');
    assert.equal(await storageVersion(api, 'Compliance'), 0);
    const newCode = readFileSync(NEW_RUNTIME);
    await waitFor('the first finalized block', 60, async () => (await finalizedNumber(api)) >= 1);

    // Populated: the genesis rule set (national slots), plus a regional slot and a national
    // change still waiting, set by governance through the old runtime.
    const lv = { LargeValue: { single: 1_000_000n * UNITS, daily: 2_000_000n * UNITS } };
    // Through sudo, whose own extrinsic succeeds whatever the call did: its `Sudid` tells.
    const sudo = async (call) => {
      const { records } = await inBlock(api, api.tx.sudo.sudo(call), governance);
      const sudid = records.find((e) => e.section === 'sudo' && e.method === 'Sudid');
      assert.ok(sudid?.data[0].isOk, `${call.method.section}.${call.method.method}: ${sudid?.data[0]}`);
    };
    await sudo(api.tx.compliance.setRule(regional, lv, null));
    const later = (await api.rpc.chain.getHeader()).number.toNumber() + 1000;
    await sudo(api.tx.compliance.setRule('FanIn', { Fan: { window: 600, maxDistinct: 30, action: 'Alert' } }, later));
    const before = await ruleSlots(api);
    const slotsBefore = (await api.query.compliance.rules.keys()).length;
    assert.ok(before.length >= 10, `rule slots before: ${before.length}`);

    // Payments from two institutions, one after another from each, before, during and after the
    // upgrade, as a wallet sends them: each signed for the runtime the client sees, with the
    // next nonce. A payment signed for the old runtime that reaches the pool after the upgrade
    // is refused (the signature covers the spec version), and the wallet signs it again.
    const senders = ['NationalClearingCenter', 'UnionPaymentInstitution']
      .map((name) => keyring.addFromUri(`//Paychain//${name}`));
    const recipients = [1, 2, 3].map((i) => keyring.addFromUri(`//Paychain//E2E//Upgrade${i}`));
    const load = await paymentLoad(api, senders, recipients);
    step('payment load started');

    await sleep(6_000);
    // The upgrade is submitted without waiting on its status: the client decodes the set_code
    // block's events with the new runtime's metadata (the block's state holds the new code),
    // and its status callback never comes. The block is found by the runtime version its
    // state reports instead.
    const before111 = (await api.rpc.chain.getHeader()).number.toNumber();
    await api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(newCode)), { refTime: 0, proofSize: 0 })
      .signAndSend(governance);
    const versionAt = async (n) => (await api.rpc.state.getRuntimeVersion(await api.rpc.chain.getBlockHash(n)))
      .specVersion.toNumber();
    const head = await waitFor('a block with the new code', 60, async () => {
      const n = (await api.rpc.chain.getHeader()).number.toNumber();
      return (await versionAt(n)) > 111 ? n : undefined;
    });
    let upgradeNumber = head;
    while (upgradeNumber > before111 && (await versionAt(upgradeNumber - 1)) > 111) upgradeNumber -= 1;
    step(`set_code in block #${upgradeNumber}`);
    const paidAtUpgrade = [...load.paid];

    // Every node moves to the new runtime.
    const nodes = [api, ...(await Promise.all([1, 2, 3].map(net.connect)))];
    let newVersion;
    for (const [i, n] of nodes.entries()) {
      newVersion = await waitFor(`${VALIDATORS[i]} to run the new runtime`, 90, async () => {
        const v = (await n.rpc.state.getRuntimeVersion()).specVersion.toNumber();
        return v > 111 ? v : undefined;
      });
    }
    step(`every node runs spec ${newVersion}`);
    await sleep(24_000);
    const result = await load.stop();
    step(`payment load stopped: ${result.paid} in blocks, ${paidAtUpgrade} of them before the upgrade was seen`);
    assert.ok(result.paid.every((n, k) => n >= paidAtUpgrade[k] + 2),
      `payments in blocks per sender: ${result.paid}, ${paidAtUpgrade} before the upgrade`);

    // Blocks keep finalizing well past the upgrade, on every node.
    for (const [i, n] of nodes.entries()) {
      await waitFor(`${VALIDATORS[i]} to finalize 5 blocks past the upgrade`, 90,
        async () => (await finalizedNumber(n)) >= upgradeNumber + 5);
    }
    step('every node finalized 5 blocks past the upgrade');

    // Every payment finalized exactly once: in the finalized state each sender's nonce moved by
    // exactly the payments that went into blocks, and the recipients hold exactly their sum.
    assert.deepEqual(await unsettled(api, result), [],
      `${result.retried} payments signed again around the upgrade: ${JSON.stringify(result.errors)}`);
    step(`payments finalized exactly once: ${result.paid} (signed again: ${result.retried}, ${JSON.stringify(result.errors)})`);

    // The migration ran once, and moved every rule intact.
    const fresh = await net.connect(0);
    assert.equal(fresh.runtimeVersion.specVersion.toNumber(), newVersion);
    assert.equal(await storageVersion(fresh, 'Compliance'), 1);
    assert.deepEqual(await ruleSlots(fresh), before, 'the runtime API lists the same rule slots');
    const national = await fresh.query.compliance.nationalRules();
    const regionalAfter = await fresh.query.compliance.rules.keys();
    assert.equal(regionalAfter.length, 1, 'only the regional slot stays in Rules');
    assert.equal(national.length + regionalAfter.length, slotsBefore);
    const fanIn = national.find(([id]) => id.type === 'FanIn');
    assert.ok(fanIn?.[1].next.isSome, `the change still waiting moved with its slot: ${JSON.stringify(fanIn?.toJSON())}`);

    // All storage of every pallet decodes under the new metadata.
    let items = 0;
    for (const [section, entries] of Object.entries(fresh.query)) {
      for (const [method, query] of Object.entries(entries)) {
        if (!query.creator?.meta) continue;
        const { type } = query.creator.meta;
        try {
          if (type.isPlain) await query();
          else items += (await query.entries()).length;
        } catch (e) {
          assert.fail(`${section}.${method} does not decode: ${e.message}`);
        }
        items += 1;
      }
    }
    assert.ok(items > 50, `storage items read: ${items}`);
    step(`${items} storage values of every pallet decode`);
  });
});
