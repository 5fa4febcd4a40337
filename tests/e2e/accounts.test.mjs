// End-to-end: the permissioned chain as a wallet meets it. A real dev node (started here, on
// loopback, and stopped at the end) and a stock Polkadot.js client — no custom types: a stranger's
// transfer is refused at submission with a clear reason; it applies, a registrar approves it, and
// the same transfer goes through; suspended, it cannot transfer; the runtime API answers with its
// record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { blake2AsHex } from '@polkadot/util-crypto';

import { startDevNode, submit, UNITS } from './lib/devnode.mjs';

// The accounts pallet's `InvalidTransaction::Custom` codes.
const NOT_A_PARTICIPANT = 20;
const NOT_ACTIVE = 21;

describe('a permissioned chain, as a stock Polkadot.js wallet sees it', { timeout: 300_000 }, () => {
  let dev;
  let api;
  let alice; let bob; let eve; let applicant;

  before(async () => {
    dev = await startDevNode();
    api = dev.api;
    [alice, bob, eve] = ['//Alice', '//Bob', '//Eve'].map((uri) => dev.keyring.addFromUri(uri));
    applicant = dev.keyring.addFromUri('//Paychain//E2E//Applicant');
  });

  after(async () => {
    await dev?.stop();
  });

  const transfer = () => api.tx.compliance.transferKeepAlive(bob.address, 5n * UNITS);

  async function refusedWith(code) {
    await assert.rejects(submit(api, transfer(), applicant),
      new RegExp(`Invalid Transaction.*Custom error: ${code}`));
  }

  test('the permissioning extension is in the metadata and needs no client configuration', async () => {
    assert.ok(api.registry.signedExtensions.includes('CheckParticipant'),
      `extensions: ${api.registry.signedExtensions}`);
    assert.ok(api.tx.accounts.apply, 'Accounts.apply is in the metadata');
    assert.ok(api.call.accountsApi?.participant, 'the AccountsApi runtime API is in the metadata');
  });

  test('a stranger is funded, and its transfer is refused at submission', async () => {
    // Money may be sent to anyone; only participants may send it.
    const events = await submit(api, api.tx.compliance.transferKeepAlive(applicant.address, 100n * UNITS), alice);
    assert.ok(events.includes('balances.Transfer'), `events: ${events}`);
    await refusedWith(NOT_A_PARTICIPANT);
  });

  test('it applies, with its deposit held; while pending it still cannot transfer', async () => {
    const identity = blake2AsHex('off-chain KYC record of the e2e applicant');
    const events = await submit(api, api.tx.accounts.apply('Individual', identity, 440305, bob.address), applicant);
    assert.ok(events.includes('accounts.Applied'), `events: ${events}`);
    const record = (await api.call.accountsApi.participant(applicant.address)).unwrap();
    assert.equal(record.status.toString(), 'Pending');
    assert.equal(record.deposit.toBigInt(), 10n * UNITS);
    await refusedWith(NOT_ACTIVE);
  });

  test('a registrar approves it, and the same transfer goes through', async () => {
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    const events = await submit(api, api.tx.accounts.approve(applicant.address, 'Basic', head + 100_000), alice);
    assert.ok(events.includes('accounts.Approved'), `events: ${events}`);
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const sent = await submit(api, transfer(), applicant);
    assert.ok(sent.includes('system.ExtrinsicSuccess'), `events: ${sent}`);
    const after = (await api.query.system.account(bob.address)).data.free.toBigInt();
    assert.equal(after - before, 5n * UNITS);
  });

  test('a regulator suspends it, and it can no longer transfer', async () => {
    const events = await submit(api, api.tx.accounts.suspend(applicant.address), eve);
    assert.ok(events.includes('accounts.Suspended'), `events: ${events}`);
    await refusedWith(NOT_ACTIVE);
  });

  test('the runtime API answers with the record, the organisation tree and the role', async () => {
    const record = (await api.call.accountsApi.participant(applicant.address)).unwrap();
    assert.equal(record.status.toString(), 'Suspended');
    assert.equal(record.role.toString(), 'Individual');
    assert.equal(record.region.toNumber(), 440305);
    assert.equal(record.parent.unwrap().toString(), bob.address);
    assert.equal(record.approvedBy.unwrap().toString(), alice.address);
    assert.equal(record.kyc.unwrap().tier.toString(), 'Basic');

    const profile = (await api.call.accountsApi.profile(applicant.address)).unwrap();
    assert.equal(profile.tier.toString(), 'Basic');

    const children = (await api.call.accountsApi.children(bob.address, null, 100)).map(([who]) => who.toString());
    assert.ok(children.includes(applicant.address), `Bob's children: ${children}`);

    const regulators = (await api.call.accountsApi.membersByRole('Regulator', null, 10)).map(([who]) => who.toString());
    assert.deepEqual(regulators, [eve.address]);

    const counties = await api.call.accountsApi.membersByRole({ FinanceDepartment: 'County' }, null, 10);
    assert.equal(counties.length, 1);
    assert.equal(counties[0][1].depth.toNumber(), 3);
  });
});
