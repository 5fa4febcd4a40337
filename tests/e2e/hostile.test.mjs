// End-to-end: hostile input over RPC and the transaction pool. A real dev node (on loopback,
// with a small pool so that its bound is reached quickly) receives malformed SCALE, oversized
// extrinsics, bad signatures, stale and future nonces, expired mortality, unregistered senders,
// calls nested past the decoder's limit, and floods from one connection. Each is refused with a
// clear error (or, for a future nonce, held without executing), the node stays up and keeps
// producing blocks, the pool stays within its limit, and no state changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { WsProvider } from '@polkadot/api';
import { compactFromU8a, u8aToHex } from '@polkadot/util';

import { startDevNode, UNITS } from './lib/devnode.mjs';

// The pool's limit on transactions for this node (`--pool-limit`).
const POOL_LIMIT = 256;
// pallet-accounts' `CheckParticipant` refusal of a stranger (extension.rs, NOT_A_PARTICIPANT).
const NOT_A_PARTICIPANT = 20;

describe('hostile input over RPC and the pool', { timeout: 600_000 }, () => {
  let dev;
  let api;
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
    dev = await startDevNode({ args: ['--pool-limit', String(POOL_LIMIT)] });
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
    // A real transfer's bytes cut short, and with junk after them.
    const good = (await api.tx.compliance.transferKeepAlive(bob.address, UNITS).signAsync(dave)).toHex();
    inputs.push(good.slice(0, good.length - 10), `${good}00`);
    for (const hex of inputs) {
      const r = await send('author_submitExtrinsic', [hex]);
      assert.ok(r.error, `accepted: ${hex.slice(0, 40)}`);
      assert.match(r.error, /1002|1010|decode|Invalid/i, `${hex.slice(0, 40)}: ${r.error}`);
    }
    count('malformed', inputs.length);
    await unharmed();
  });

  test('an extrinsic larger than a block is refused, and a request larger than the RPC limit', async () => {
    const before = await account(dave);
    const big = api.tx.system.remark(`0x${'ab'.repeat(6 * 1024 * 1024)}`);
    await assert.rejects(big.signAndSend(dave), /1010.*exhaust the block limits/i);
    // On a connection of its own: the server may close the connection that sent it.
    const own = new WsProvider(dev.url, 0);
    await own.connect();
    await own.isReady;
    const huge = await own.send('author_submitExtrinsic', [`0x${'cd'.repeat(16 * 1024 * 1024)}`])
      .then(() => undefined, (e) => e.message);
    await own.disconnect().catch(() => {});
    assert.ok(huge, 'a 16 MiB request is refused');
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
    const pending = async () => (await api.rpc.author.pendingExtrinsics()).map((x) => x.hash.toHex());
    assert.ok((await pending()).includes(hash.toHex()), 'the future transaction waits in the pool');
    await unharmed(bob, before);
    await unharmed(bob, before);
    assert.ok((await pending()).includes(hash.toHex()), 'still waiting: it never executed');
    // Its sender can take it back.
    const removed = await api.rpc.author.removeExtrinsic([{ Hash: hash }]);
    assert.equal(removed.length, 1);
    count('stale nonce'); count('future nonce');
  });

  test('a transaction whose mortality ended is refused', async () => {
    const before = await account(dave);
    const now = await header();
    assert.ok(now > 20, `block #${now}: the chain must be older than the mortality`);
    const birth = now - 20;
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

  test('a flood of transactions from one connection: the pool stays within its limit', async () => {
    const before = await account(alice);
    const n = 3 * POOL_LIMIT;
    const txs = [];
    for (let i = 0; i < n; i += 1) {
      txs.push((await api.tx.system.remark(`0x${i.toString(16).padStart(8, '0')}`)
        .signAsync(alice, { nonce: before.nonce + i })).toHex());
    }
    let most = 0;
    const sampling = (async () => {
      for (let k = 0; k < 20; k += 1) {
        most = Math.max(most, (await send('author_pendingExtrinsics', [])).ok?.length ?? 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const results = await Promise.all(txs.map((hex) => send('author_submitExtrinsic', [hex])));
    await sampling;
    const accepted = results.filter((r) => r.ok).length;
    const refusals = results.filter((r) => r.error).map((r) => r.error.replace(/:.*/, ''));
    assert.ok(accepted > 0, 'some of the flood is accepted');
    assert.ok(accepted < n, `the pool took all ${n}`);
    assert.ok(refusals.every((e) => /1016|1014|1010|1012/.test(e)), `refusals: ${[...new Set(refusals)]}`);
    // The ready queue holds at most the limit, the future queue a tenth of it.
    const bound = POOL_LIMIT + Math.ceil(POOL_LIMIT / 10);
    assert.ok(most <= bound, `the pool held ${most} transactions, over its bound of ${bound}`);
    // A flood of cheap calls on the same connection is answered, and the node stays up.
    const health = await Promise.all(Array.from({ length: 2000 }, () => send('system_health', [])));
    assert.ok(health.filter((r) => r.ok).length > 0);
    count('flood transactions', n); count('flood RPC calls', 2000);
    // Every accepted remark executes once: Alice's nonce moves by at most what was accepted.
    await unharmed();
    const deadline = Date.now() + 120_000;
    let after;
    do {
      await new Promise((r) => setTimeout(r, 2000));
      after = await account(alice);
    } while (after.nonce - before.nonce < accepted && Date.now() < deadline
      && (await send('author_pendingExtrinsics', [])).ok?.length);
    assert.ok(after.nonce - before.nonce <= accepted, `nonce moved ${after.nonce - before.nonce} for ${accepted} accepted`);
    console.log(`# flood: ${n} transactions, ${accepted} accepted, ${after.nonce - before.nonce} executed, pool at most ${most}; refusals ${JSON.stringify(refusals.reduce((m, e) => ({ ...m, [e]: (m[e] ?? 0) + 1 }), {}))}`);
  });
});
