// End-to-end: a backlog of transactions larger than the network's per-peer queue of
// notifications (2,048) is gossiped in bounded rounds. Nodes of the dev chain on loopback: the
// author (Alice) makes the first blocks and stops; the holder, which does not author, then
// receives 3,000 transfers (with no peer to gossip them to). The SDK's gossip would offer a
// peer that connects all 3,000 in one round, and when that peer's connection task falls behind
// (a loaded machine) overflow the queue and close the connection, again at every round
// (docs/PERFORMANCE.md, "Overload"). The node's gossip (node/src/gossip.rs) offers the head of
// the ready queue, 1,024 a round: an observer that connects receives exactly those 1,024,
// round after round; then the author restarts where it stopped and connects, the blocks take
// the head and the rounds offer what follows, and every transfer is finalized exactly once
// with the connection held throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { WsProvider } from '@polkadot/api';

import { sleep, startDevNode, UNITS } from './lib/devnode.mjs';

// More than the per-peer queue of notifications (litep2p's and libp2p's: 2,048).
const QUEUED = 3_000;
// The most one round of gossip offers (gossip.rs: ROUND), and the time between rounds.
const ROUND = 1_024;
const ROUND_SECONDS = 2.9;

describe('transaction gossip of a backlog to a block author', { timeout: 400_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'paychain-gossip-'));
  let author; let holder;
  const warnings = [];
  const raw = new Map(); // node → a provider for JSON-RPC the client library does not wrap

  const send = async (node, method, params = []) => {
    if (!raw.has(node)) raw.set(node, new WsProvider(node.url));
    const provider = raw.get(node);
    await provider.isReady;
    return provider.send(method, params);
  };
  // Keeps the network's "clogged" warnings from a node's log.
  const watch = (node, name) => node.stderr.on('data', (d) => {
    for (const line of String(d).split('\n')) {
      if (/clogged/.test(line)) warnings.push(`${name}: ${line.trim()}`);
    }
  });
  const ready = async (node) => (await send(node, 'author_pendingExtrinsics')).length;
  const peers = async (node) => (await node.api.rpc.system.health()).peers.toNumber();
  const best = async (node) => (await node.api.rpc.chain.getHeader()).number.toNumber();
  const address = async (node) =>
    `/ip4/127.0.0.1/tcp/${node.p2p}/p2p/${(await node.api.rpc.system.localPeerId()).toString()}`;
  async function waitFor(what, seconds, check, detail = () => '') {
    const deadline = Date.now() + seconds * 1000;
    while (!(await check())) {
      assert.ok(Date.now() < deadline, `timed out after ${seconds} s waiting for ${what}${detail()}`);
      await sleep(500);
    }
  }
  const startAuthor = async (args = []) => {
    const node = await startDevNode({ basePath: base, args });
    watch(node, 'author');
    return node;
  };

  before(async () => {
    author = await startAuthor();
    holder = await startDevNode({ chain: ['--chain', 'dev'], args: ['--bootnodes', await address(author)] });
    watch(holder, 'holder');
    await waitFor('the holder to import block #2', 60, async () => (await best(holder)) >= 2);
    await author.stop();
    await author.exited;
    await waitFor('the holder to lose its only peer', 30, async () => (await peers(holder)) === 0);
  });

  after(async () => {
    await Promise.all([...raw.values()].map((provider) => provider.disconnect().catch(() => {})));
    await Promise.all([author, holder].map((node) => node?.stop()));
    await Promise.all([author, holder].map((node) => node?.exited));
    rmSync(base, { recursive: true, force: true });
  });

  test(`${QUEUED} transactions held by a node reach an author that connects, and each is finalized once`, async () => {
    const { api, keyring } = holder;
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const nonce = async () => (await api.query.system.account(alice.address)).nonce.toNumber();
    const balance = async () => (await api.query.system.account(bob.address)).data.free.toBigInt();
    const [start, bobBefore] = [await nonce(), await balance()];
    const signed = [];
    for (let i = 0; i < QUEUED; i += 1) {
      const tx = api.tx.compliance.transferKeepAlive(bob.address, UNITS);
      signed.push((await tx.signAsync(alice, { nonce: start + i, era: 0 })).toHex());
    }
    for (let i = 0; i < QUEUED; i += 250) {
      await Promise.all(signed.slice(i, i + 250).map((hex) => send(holder, 'author_submitExtrinsic', [hex])));
    }
    assert.equal(await ready(holder), QUEUED, 'the holder has every transaction ready');

    // An observer that connects receives the head of the queue, and no more while no block
    // takes it, however many rounds pass.
    const observer = await startDevNode({ chain: ['--chain', 'dev'], args: ['--bootnodes', await address(holder)] });
    try {
      watch(observer, 'observer');
      await waitFor('the observer to connect and import block #2', 60,
        async () => (await peers(observer)) === 1 && (await best(observer)) >= 2);
      const seen = [];
      await waitFor(`the observer to hold ${ROUND} transactions`, 30, async () => {
        seen.push(await ready(observer));
        return seen.at(-1) >= ROUND;
      }, () => `; it holds ${seen.at(-1)}`);
      await sleep(2 * ROUND_SECONDS * 1000);
      assert.equal(await ready(observer), ROUND, 'two more rounds offered the observer nothing new');
      assert.equal(await peers(observer), 1, 'the observer is still connected');
    } finally {
      await observer.stop();
      await observer.exited;
    }

    // The author restarts where it stopped and connects to the holder.
    author = await startAuthor(['--bootnodes', await address(holder)]);
    await waitFor('the author to connect', 30, async () => (await peers(author)) === 1);

    // Every transfer is finalized; the connection holds throughout.
    const began = Date.now();
    const included = [];
    await waitFor(`all ${QUEUED} transfers to be finalized`, 180, async () => {
      const [connected, finalized] = await Promise.all([peers(author), api.rpc.chain.getFinalizedHead()]);
      assert.equal(connected, 1, `the author lost its peer with ${included.at(-1) ?? 0} transfers finalized`);
      const at = await api.at(finalized);
      const done = (await at.query.system.account(alice.address)).nonce.toNumber() - start;
      included.push(done);
      return done === QUEUED;
    }, () => `; finalized so far: ${included.filter((n, i) => n !== included[i - 1]).join(' → ')}`);
    assert.equal(await balance() - bobBefore, BigInt(QUEUED) * UNITS, 'each transfer ran exactly once');
    assert.deepEqual(warnings, [], 'no node closed a connection for a clogged queue');
    assert.equal(await ready(holder), 0, 'nothing is left in the holder\'s pool');
    console.log(`# gossip: ${QUEUED} held transfers finalized ${((Date.now() - began) / 1000).toFixed(1)} s after the author connected (${included.filter((n, i) => n !== included[i - 1]).join(' → ')})`);
  });
});
