// End-to-end: escrowed trades as a wallet and a merchant meet them. A real dev node (started
// here, on loopback, and stopped at the end) and a stock Polkadot.js client — no custom types:
// a full trade (create, ship, delivery by two of three oracles' signatures, release by itself
// after the dispute window), a refund by itself for a missed shipping deadline, and a dispute an
// arbiter resolves 70/30. Every balance and hold is checked before and after, fees included;
// then the runtime API lists the escrows by party and status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { blake2AsHex } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat, u8aToHex, bnToU8a } from '@polkadot/util';

import { free, sleep, startDevNode, submitEvents, UNITS } from './lib/devnode.mjs';

// `pallet_escrow::ATTESTATION_DOMAIN`.
const DOMAIN = stringToU8a('paychain:escrow:delivery');

describe('escrowed trades with a stock Polkadot.js client', { timeout: 600_000 }, () => {
  let dev;
  let api;
  let alice; let charlie; let dave; let arbiter; let oracles;

  before(async () => {
    dev = await startDevNode();
    api = dev.api;
    [alice, charlie, dave, arbiter] = ['//Alice', '//Charlie', '//Dave', '//Ferdie//stash']
      .map((uri) => dev.keyring.addFromUri(uri));
    oracles = [1, 2, 3].map((i) => dev.keyring.addFromUri(`//Paychain//E2E//Oracle${i}`));
    // Alice, the national registrar, registers three oracles (delivery-tracking services).
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    const register = oracles.map((o, i) => api.tx.accounts.register(o.address, 'Oracle',
      blake2AsHex(`oracle ${i}`), 0, null, 'Standard', head + 100_000));
    await submitEvents(api, api.tx.utility.batchAll(register), alice);
  });

  after(async () => {
    await dev?.stop();
  });

  // What `who` paid in transaction fees, from the events of its transactions.
  const feePaid = (events, who) => events
    .filter((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid'
      && e.data.who.toString() === who.address)
    .reduce((sum, e) => sum + e.data.actualFee.toBigInt(), 0n);

  // Sends a transaction and keeps a tally of the fees per signer — a transaction that fails in
  // its block pays its fee too. Resolves with the events; rejects with the pallet error's name.
  const fees = new Map();
  const send = (tx, signer) => new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInBlock) {
        const records = events.map(({ event }) => event);
        fees.set(signer.address, (fees.get(signer.address) ?? 0n) + feePaid(records, signer));
        if (dispatchError) {
          const reason = dispatchError.isModule
            ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
            : dispatchError.toString();
          reject(new Error(`dispatch failed: ${reason}`));
        } else {
          resolve(records);
        }
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      }
    }).catch(reject);
  });
  const spent = (who) => fees.get(who.address) ?? 0n;
  const event = (events, method) => events.find((e) => e.section === 'escrow' && e.method === method);

  // What is held on `who` under the escrow's hold reason.
  const escrowHeld = async (who) => (await api.query.balances.holds(who.address))
    .filter((h) => JSON.stringify(h.id.toJSON()).toLowerCase().includes('"escrow"'))
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);

  const snapshot = async () => ({
    dave: await free(api, dave.address),
    charlie: await free(api, charlie.address),
    daveHeld: await escrowHeld(dave),
    daveFees: spent(dave),
    charlieFees: spent(charlie),
  });

  const escrow = async (id) => (await api.call.escrowApi.escrow(id)).unwrap();

  // Waits (up to a minute) for the escrow to close.
  const closed = async (id) => {
    for (let i = 0; i < 60; i += 1) {
      const e = await escrow(id);
      if (e.status.isClosed) return e;
      await sleep(1_000);
    }
    throw new Error(`escrow ${id} did not close: ${(await escrow(id)).status.toString()}`);
  };

  const agreement = (terms, withOracles = false) => ({
    order: { commitment: blake2AsHex(`order ${Math.random()}`), id: 'SO-2026-0001' },
    terms,
    arbitration: { arbiter: arbiter.address, appealArbiter: null },
    oracles: withOracles ? { members: oracles.map((o) => o.address), threshold: 2 } : null,
    milestones: [],
  });

  const create = async (amount, terms, withOracles) => {
    const events = await send(api.tx.escrow.createEscrow(charlie.address, amount,
      agreement(terms, withOracles)), dave);
    const created = event(events, 'EscrowCreated');
    assert.ok(created, `events: ${events.map((e) => e.method)}`);
    return created.data.escrowId.toNumber();
  };

  test('the escrow pallet and its runtime API are in the metadata', () => {
    assert.ok(api.tx.escrow?.createEscrow, 'Escrow.create_escrow');
    assert.ok(api.call.escrowApi?.nextStep, 'EscrowApi.next_step');
  });

  test('a full trade: create, ship, oracle delivery, release after the window', async () => {
    const amount = 1_000n * UNITS;
    const start = await snapshot();
    const id = await create(amount, { shipWithin: 40, deliverWithin: 40, disputeWindow: 3, appealWindow: 3 }, true);
    assert.equal(await escrowHeld(dave), start.daveHeld + amount, 'held on the payer');
    assert.equal(await free(api, dave.address), start.dave - amount - (spent(dave) - start.daveFees));

    const tracking = blake2AsHex('SF Express 9120 3456 7788');
    await send(api.tx.escrow.ship(id, tracking), charlie);
    assert.ok((await api.call.escrowApi.nextStep(id)).unwrap().isDeliveryToConfirm);

    // Two of the three oracles sign the delivery off chain; the merchant submits them.
    const genesis = api.genesisHash.toU8a();
    const payload = u8aConcat(DOMAIN, genesis, bnToU8a(id, { bitLength: 64, isLe: true }), tracking);
    const attestations = oracles.slice(0, 2).map((o) => ({
      oracle: o.address,
      signature: { Sr25519: u8aToHex(o.sign(payload)) },
    }));
    // A forged one (the first oracle's signature, claimed for the third) is refused.
    await assert.rejects(send(api.tx.escrow.submitAttestations(id,
      [{ oracle: oracles[2].address, signature: attestations[0].signature }]), charlie),
    /escrow\.BadSignature/);
    const delivered = await send(api.tx.escrow.submitAttestations(id, attestations), charlie);
    assert.ok(event(delivered, 'Delivered'), `events: ${delivered.map((e) => e.method)}`);

    const e = await closed(id);
    assert.equal(e.status.asClosed.outcome.isReleased, true);
    assert.equal(await escrowHeld(dave), start.daveHeld, 'nothing held any more');
    assert.equal(await free(api, dave.address), start.dave - amount - (spent(dave) - start.daveFees));
    assert.equal(await free(api, charlie.address),
      start.charlie + amount - (spent(charlie) - start.charlieFees), 'the merchant was paid');
  });

  test('a missed shipping deadline refunds the payer by itself', async () => {
    const amount = 300n * UNITS;
    const start = await snapshot();
    const id = await create(amount, { shipWithin: 3, deliverWithin: 10, disputeWindow: 3, appealWindow: 3 });
    assert.equal(await escrowHeld(dave), start.daveHeld + amount);
    const e = await closed(id);
    assert.equal(e.status.asClosed.outcome.isRefunded, true);
    await assert.rejects(send(api.tx.escrow.ship(id, blake2AsHex('too late')), charlie),
      /escrow\.WrongStatus/);
    assert.equal(await escrowHeld(dave), start.daveHeld);
    assert.equal(await free(api, dave.address), start.dave - (spent(dave) - start.daveFees),
      'all back but the fee');
    assert.equal(await free(api, charlie.address),
      start.charlie - (spent(charlie) - start.charlieFees), 'the merchant got nothing');
  });

  test('a dispute resolved 70/30 by the arbiter', async () => {
    const amount = 1_000n * UNITS;
    const start = await snapshot();
    const id = await create(amount, { shipWithin: 40, deliverWithin: 40, disputeWindow: 10, appealWindow: 3 });
    await send(api.tx.escrow.ship(id, blake2AsHex('parcel')), charlie);
    await send(api.tx.escrow.openDispute(id, blake2AsHex('the goods arrived damaged')), dave);
    await assert.rejects(send(api.tx.escrow.rule(id, 70, 20), arbiter), /escrow\.SplitNotWhole/);
    await assert.rejects(send(api.tx.escrow.rule(id, 30, 70), charlie), /escrow\.NotArbiter/);
    const ruled = await send(api.tx.escrow.rule(id, 30, 70), arbiter);
    assert.ok(event(ruled, 'DisputeRuled'));
    assert.equal(await escrowHeld(dave), start.daveHeld + amount, 'held through the appeal window');

    const e = await closed(id);
    assert.equal(e.status.asClosed.outcome.isSplit, true);
    assert.equal(e.status.asClosed.outcome.asSplit.payeeShare.toNumber(), 70);
    const toCharlie = 700n * UNITS;
    assert.equal(await escrowHeld(dave), start.daveHeld);
    assert.equal(await free(api, dave.address), start.dave - toCharlie - (spent(dave) - start.daveFees));
    assert.equal(await free(api, charlie.address),
      start.charlie + toCharlie - (spent(charlie) - start.charlieFees));
  });

  test('the runtime API pages an account\'s escrows by party and status', async () => {
    const page = async (who, party, status) => {
      const result = await api.call.escrowApi.escrowsOf(who.address, party, status, null, 100);
      return result.items.map(([id]) => id.toNumber()).sort((a, b) => a - b);
    };
    const mine = await page(dave, 'Payer', null);
    assert.equal(mine.length, 3, `Dave paid into three escrows: ${mine}`);
    assert.deepEqual(await page(dave, 'Payer', 'Closed'), mine, 'all three are closed, still queryable');
    assert.deepEqual(await page(charlie, 'Payee', null), mine);
    assert.deepEqual(await page(dave, 'Payee', null), []);
    assert.deepEqual(await page(arbiter, 'Arbiter', null), mine, 'the arbiter sees the escrows it is named in');
    assert.equal((await page(oracles[0], 'Oracle', null)).length, 1);
    const next = (await api.call.escrowApi.nextStep(mine[0])).unwrap();
    assert.ok(next.isRemoval, `a closed escrow is removed after its retention: ${next.toString()}`);
  });
});
