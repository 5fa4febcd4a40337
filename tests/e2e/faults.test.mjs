// End-to-end fault tests: the four-validator network on loopback under a steady payment load
// (two institutions paying one after another, through the clearing validator, which stays up),
// while validators are killed, paused and wiped. After each fault every node agrees on the
// state root at the same finalized height, and every payment sent during it that went into a
// block is finalized exactly once (nonces and the recipients' balances). What each fault cost (finality stall, catch-up time) is printed for
// docs/RELIABILITY.md. PAYCHAIN_FAULT_SECONDS lengthens the faults (the long version by hand).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { finalizedNumber, network, paymentLoad, sleep, unsettled, VALIDATORS } from './lib/network.mjs';

const FAULT_S = Number(process.env.PAYCHAIN_FAULT_SECONDS ?? 15);
const net = network({ prefix: 'paychain-faults-' });
const { waitFor } = net;
const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();
const gone = (pid) => { try { process.kill(pid, 0); return false; } catch { return true; } };

describe(`validator faults under a payment load (${FAULT_S} s each)`, { timeout: 900_000 }, () => {
  const apis = [];
  let senders;
  let recipients;
  let load;
  let total = 0;

  // A client of every validator; `i` reconnects validator i's (after a restart).
  const reconnect = async (i) => { apis[i] = await net.connect(i); return apis[i]; };

  // Every running node at the lowest finalized height among them has the same block, hence
  // the same state root; returns that height.
  async function agreed(nodes = [0, 1, 2, 3]) {
    const height = Math.min(...(await Promise.all(nodes.map((i) => finalizedNumber(apis[i])))));
    const headers = await Promise.all(nodes.map(async (i) =>
      apis[i].rpc.chain.getHeader(await apis[i].rpc.chain.getBlockHash(height))));
    const roots = new Set(headers.map((h) => h.stateRoot.toHex()));
    assert.equal(roots.size, 1, `state roots at #${height}: ${[...roots]}`);
    return height;
  }

  // Validator i restarted with its data (the network's own script) and its client reconnected.
  async function restart(i) {
    await net.script('run-network.sh', '--only', VALIDATORS[i]);
    return reconnect(i);
  }

  async function kill(i, signal) {
    const pid = net.pid(i);
    await apis[i]?.disconnect().catch(() => {});
    process.kill(pid, signal);
    await waitFor(`${VALIDATORS[i]} to exit`, 30, async () => gone(pid));
  }

  // Validator i, restarted at `start` (ms), catches up to the others' finalized head and
  // authors a block again (a block in one of its own Aura slots, slot mod 4 == i); returns the
  // seconds from its restart to its catching up.
  async function caughtUp(i, since, start) {
    const target = await finalizedNumber(apis[0]);
    await waitFor(`${VALIDATORS[i]} to finalize #${target}`, 120, async () => (await finalizedNumber(apis[i])) >= target);
    const synced = (Date.now() - start) / 1000;
    await waitFor(`${VALIDATORS[i]} to author again`, 60, async () => {
      const head = await bestNumber(apis[0]);
      for (let n = head; n > Math.max(since, head - 8); n -= 1) {
        const header = await apis[0].rpc.chain.getHeader(await apis[0].rpc.chain.getBlockHash(n));
        const [, data] = header.digest.logs.find((log) => log.isPreRuntime).asPreRuntime;
        if (Number(apis[0].createType('u64', data).toBigInt() % 4n) === i) return true;
      }
      return false;
    });
    return synced;
  }

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    senders = ['NationalClearingCenter', 'UnionPaymentInstitution'].map((n) => keyring.addFromUri(`//Paychain//${n}`));
    recipients = [1, 2, 3].map((i) => keyring.addFromUri(`//Paychain//E2E//Faults${i}`));
    await net.start();
    for (const i of VALIDATORS.keys()) await reconnect(i);
    await waitFor('the first finalized block', 60, async () => (await finalizedNumber(apis[0])) >= 1);
  });

  // Runs `fault` under a payment load through the clearing validator (which stays up), then
  // checks that every payment of the load is finalized exactly once; returns what it printed.
  async function underLoad(fault) {
    load = await paymentLoad(apis[0], senders, recipients);
    await sleep(3000);
    const report = await fault();
    const result = await load.stop();
    load = undefined;
    assert.ok(result.paid.every((n) => n >= 3), `payments in blocks per sender: ${result.paid}`);
    assert.deepEqual(await unsettled(apis[0], result, 90), [],
      `${result.retried} payments signed again: ${JSON.stringify(result.errors)}`);
    const paid = result.paid.reduce((a, b) => a + b, 0);
    total += paid;
    console.log(`${report}; ${paid} payments finalized exactly once (${result.retried} signed again${result.retried ? `: ${JSON.stringify(result.errors)}` : ''})`);
  }

  after(async () => {
    await load?.stop().catch(() => {});
    await net.stop();
  });

  test('one validator killed (SIGKILL): blocks and finality go on; restarted, it catches up and authors', () => underLoad(async () => {
    const down = 3;
    await kill(down, 'SIGKILL');
    const [best, fin] = [await bestNumber(apis[0]), await finalizedNumber(apis[0])];
    await sleep(FAULT_S * 1000);
    assert.ok(await bestNumber(apis[0]) >= best + 2, 'blocks go on without it');
    assert.ok(await finalizedNumber(apis[0]) >= fin + 2, 'three of four finalize');
    const since = await bestNumber(apis[0]);
    const restarted = Date.now();
    await restart(down);
    const synced = await caughtUp(down, since, restarted);
    const height = await agreed();
    return `# SIGKILL ${VALIDATORS[down]} for ${FAULT_S} s: restarted and caught up in ${synced.toFixed(1)} s; state roots agree at #${height}`;
  }));

  test('two of four paused (SIGSTOP): finality stalls, blocks go on; resumed, finality catches up by itself', () => underLoad(async () => {
    const paused = [1, 2];
    for (const i of paused) process.kill(net.pid(i), 'SIGSTOP');
    try {
      await sleep(3000);
      const [best, fin] = [await bestNumber(apis[0]), await finalizedNumber(apis[0])];
      await sleep(FAULT_S * 1000);
      const [bestAfter, finAfter] = [await bestNumber(apis[0]), await finalizedNumber(apis[0])];
      assert.ok(bestAfter >= best + 2, `blocks go on in the two running validators' slots (#${best} -> #${bestAfter})`);
      assert.ok(finAfter <= fin + 1, `finality stalls without a supermajority (#${fin} -> #${finAfter})`);
    } finally {
      for (const i of paused) process.kill(net.pid(i), 'SIGCONT');
    }
    const resumed = Date.now();
    const gap = (await bestNumber(apis[0])) - (await finalizedNumber(apis[0]));
    const target = await bestNumber(apis[0]);
    await waitFor(`finality to reach #${target}`, 120, async () => (await finalizedNumber(apis[0])) >= target);
    const catchUp = (Date.now() - resumed) / 1000;
    await waitFor('the paused validators to finalize too', 60, async () =>
      (await Promise.all(paused.map((i) => finalizedNumber(apis[i])))).every((n) => n >= target));
    const height = await agreed();
    return `# SIGSTOP ${paused.map((i) => VALIDATORS[i])} for ${FAULT_S} s: finality gap ${gap} blocks, caught up in ${catchUp.toFixed(1)} s; state roots agree at #${height}`;
  }));

  test('a validator\'s database deleted: it resyncs to the same finalized head', () => underLoad(async () => {
    const wiped = 3;
    await kill(wiped, 'SIGKILL');
    const chains = join(net.dir, VALIDATORS[wiped], 'chains');
    for (const chain of readdirSync(chains)) {
      // The chain database only: the keystore and the node key stay, as on a real machine.
      for (const db of ['paritydb', 'db']) rmSync(join(chains, chain, db), { recursive: true, force: true });
    }
    await sleep(3000);
    const since = await bestNumber(apis[0]);
    const restarted = Date.now();
    await restart(wiped);
    const synced = await caughtUp(wiped, since, restarted);
    const height = await agreed();
    return `# database of ${VALIDATORS[wiped]} deleted: restarted and resynced from genesis in ${synced.toFixed(1)} s; state roots agree at #${height}`;
  }));

  test('after the faults every node agrees and finality keeps up', async () => {
    const target = await bestNumber(apis[0]);
    await waitFor(`finality to reach #${target}`, 60, async () => (await finalizedNumber(apis[0])) >= target);
    const height = await agreed();
    console.log(`# after every fault: ${total} payments finalized exactly once; state roots agree at #${height}`);
  });
});
