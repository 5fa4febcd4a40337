// End-to-end: a fiscal transfer payment as finance departments and a supervision department meet
// it. A real dev node (started here, on loopback, and stopped at the end), whose genesis has the
// finance tree — //Alice//stash the ministry, //Bob//stash Guangdong, //Charlie//stash Shenzhen,
// //Dave//stash Nanshan, //Eve//stash a supervision department — and a stock Polkadot.js client
// with no custom types: a program allocated national → provincial → municipal → county,
// Nanshan's allocation frozen and unfrozen, disbursed to two schools, the unspent remainder
// recalled; then the trace from the program reaches each school with its amount, and the
// statistics add up, level by level and region by region.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { blake2AsHex } from '@polkadot/util-crypto';

import { free, startDevNode, submitEvents, UNITS } from './lib/devnode.mjs';

const NANSHAN = 440305;
const EDUCATION = 205;
const PRIMARY_SCHOOLS = 2050202;
const CST = 8 * 3_600_000;

describe('a fiscal transfer payment with a stock Polkadot.js client', { timeout: 600_000 }, () => {
  let dev;
  let api;
  let ministry; let guangdong; let shenzhen; let nanshan; let supervision; let schools;
  let program;

  before(async () => {
    dev = await startDevNode();
    api = dev.api;
    [ministry, guangdong, shenzhen, nanshan, supervision] =
      ['//Alice//stash', '//Bob//stash', '//Charlie//stash', '//Dave//stash', '//Eve//stash']
        .map((uri) => dev.keyring.addFromUri(uri));
    schools = [1, 2].map((i) => dev.keyring.addFromUri(`//Paychain//E2E//School${i}`));
    // Alice, the national registrar, registers two schools in Nanshan.
    const alice = dev.keyring.addFromUri('//Alice');
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    const register = schools.map((s, i) => api.tx.accounts.register(s.address, 'Merchant',
      blake2AsHex(`school ${i}`), NANSHAN, null, 'Standard', head + 100_000));
    await submitEvents(api, api.tx.utility.batchAll(register), alice);
  });

  after(async () => {
    await dev?.stop();
  });

  const fiscalEvent = (events, method) =>
    events.find((e) => e.section === 'fiscal' && e.method === method);
  // What is held on `who` under the fiscal hold reason.
  const fiscalHeld = async (who) => (await api.query.balances.holds(who.address))
    .filter((h) => JSON.stringify(h.id.toJSON()).toLowerCase().includes('"fiscal"'))
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
  const totals = (t) => Object.fromEntries(
    ['received', 'matching', 'allocated', 'disbursed', 'recalled', 'unspent']
      .map((k) => [k, t[k].toBigInt()]),
  );
  const T = (received, matching, allocated, disbursed, recalled, unspent) => ({
    received, matching, allocated, disbursed, recalled, unspent,
  });
  const u = (n) => BigInt(n) * UNITS;

  test('a program goes down the tree, is supervised, reaches two schools and is recalled', async () => {
    assert.ok(api.call.fiscalApi?.trace, 'FiscalApi.trace is in the metadata');
    const now = (await api.query.timestamp.now()).toNumber();
    const year = new Date(now + CST).getUTCFullYear();
    const ministryFree = await free(api, ministry.address);

    const created = await submitEvents(api, api.tx.fiscal.createProgram(
      `E2E-EDU-${year}`, 'Special', year, EDUCATION, u(1_000)), ministry);
    program = fiscalEvent(created, 'ProgramCreated').data.program.toNumber();
    assert.equal(await fiscalHeld(ministry), u(1_000));
    assert.ok(await free(api, ministry.address) < ministryFree - u(1_000) + UNITS, 'the total left the free balance');

    // Each level allocates to the next: the allocations are 0 (the ministry's) to 3.
    const steps = [[ministry, 0, guangdong, 600], [guangdong, 1, shenzhen, 400], [shenzhen, 2, nanshan, 150]];
    for (const [from, node, to, amount] of steps) {
      const events = await submitEvents(api, api.tx.fiscal.allocate(program, node, to.address, u(amount)), from);
      assert.equal(fiscalEvent(events, 'Allocated').data.to.toNumber(), node + 1);
    }
    // Skipping a level is refused by the organisation tree.
    await assert.rejects(
      submitEvents(api, api.tx.fiscal.allocate(program, 1, nanshan.address, UNITS), guangdong),
      /fiscal\.NotDirectChild/,
    );
    assert.equal(await fiscalHeld(nanshan), u(150));

    // The supervision department freezes Nanshan's allocation for verification: nothing goes out.
    const notice = blake2AsHex('verification notice 2026-17');
    await submitEvents(api, api.tx.fiscal.freezeAllocation(program, 3, notice), supervision);
    const pay = (school, amount) => api.tx.fiscal.disburse(program, 3, school.address, u(amount),
      PRIMARY_SCHOOLS, blake2AsHex(`invoice ${school.address}`));
    await assert.rejects(submitEvents(api, pay(schools[0], 60), nanshan), /fiscal\.AllocationFrozen/);
    await submitEvents(api, api.tx.fiscal.unfreezeAllocation(program, 3), supervision);

    // Disbursed to two schools; an unregistered recipient is refused.
    const stranger = dev.keyring.addFromUri('//Paychain//E2E//Stranger');
    await assert.rejects(submitEvents(api, pay(stranger, 1), nanshan), /fiscal\.RecipientNotRegistered/);
    const before = await Promise.all(schools.map((s) => free(api, s.address)));
    const paid = await submitEvents(api, api.tx.utility.batchAll([pay(schools[0], 60), pay(schools[1], 40)]), nanshan);
    assert.equal(paid.filter((e) => e.section === 'fiscal' && e.method === 'Disbursed').length, 2);
    assert.equal(await free(api, schools[0].address), before[0] + u(60));
    assert.equal(await free(api, schools[1].address), before[1] + u(40));

    // Shenzhen recalls what Nanshan did not spend.
    const recalled = await submitEvents(api, api.tx.fiscal.recall(program, 3, u(50), notice), shenzhen);
    assert.equal(fiscalEvent(recalled, 'Recalled').data.parent.toNumber(), 2);
    assert.equal(await fiscalHeld(nanshan), 0n);
    assert.equal(await fiscalHeld(shenzhen), u(300));
    assert.equal(await fiscalHeld(guangdong), u(200));
    assert.equal(await fiscalHeld(ministry), u(400));
  });

  test('the trace from the program reaches each school with its amount', async () => {
    for (const [index, school, amount] of [[0, schools[0], 60], [1, schools[1], 40]]) {
      const trace = (await api.call.fiscalApi.trace(program, 3, index)).unwrap();
      assert.deepEqual(
        trace.path.map(([node, a]) => [node.toNumber(), a.department.toString(), a.totals.received.toBigInt()]),
        [[0, ministry.address, u(1_000)], [1, guangdong.address, u(600)],
          [2, shenzhen.address, u(400)], [3, nanshan.address, u(150)]],
      );
      const [i, d] = trace.disbursement.unwrap();
      assert.equal(i.toNumber(), index);
      assert.equal(d.recipient.toString(), school.address);
      assert.equal(d.amount.toBigInt(), u(amount));
      assert.equal(d.purpose.toNumber(), PRIMARY_SCHOOLS);
    }
    const subtree = await api.call.fiscalApi.descendants(program, 1, null, 100);
    assert.deepEqual(subtree.items.map(([node]) => node.toNumber()), [2, 3]);
    const page = await api.call.fiscalApi.disbursements(program, 3, null, 100);
    assert.deepEqual(page.items.map(([, d]) => d.amount.toBigInt()), [u(60), u(40)]);
  });

  test('the statistics add up by level and region', async () => {
    const stats = (await api.call.fiscalApi.statistics(program)).unwrap();
    const whole = totals(stats.program.totals);
    assert.deepEqual(whole, T(u(1_000), 0n, 0n, u(100), 0n, u(900)));
    // 100 of the 1,000 reached final recipients.
    assert.equal(stats.program.executionRate.toNumber(), 100_000_000);
    const levels = Object.fromEntries(stats.levels.map(([l, s]) => [l.toString(), totals(s.totals)]));
    assert.deepEqual(levels, {
      National: T(u(1_000), 0n, u(600), 0n, 0n, u(400)),
      Provincial: T(u(600), 0n, u(400), 0n, 0n, u(200)),
      Municipal: T(u(400), 0n, u(100), 0n, 0n, u(300)),
      County: T(u(150), 0n, 0n, u(100), u(50), 0n),
    });
    // Every level's unspent and disbursed funds add up to the program's.
    const sum = (k) => Object.values(levels).reduce((s, t) => s + t[k], 0n);
    assert.equal(sum('unspent'), whole.unspent);
    assert.equal(sum('disbursed'), whole.disbursed);
    const county = (await api.call.fiscalApi.regionStatistics(program, NANSHAN)).unwrap();
    assert.deepEqual(totals(county.totals), T(u(150), 0n, 0n, u(100), u(50), 0n));
    assert.equal(county.executionRate.toNumber(), 1_000_000_000, 'all that stayed in Nanshan was spent');
    const province = (await api.call.fiscalApi.regionStatistics(program, 440000)).unwrap();
    assert.deepEqual(totals(province.totals), T(u(600), 0n, 0n, u(100), 0n, u(500)));
  });
});
