// End-to-end: the compliance rules as wallets and regulators meet them. A real dev node (started
// here, on loopback, and stopped at the end) and a stock Polkadot.js client — no custom types:
// a large-value transfer goes through and produces a report; a structuring pattern produces an
// alert; a transfer to a listed account is refused and both balances are unchanged; a transfer
// held for review is released by a regulator; a frozen account can neither send nor receive; a
// bulk transfer pays each recipient, or nothing when one payment would be blocked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { blake2AsHex } from '@polkadot/util-crypto';

import { free, startDevNode, submit, submitEvents, UNITS } from './lib/devnode.mjs';

// `CheckCompliance`'s `InvalidTransaction::Custom` codes (pallet-compliance `blocked_code`).
const SENDER_FROZEN = 32;
const RECIPIENT_FROZEN = 33;
const RECIPIENT_LISTED = 31;
// `RuleKind` bits in an alert's `RuleFlags`.
const STRUCTURING = 1 << 5;

describe('compliance before any money moves, with a stock Polkadot.js client', { timeout: 300_000 }, () => {
  let dev;
  let api;
  let alice; let charlie; let dave; let eve; let ferdie; let listed;

  before(async () => {
    dev = await startDevNode();
    api = dev.api;
    [alice, charlie, dave, eve, ferdie] = ['//Alice', '//Charlie', '//Dave', '//Eve', '//Ferdie']
      .map((uri) => dev.keyring.addFromUri(uri));
    listed = dev.keyring.addFromUri('//Paychain//E2E//Listed');
  });

  after(async () => {
    await dev?.stop();
  });

  const pay = (from, to, amount) => submitEvents(api, api.tx.compliance.transferKeepAlive(to.address, amount), from);
  const refused = (code) => new RegExp(`Invalid Transaction.*Custom error: ${code}`);

  test('transfers go through Compliance; the balances pallet\'s own are closed', async () => {
    assert.ok(api.registry.signedExtensions.includes('CheckCompliance'),
      `extensions: ${api.registry.signedExtensions}`);
    assert.ok(api.call.complianceApi?.preflight, 'the ComplianceApi runtime API is in the metadata');
    await assert.rejects(submit(api, api.tx.balances.transferKeepAlive(charlie.address, UNITS), alice),
      /dispatch failed: system\.CallFiltered/);
    const rules = await api.call.complianceApi.rules();
    assert.ok(rules.length >= 20, `the default rule set: ${rules.length} slots`);
  });

  test('a transfer over the large-value threshold goes through and produces a report', async () => {
    const amount = 500_000n * UNITS;
    const before = await free(api, charlie.address);
    const events = await pay(dave, charlie, amount);
    assert.equal(await free(api, charlie.address) - before, amount);
    const created = events.find((e) => e.section === 'compliance' && e.method === 'ReportCreated');
    assert.ok(created, `events: ${events.map((e) => e.method)}`);
    const report = created.data.report.toNumber();

    const pending = await api.call.complianceApi.reports('Pending', 0);
    const entry = pending.find(([id]) => id.toNumber() === report);
    assert.ok(entry, 'the report is pending in the runtime API');
    const [, record, overdue] = entry;
    assert.equal(record.kind.toString(), 'LargeValue');
    assert.equal(record.account.toString(), dave.address);
    assert.equal(record.amount.toBigInt(), amount);
    assert.equal(overdue.isTrue, false);
    assert.ok(record.dueMs.toBigInt() > record.createdMs.toBigInt() + 5n * 86_400_000n,
      'due five working days later');

    // The regulator files it with the hash of the document.
    const filed = await submit(api, api.tx.compliance.fileReport(report, blake2AsHex('LVTR 2026-001')), eve);
    assert.ok(filed.includes('compliance.ReportFiled'), `events: ${filed}`);
  });

  test('a structuring pattern produces an alert', async () => {
    // Dave has about 500,000 left; Alice (a clearing institution) tops him up.
    await pay(alice, dave, 950_000n * UNITS);
    // Three transfers just below the 500,000 threshold in a day.
    for (let i = 0; i < 3; i += 1) {
      await pay(dave, charlie, 460_000n * UNITS);
    }
    const alerts = (await api.call.complianceApi.alerts('Open', 0))
      .map(([, alert]) => alert)
      .filter((alert) => alert.account.toString() === dave.address);
    const structuring = alerts.filter((a) => a.cause.isRules && (a.cause.asRules.toNumber() & STRUCTURING));
    assert.equal(structuring.length, 1, `alerts on Dave: ${alerts.map((a) => a.toString())}`);
    assert.equal(structuring[0].decision.toString(), 'AcceptWithAlert');
    const profile = await api.call.complianceApi.riskProfile(dave.address);
    assert.ok(profile.openCase.isSome, 'the alerts joined a case');
    assert.ok(profile.stats.alerts.toNumber() >= 1);
  });

  test('a transfer to a listed account is refused and both balances are unchanged', async () => {
    const listing = await submit(api, api.tx.compliance.listAccount(listed.address, blake2AsHex('sanctions entry 42')), eve);
    assert.ok(listing.includes('compliance.Listed'), `events: ${listing}`);
    const preflight = await api.call.complianceApi.preflight(dave.address, listed.address, 10n * UNITS, 'Transfer');
    assert.equal(preflight.decision.toString(), 'Block');
    assert.equal(preflight.blockedBy.unwrap().toString(), 'WatchList');

    const before = [await free(api, dave.address), await free(api, listed.address)];
    await assert.rejects(pay(dave, listed, 10n * UNITS), refused(RECIPIENT_LISTED));
    const after = [await free(api, dave.address), await free(api, listed.address)];
    assert.deepEqual(after, before, 'refused at the pool: no fee, nothing moved');
  });

  test('a transfer held for review is released by a regulator', async () => {
    // Ferdie is a basic-tier individual: beyond 50,000 in a day, transfers wait for a regulator.
    const amount = 60_000n * UNITS;
    const daveBefore = await free(api, dave.address);
    const events = await pay(ferdie, dave, amount);
    const held = events.find((e) => e.section === 'compliance' && e.method === 'HeldForReview');
    assert.ok(held, `events: ${events.map((e) => e.method)}`);
    assert.equal(await free(api, dave.address), daveBefore, 'nothing reached Dave yet');
    const reserved = (await api.query.system.account(ferdie.address)).data.reserved.toBigInt();
    assert.ok(reserved >= amount, `the amount is held on Ferdie: ${reserved}`);

    const released = await submit(api, api.tx.compliance.releaseReview(held.data.review), eve);
    assert.ok(released.includes('compliance.ReviewReleased'), `events: ${released}`);
    assert.equal(await free(api, dave.address) - daveBefore, amount);
  });

  test('a frozen account can neither send nor receive', async () => {
    const frozen = await submit(api,
      api.tx.compliance.freeze(charlie.address, 'Account', '(2026) Yue 0305 Zhi 88', null), eve);
    assert.ok(frozen.includes('compliance.Frozen'), `events: ${frozen}`);
    const before = [await free(api, alice.address), await free(api, charlie.address)];
    await assert.rejects(pay(charlie, alice, UNITS), refused(SENDER_FROZEN));
    await assert.rejects(pay(alice, charlie, UNITS), refused(RECIPIENT_FROZEN));
    assert.deepEqual([await free(api, alice.address), await free(api, charlie.address)], before);
    const profile = await api.call.complianceApi.riskProfile(charlie.address);
    assert.ok(profile.freeze.isSome, 'the risk profile shows the freeze');

    const lifted = await submit(api, api.tx.compliance.unfreeze(charlie.address), eve);
    assert.ok(lifted.includes('compliance.Unfrozen'), `events: ${lifted}`);
    await pay(charlie, alice, UNITS);
  });

  test('a bulk transfer pays each recipient; one blocked payment refuses the whole at the pool', async () => {
    const recipients = [charlie, dave, ferdie];
    const before = await Promise.all(recipients.map((r) => free(api, r.address)));
    const payments = recipients.map((r, i) => ({ dest: r.address, value: BigInt(i + 1) * UNITS }));
    const events = await submitEvents(api, api.tx.compliance.transferBulk(payments), alice);
    const bulk = events.find((e) => e.section === 'compliance' && e.method === 'BulkTransferred');
    assert.ok(bulk, `events: ${events.map((e) => `${e.section}.${e.method}`)}`);
    assert.equal(bulk.data.from.toString(), alice.address);
    assert.equal(bulk.data.payments.toNumber(), 3);
    assert.equal(bulk.data.total.toBigInt(), 6n * UNITS);
    const transfers = events.filter((e) => e.section === 'balances' && e.method === 'Transfer');
    assert.deepEqual(transfers.map((e) => e.data.to.toString()), recipients.map((r) => r.address));
    const after = await Promise.all(recipients.map((r) => free(api, r.address)));
    assert.deepEqual(after.map((a, i) => a - before[i]), [1n, 2n, 3n].map((n) => n * UNITS));

    // The listed account (above) cannot receive: the whole bulk is refused, nothing moves.
    const balances = async () => [await free(api, alice.address), await free(api, charlie.address)];
    const held = await balances();
    const blocked = [{ dest: charlie.address, value: UNITS }, { dest: listed.address, value: UNITS }];
    await assert.rejects(submit(api, api.tx.compliance.transferBulk(blocked), alice), refused(RECIPIENT_LISTED));
    assert.deepEqual(await balances(), held, 'refused at the pool: no fee, nothing moved');
  });
});
