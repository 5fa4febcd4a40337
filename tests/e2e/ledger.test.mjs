// End-to-end: payment orders as institutions' business systems meet the ledger. A real dev node
// (started here, on loopback, and stopped at the end), a stock Polkadot.js client with no custom
// types, and the project's client helper (clients/ledger) computing commitments and signing
// stages with keys the institutions registered: //Bob (a payment institution) applies, approves
// and pays, //Alice (a clearing institution) submits to the bank and confirms. One order runs
// through all five stages and pays out; a second, whose amount is altered at approval, is
// stopped with the amount group named, nothing paid and an alert for the regulator; a stage
// signed with an expired key is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { commit, signStage, toHex } from '../../clients/ledger/ledger.mjs';
import { free, sleep, startDevNode, submitEvents, UNITS } from './lib/devnode.mjs';

const PAYMENT = 1;

describe('payment orders with a stock Polkadot.js client', { timeout: 600_000 }, () => {
  let dev;
  let api;
  let bob; let alice; let charlie;
  let bobKey; let aliceKey;
  let genesisHash;

  before(async () => {
    dev = await startDevNode();
    api = dev.api;
    genesisHash = api.genesisHash.toHex();
    [bob, alice, charlie] = ['//Bob', '//Alice', '//Charlie'].map((uri) => dev.keyring.addFromUri(uri));
    // Each institution's business system signs with its own ed25519 key, registered on chain.
    bobKey = dev.keyring.addFromUri('//Bob//ledger', {}, 'ed25519');
    aliceKey = dev.keyring.addFromUri('//Alice//ledger', {}, 'ed25519');
    await Promise.all([
      submitEvents(api, api.tx.accounts.registerKey({ Ed25519: toHex(bobKey.publicKey) }, null, null), bob),
      submitEvents(api, api.tx.accounts.registerKey({ Ed25519: toHex(aliceKey.publicKey) }, null, null), alice),
    ]);
  });

  after(async () => {
    await dev?.stop();
  });

  const elements = (amount) => ({
    payerAccount: '6222020200112233445',
    payeeAccount: '6228480402564890018',
    applicant: 'EDU-SYS/zhang.wei',
    amount,
    currency: 'CNY',
    businessType: PAYMENT,
    purpose: 'tuition subsidy',
  });
  const handlers = () => [bob.address, bob.address, bob.address, alice.address, alice.address];
  const ledgerEvent = (events, method) => events.find((e) => e.section === 'ledger' && e.method === method);
  const settlementHeld = async (who) => (await api.query.balances.holds(who.address))
    .filter((h) => JSON.stringify(h.id.toJSON()).toLowerCase().includes('"settlement"'))
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);

  const open = async (reference, amount, key = bobKey) => {
    const commitment = commit(elements(amount));
    const application = signStage(key, { genesisHash, reference, stage: 0, commitment });
    return submitEvents(api, api.tx.ledger.openOrder(reference, PAYMENT, 'EDU-SYS', handlers(),
      application, { payee: charlie.address, amount }), bob);
  };
  const stage = (reference, index, amount) => {
    const [institution, key] = index < 3 ? [bob, bobKey] : [alice, aliceKey];
    const signed = signStage(key, { genesisHash, reference, stage: index, commitment: commit(elements(amount)) });
    return submitEvents(api, api.tx.ledger.recordStage(reference, index, signed), institution);
  };

  test('an order runs through its five stages and pays out', async () => {
    const reference = toHex(randomBytes(16));
    const amount = 1_000n * UNITS;
    const charlieBefore = await free(api, charlie.address);
    const opened = await open(reference, amount);
    assert.ok(ledgerEvent(opened, 'OrderOpened'));
    assert.equal(await settlementHeld(bob), amount);
    for (let i = 1; i < 5; i += 1) {
      const events = await stage(reference, i, amount);
      assert.ok(ledgerEvent(events, 'StageRecorded'));
      if (i === 4) {
        assert.ok(ledgerEvent(events, 'OrderSettled'));
        assert.ok(ledgerEvent(events, 'OrderCompleted'));
      }
    }
    assert.equal(await settlementHeld(bob), 0n);
    assert.equal(await free(api, charlie.address), charlieBefore + amount);

    // The trail: every stage with its institution, key, signature, commitment and time.
    const trail = (await api.call.ledgerApi.trail(reference)).unwrap();
    assert.ok(trail.order.status.isCompleted);
    assert.equal(trail.stages.length, 5);
    const root = commit(elements(amount)).root;
    trail.stages.forEach(([index, s], i) => {
      assert.equal(index.toNumber(), i);
      assert.equal(s.institution.toString(), handlers()[i]);
      assert.equal(s.commitment.root.toHex(), root);
      assert.ok(s.result.isPassed);
      assert.ok(s.timestamp.toNumber() > 0);
    });
  });

  test('an amount altered at approval stops the order, names the amount and alerts the regulator', async () => {
    const reference = toHex(randomBytes(16));
    const amount = 500n * UNITS;
    const charlieBefore = await free(api, charlie.address);
    const alertsBefore = (await api.call.complianceApi.riskProfile(bob.address)).stats.alerts.toNumber();
    await open(reference, amount);
    const events = await stage(reference, 1, 5_000n * UNITS);
    const suspected = ledgerEvent(events, 'TamperSuspected');
    assert.ok(suspected, 'the tampering is caught');
    assert.deepEqual(suspected.data.changed.toJSON(), { parties: false, amount: true, purpose: false });
    assert.ok(ledgerEvent(events, 'SettlementReleased'));
    // No money moved.
    assert.equal(await settlementHeld(bob), 0n);
    assert.equal(await free(api, charlie.address), charlieBefore);
    // The regulator sees it: an alert on the institution and the order in the suspects.
    const profile = await api.call.complianceApi.riskProfile(bob.address);
    assert.equal(profile.stats.alerts.toNumber(), alertsBefore + 1);
    assert.ok(profile.openCase.isSome);
    const suspects = await api.call.ledgerApi.tamperSuspected(null, 100);
    assert.ok(suspects.items.some(([r]) => r.toHex() === reference));
    // No later stage is accepted.
    await assert.rejects(stage(reference, 2, amount), /ledger\.OrderTamperSuspected/);
  });

  test('a stage signed with an expired key is refused', async () => {
    const expiring = dev.keyring.addFromUri('//Bob//ledger//expiring', {}, 'ed25519');
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    await submitEvents(api, api.tx.accounts.registerKey({ Ed25519: toHex(expiring.publicKey) }, null, head + 3), bob);
    while ((await api.rpc.chain.getHeader()).number.toNumber() < head + 3) await sleep(1_000);
    await assert.rejects(open(toHex(randomBytes(16)), 10n * UNITS, expiring), /ledger\.KeyNotValid/);
  });
});
