// End-to-end: hostile input over RPC and the transaction pool. A real dev node (on loopback,
// with a small pool so that its bound is reached quickly) receives malformed SCALE, oversized
// extrinsics, bad signatures, stale and future nonces, expired mortality, unregistered senders,
// calls nested past the decoder's limit, and floods from one connection. Each is refused with a
// clear error (or, for a future nonce, held without executing), the node stays up and keeps
// producing blocks, the pool stays within its limit, and no state changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { WsProvider } from '@polkadot/api';
import { WebSocket } from '@polkadot/x-ws';
import { compactFromU8a, u8aToHex } from '@polkadot/util';

import { freePort, startDevNode, UNITS } from './lib/devnode.mjs';

// The pool's limit on transactions for this node (`--pool-limit`).
const POOL_LIMIT = 256;
// pallet-accounts' `CheckParticipant` refusal of a stranger (extension.rs, NOT_A_PARTICIPANT).
const NOT_A_PARTICIPANT = 20;

describe('hostile input over RPC and the pool', { timeout: 600_000 }, () => {
  let dev;
  let api;
  let metricsPort;
  let raw; // a second connection, for JSON-RPC the client library would refuse to send
  let alice; let bob; let charlie; let dave; let stranger;
  const tried = {};

  const header = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const account = async (who) => {
    const { nonce, data } = await api.query.system.account(who.address);
    return { nonce: nonce.toNumber(), free: data.free.toBigInt(), reserved: data.reserved.toBigInt() };
  };
  // Sends raw JSON-RPC; resolves with the result or the error's message.
  const send = (method, params) => raw.send(method, params).then((r) => ({ ok: r }), (e) => ({ error: e.message }));
  const count = (what, n = 1) => { tried[what] = (tried[what] ?? 0) + n; };

  // Sends one JSON-RPC request on a WebSocket of its own; resolves with the first answer.
  function rawRequest(method, params) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(dev.url);
      const timer = setTimeout(() => { ws.close(); reject(new Error(`no answer to ${method} in 30 s`)); }, 30_000);
      const done = (what) => { clearTimeout(timer); ws.close(); resolve(what); };
      ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
      ws.onmessage = ({ data }) => {
        const { error } = JSON.parse(String(data));
        done(error ? `${error.code}: ${error.message} (${error.data ?? ''})` : 'accepted');
      };
      ws.onclose = ({ code }) => done(`closed (${code})`);
    });
  }

  // How many transactions the pool holds now (its Prometheus gauges: watched and unwatched).
  async function pooled() {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return ['watched', 'unwatched'].reduce((sum, kind) => {
      const m = text.match(new RegExp(`^substrate_sub_txpool_${kind}_txs(?:\\{[^}]*\\})? (\\d+)`, 'm'));
      assert.ok(m, `no substrate_sub_txpool_${kind}_txs metric`);
      return sum + Number(m[1]);
    }, 0);
  }

  // The node is up, still producing blocks, and `who`'s account is as it was.
  async function unharmed(who, before) {
    assert.ok(dev.alive(), 'the node process is running');
    const start = await header();
    const deadline = Date.now() + 30_000;
    while ((await header()) <= start) {
      assert.ok(Date.now() < deadline, 'no new block in 30 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    if (who) assert.deepEqual(await account(who), before, 'the sender\'s account did not change');
  }

  before(async () => {
    metricsPort = await freePort();
    dev = await startDevNode({ args: ['--pool-limit', String(POOL_LIMIT), '--prometheus-port', String(metricsPort)] });
    api = dev.api;
    raw = new WsProvider(dev.url);
    await raw.isReady;
    [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((u) => dev.keyring.addFromUri(u));
    stranger = dev.keyring.addFromUri('//Paychain//E2E//Stranger');
  });

  after(async () => {
    console.log(`# hostile inputs tried: ${JSON.stringify(tried)}`);
    await raw?.disconnect().catch(() => {});
    await dev?.stop();
  });

  test('malformed SCALE is refused, whatever the bytes', async () => {
    // Deterministic pseudo-random bytes (xorshift), so a failure can be replayed.
    let x = 0x9e3779b9;
    const next = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) & 0xff; };
    const inputs = ['0x', '0x00', '0x04', '0xffffffff', '0x8400'];
    for (let i = 0; i < 200; i += 1) {
      const len = 1 + (next() * 8 + next()) % 1500;
      inputs.push(u8aToHex(Uint8Array.from({ length: len }, next)));
    }
    // A real transfer's bytes cut short. (With junk after them instead, the node decodes the
    // transfer and ignores the rest: what executes is what was signed.)
    const good = (await api.tx.compliance.transferKeepAlive(bob.address, UNITS).signAsync(dave)).toHex();
    inputs.push(good.slice(0, good.length - 10));
    for (const hex of inputs) {
      const r = await send('author_submitExtrinsic', [hex]);
      assert.ok(r.error, `accepted: ${hex.slice(0, 40)}`);
      // Refused as undecodable or invalid, or (the same bytes decoded before) as banned.
      assert.match(r.error, /1002|1010|1012|decode|Invalid/i, `${hex.slice(0, 40)}: ${r.error}`);
    }
    count('malformed', inputs.length);
    await unharmed();
  });

  test('an extrinsic larger than a block is refused, and a request larger than the RPC limit', async () => {
    const before = await account(dave);
    const big = api.tx.system.remark(`0x${'ab'.repeat(6 * 1024 * 1024)}`);
    let t = Date.now();
    await assert.rejects(big.signAndSend(dave), /1010.*exhaust the block limits/i);
    console.log(`# a 6 MiB extrinsic refused in ${Date.now() - t} ms`);
    t = Date.now();
    // Over a plain WebSocket: the server answers with an error that has no request id (it
    // could not read one), which a client library cannot match to its request.
    const answer = await rawRequest('author_submitExtrinsic', [`0x${'cd'.repeat(16 * 1024 * 1024)}`]);
    assert.match(answer, /-32007.*Request is too big/, 'a 16 MiB request is refused');
    console.log(`# a 16 MiB request refused in ${Date.now() - t} ms: ${answer}`);
    count('oversized', 2);
    await unharmed(dave, before);
  });

  test('a bad signature is refused', async () => {
    const before = await account(charlie);
    const tx = await api.tx.compliance.transferKeepAlive(bob.address, UNITS).signAsync(charlie);
    const bytes = tx.toU8a();
    // compact length, version, MultiAddress::Id (1 + 32), MultiSignature's variant, then the
    // signature: flip a byte in it.
    const [offset] = compactFromU8a(bytes);
    bytes[offset + 1 + 33 + 1 + 10] ^= 0xff;
    const r = await send('author_submitExtrinsic', [u8aToHex(bytes)]);
    assert.match(r.error ?? 'accepted', /1010.*bad signature/i);
    // Claiming another signer's signature.
    const other = await api.tx.compliance.transferKeepAlive(bob.address, UNITS).signAsync(dave, { nonce: before.nonce });
    const forged = other.toU8a();
    forged.set(dev.keyring.decodeAddress(charlie.address), offset + 2);
    const r2 = await send('author_submitExtrinsic', [u8aToHex(forged)]);
    assert.match(r2.error ?? 'accepted', /1010.*bad signature/i);
    count('bad signature', 2);
    await unharmed(charlie, before);
  });

  test('a stale nonce is refused; a future one waits in the pool without executing', async () => {
    // Bob's first transaction makes nonce 0 stale.
    await new Promise((resolve, reject) => {
      api.tx.system.remark('0x01').signAndSend(bob, ({ status }) => { if (status.isInBlock) resolve(); }).catch(reject);
    });
    const before = await account(bob);
    assert.ok(before.nonce >= 1);
    const stale = api.tx.compliance.transferKeepAlive(charlie.address, UNITS).signAsync(bob, { nonce: before.nonce - 1 });
    await assert.rejects(api.rpc.author.submitExtrinsic(await stale), /1010.*outdated/i);
    const future = await api.tx.compliance.transferKeepAlive(charlie.address, UNITS)
      .signAsync(bob, { nonce: before.nonce + 5 });
    const hash = await api.rpc.author.submitExtrinsic(future);
    // Two blocks later it has not executed: Bob's account is as it was.
    await unharmed(bob, before);
    await unharmed(bob, before);
    // It was held all along: its sender can take it back out of the pool.
    const removed = await api.rpc.author.removeExtrinsic([{ Hash: hash }]);
    assert.deepEqual(removed.map((h) => h.toHex()), [hash.toHex()], 'the future transaction was in the pool');
    count('stale nonce'); count('future nonce');
  });

  test('a transaction whose mortality ended is refused', async () => {
    const before = await account(dave);
    // A mortality of 4 blocks that began 10 blocks ago.
    while ((await header()) < 12) await new Promise((r) => setTimeout(r, 1000));
    const birth = (await header()) - 10;
    const birthHash = await api.rpc.chain.getBlockHash(birth);
    const era = api.createType('ExtrinsicEra', { current: birth, period: 4 });
    const tx = await api.tx.compliance.transferKeepAlive(bob.address, UNITS)
      .signAsync(dave, { blockHash: birthHash, era, nonce: before.nonce });
    await assert.rejects(api.rpc.author.submitExtrinsic(tx), /1010.*(ancient birth block|bad signature|outdated)/i);
    count('expired mortality');
    await unharmed(dave, before);
  });

  test('a stranger (no participant) is refused before any fee, funded or not', async () => {
    const refused = new RegExp(`1010.*Custom error: ${NOT_A_PARTICIPANT}`);
    await assert.rejects(api.tx.compliance.transferKeepAlive(bob.address, UNITS).signAndSend(stranger), refused);
    await assert.rejects(api.tx.system.remark('0x00').signAndSend(stranger), refused);
    count('unregistered sender', 2);
    await unharmed(stranger, await account(stranger));
  });

  test('calls nested past the decoder\'s depth limit are refused', async () => {
    const before = await account(dave);
    let call = api.tx.system.remark('0x00');
    for (let i = 0; i < 300; i += 1) call = api.tx.utility.batch([call]);
    await assert.rejects(call.signAndSend(dave), /1010.*(call is not expected|decode)|1002/i);
    count('nested calls (300 deep)');
    await unharmed(dave, before);
  });

  test('a flood of transactions from one connection: the pool stays within its limit, and each runs once', async () => {
    const before = await account(alice);
    // Three times the pool's limit, all waiting on a nonce not yet sent (the sender's next),
    // sent at once on one connection; the pool's size is sampled from its metrics meanwhile.
    // (It admits one only while it holds fewer than its bound; those its views drop as too
    // many waiting leave it again, so more than the bound may be accepted over the flood.)
    const n = 3 * POOL_LIMIT;
    const sign = async (nonce) => (await api.tx.system.remark(`0x${nonce.toString(16).padStart(8, '0')}`)
      .signAsync(alice, { nonce })).toHex();
    const txs = [];
    for (let i = 1; i <= n; i += 1) txs.push(await sign(before.nonce + i));
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, await pooled());
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const results = await Promise.all(txs.map((hex) => send('author_submitExtrinsic', [hex])));
    // The gauges move when the pool is maintained, at each new block: sample across two.
    await unharmed(alice, before);
    await unharmed(alice, before);
    sampling = false;
    await sampler;
    const accepted = results.filter((r) => r.ok).length;
    const refusals = results.filter((r) => r.error).map((r) => r.error.replace(/:.*/, ''));
    // The pool holds at most its limit of ready transactions and a tenth of it waiting.
    const bound = POOL_LIMIT + Math.floor(POOL_LIMIT / 10);
    assert.ok(accepted > 0 && accepted < n, `${accepted} of ${n} accepted`);
    assert.ok(most <= bound, `the pool held ${most}, over its bound of ${bound}`);
    assert.ok(refusals.every((e) => /1016|1014/.test(e)), `refusals: ${[...new Set(refusals)]}`);
    // A flood of cheap calls on the same connection is answered, and the node stays up.
    const health = await Promise.all(Array.from({ length: 2000 }, () => send('system_health', [])));
    assert.ok(health.every((r) => r.ok), 'every system_health call answered');
    await unharmed(alice, before);
    count('flood transactions', n); count('flood RPC calls', 2000);

    // The missing nonce unblocks them. The pool keeps at most a tenth of its limit waiting on
    // a nonce, so most of the flood was dropped without running; whatever runs, runs once and
    // in nonce order: the sender's nonce moves by the unblocking transaction and at most the
    // unbroken run of accepted nonces after it.
    let run = 0;
    while (run < n && results[run].ok) run += 1;
    await api.rpc.author.submitExtrinsic(await sign(before.nonce));
    await unharmed();
    await unharmed();
    const after = await account(alice);
    const executed = after.nonce - before.nonce;
    assert.ok(executed >= 1 && executed <= 1 + run, `${executed} executed; ${accepted} accepted, the first ${run} in an unbroken run`);
    console.log(`# flood: ${n} future transactions on one connection, ${accepted} accepted, the pool at most ${most} (bound ${bound}), ${refusals.length} refused (${[...new Set(refusals)]}); unblocked, ${executed} executed; 2000 RPC calls answered`);
  });
});
