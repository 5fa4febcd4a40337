// End-to-end: money in through two clearing institutions, payments across them, a cycle closed
// with its net position, and the statements reconciled. A real dev node (started here, on
// loopback, and stopped at the end; its settlement cycles last 20 blocks) and a stock Polkadot.js
// client. //Alice is a clearing institution in the dev genesis; the test registers a second,
// "Bank B". Alice mints to Charlie and Dave, Bank B to Ferdie; they pay each other; the cycle
// closes with Bank B owing Alice the difference; Alice reconciles cleanly and Bank B's statement,
// missing one payment, is flagged with the difference.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { blake2AsHex } from '@polkadot/util-crypto';

import { sleep, startDevNode, submitEvents, UNITS } from './lib/devnode.mjs';

describe('settlement and reconciliation with a stock Polkadot.js client', { timeout: 600_000 }, () => {
  let dev;
  let api;
  let alice; let bankB; let charlie; let dave; let ferdie; let eve;

  before(async () => {
    dev = await startDevNode();
    api = dev.api;
    [alice, charlie, dave, ferdie, eve] = ['//Alice', '//Charlie', '//Dave', '//Ferdie', '//Eve']
      .map((uri) => dev.keyring.addFromUri(uri));
    bankB = dev.keyring.addFromUri('//Paychain//E2E//BankB');
    // Alice, the national registrar, registers Bank B and funds it for its fees.
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    await submitEvents(api, api.tx.utility.batchAll([
      api.tx.accounts.register(bankB.address, 'ClearingInstitution', blake2AsHex('bank b'), 0,
        null, 'Enhanced', head + 100_000),
      api.tx.compliance.transferKeepAlive(bankB.address, 100n * UNITS),
    ]), alice);
    // Both attest their reserves; the regulator countersigns Bank B's.
    await Promise.all([
      submitEvents(api, api.tx.settlement.attestReserve(1_000_000n * UNITS, Date.now(), blake2AsHex('audit A')), alice),
      submitEvents(api, api.tx.settlement.attestReserve(1_000_000n * UNITS, Date.now(), blake2AsHex('audit B')), bankB),
    ]);
    await submitEvents(api, api.tx.settlement.countersignReserve(bankB.address), eve);
  });

  after(async () => {
    await dev?.stop();
  });

  const event = (events, method) => events.filter((e) => e.section === 'settlement' && e.method === method);
  const cycleNow = async () => (await api.call.settlementApi.currentCycle()).index.toNumber();
  const waitForCycle = async (index) => {
    while (await cycleNow() < index) await sleep(1_000);
  };
  const totalsOf = async (cycle, who) => {
    const t = await api.call.settlementApi.cycleTotals(cycle, who.address);
    return { minted: t.minted.toBigInt(), burned: t.burned.toBigInt(), paidIn: t.paidIn.toBigInt(), paidOut: t.paidOut.toBigInt() };
  };
  const u = (n) => BigInt(n) * UNITS;

  test('mints, payments across institutions, a net position and two statements', async () => {
    // Start at the beginning of a fresh cycle, so that everything lands in it.
    const cycle = (await cycleNow()) + 1;
    await waitForCycle(cycle);
    const issuance = (await api.query.balances.totalIssuance()).toBigInt();
    await Promise.all([
      submitEvents(api, api.tx.utility.batchAll([
        api.tx.settlement.mint(charlie.address, u(500), blake2AsHex('deposit A-1')),
        api.tx.settlement.mint(dave.address, u(300), blake2AsHex('deposit A-2')),
      ]), alice),
      submitEvents(api, api.tx.settlement.mint(ferdie.address, u(400), blake2AsHex('deposit B-1')), bankB),
    ]);
    // A reused deposit reference is refused.
    await assert.rejects(
      submitEvents(api, api.tx.settlement.mint(dave.address, u(1), blake2AsHex('deposit A-2')), alice),
      /settlement\.ReferenceReused/,
    );
    assert.equal((await api.query.balances.totalIssuance()).toBigInt(), issuance + u(1_200));
    // Ferdie (Bank B) pays Charlie 100; Charlie pays Ferdie 30 and Dave pays him 10.
    await Promise.all([
      submitEvents(api, api.tx.compliance.transferKeepAlive(charlie.address, u(100)), ferdie),
      submitEvents(api, api.tx.compliance.transferKeepAlive(ferdie.address, u(30)), charlie),
      submitEvents(api, api.tx.compliance.transferKeepAlive(ferdie.address, u(10)), dave),
    ]);
    assert.equal(await cycleNow(), cycle, 'all in one cycle');
    assert.deepEqual(await totalsOf(cycle, alice), { minted: u(800), burned: 0n, paidIn: u(100), paidOut: u(40) });
    assert.deepEqual(await totalsOf(cycle, bankB), { minted: u(400), burned: 0n, paidIn: u(40), paidOut: u(100) });

    // The cycle ends; anyone closes it: Bank B owes Alice 60.
    await assert.rejects(submitEvents(api, api.tx.settlement.closeCycle(cycle), dave), /settlement\.CycleNotOver/);
    await waitForCycle(cycle + 1);
    const closed = await submitEvents(api, api.tx.settlement.closeCycle(cycle), dave);
    const [published] = event(closed, 'NetPositionPublished');
    assert.equal(published.data.debtor.toString(), bankB.address);
    assert.equal(published.data.creditor.toString(), alice.address);
    assert.equal(published.data.amount.toBigInt(), u(60));
    const positions = await api.call.settlementApi.netPositions(cycle);
    assert.equal(positions.length, 1);
    await submitEvents(api, api.tx.settlement.markSettled(cycle, bankB.address, alice.address, blake2AsHex('CNAPS 2026-11-23 0001')), bankB);

    // Alice's books agree; Bank B's miss Dave's payment of 10.
    const root = blake2AsHex('records');
    const matched = await submitEvents(api, api.tx.settlement.submitStatement(cycle,
      { minted: u(800), burned: 0, paidIn: u(100), paidOut: u(40) }, root), alice);
    assert.equal(event(matched, 'StatementMatched').length, 1);
    const alertsBefore = (await api.call.complianceApi.riskProfile(bankB.address)).stats.alerts.toNumber();
    const mismatched = await submitEvents(api, api.tx.settlement.submitStatement(cycle,
      { minted: u(400), burned: 0, paidIn: u(30), paidOut: u(100) }, root), bankB);
    const [flagged] = event(mismatched, 'StatementMismatched');
    assert.deepEqual(flagged.data.differences.toJSON(), { minted: false, burned: false, paidIn: true, paidOut: false });
    const statements = await api.call.settlementApi.statements(cycle, 'Mismatched');
    assert.equal(statements.length, 1);
    const [who, statement] = statements[0];
    assert.equal(who.toString(), bankB.address);
    assert.equal(statement.result.asMismatch.chain.paidIn.toBigInt(), u(40), 'the chain counted 40');
    const profile = await api.call.complianceApi.riskProfile(bankB.address);
    assert.equal(profile.stats.alerts.toNumber(), alertsBefore + 1, 'the regulator has an alert');

    // Redemption: Ferdie takes 50 out through Bank B.
    const redeemed = await submitEvents(api, api.tx.settlement.redeem(bankB.address, u(50), blake2AsHex('withdrawal B-1')), ferdie);
    assert.equal(event(redeemed, 'Redeemed').length, 1);
    const [, outstanding] = await api.call.settlementApi.institution(bankB.address);
    assert.equal(outstanding.toBigInt(), u(350));
  });
});
