// End-to-end: the real paychain-node binary runs the four-validator consortium on loopback from
// the committed chain spec (scripts/run-network.sh), and a stock Polkadot.js client — no custom
// types — checks what wallets rely on: the chain's token, fee estimation, a signed transfer
// finalized and seen by every node, and finality that survives one validator going down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { finalizedNumber, network, UNITS, VALIDATORS } from './lib/network.mjs';

const net = network();
const { waitFor } = net;
const byNode = new Map();

// The client connected to validator `i` (one connection per validator, made on first use).
async function apiFor(i) {
  if (!byNode.has(i)) byNode.set(i, await net.connect(i));
  return byNode.get(i);
}

describe('four-validator consortium on loopback', { timeout: 900_000 }, () => {
  let api;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519' });
    await net.start();
    api = await apiFor(0);
  });

  after(() => net.stop());

  test('the client sees the chain and its payment currency without custom types', async () => {
    assert.equal((await api.rpc.system.chain()).toString(), 'Paychain Consortium');
    assert.deepEqual(api.registry.chainTokens, ['PCNY']);
    assert.deepEqual(api.registry.chainDecimals, [6]);
    assert.equal(api.registry.chainSS58, 7306);
    assert.equal(api.consts.system.ss58Prefix.toNumber(), 7306);
    assert.equal(api.runtimeVersion.specName.toString(), 'paychain');
    const extensions = api.registry.signedExtensions;
    assert.ok(extensions.includes('CheckMetadataHash'), `extensions: ${extensions}`);
    // The new JSON-RPC spec and the node's own methods are served.
    const methods = (await api.rpc.rpc.methods()).methods.map(String);
    for (const m of ['chainHead_v1_follow', 'transaction_v1_broadcast', 'chainSpec_v1_chainName',
      'system_accountNextIndex', 'payment_queryInfo']) {
      assert.ok(methods.includes(m), `RPC method ${m} missing`);
    }
  });

  test('blocks are produced and finalized, and all four validators author', async () => {
    await waitFor('finalized block #3', 90, async () => (await finalizedNumber(api)) >= 3);
    const authorities = (await api.query.aura.authorities()).map(String);
    assert.equal(authorities.length, 4);
    for (const i of VALIDATORS.keys()) {
      const peers = (await (await apiFor(i)).rpc.system.health()).peers.toNumber();
      assert.ok(peers >= 2, `${VALIDATORS[i]} has only ${peers} peers`);
    }
    // Aura gives slot s to authority s mod 4: the recent blocks' slots show who authored them.
    await waitFor('block #8', 60, async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 8);
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    const authors = new Set();
    for (let n = head - 7; n <= head; n++) {
      const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(n));
      const [engine, data] = header.digest.logs.find((log) => log.isPreRuntime).asPreRuntime;
      assert.equal(engine.toString(), 'aura');
      const slot = api.createType('u64', data).toBigInt();
      authors.add(Number(slot % BigInt(authorities.length)));
    }
    assert.ok(authors.size >= 3, `only authorities ${[...authors]} authored the last 8 blocks`);
  });

  test('a signed transfer: fee estimated, finalized, and the balance seen on every node', async () => {
    const sender = keyring.addFromUri('//Paychain//NationalClearingCenter');
    const recipient = keyring.addFromUri('//Paychain//E2E//Recipient');
    const amount = 25n * UNITS;
    const nonceBefore = (await api.rpc.system.accountNextIndex(sender.address)).toNumber();
    const tx = api.tx.compliance.transferKeepAlive(recipient.address, amount);

    const info = await tx.paymentInfo(sender);
    const estimated = info.partialFee.toBigInt();
    assert.ok(estimated > 0n, 'the fee estimate must be positive');
    assert.ok(estimated < UNITS / 10n, `a transfer should cost well under a jiao, estimated ${estimated}`);

    const { blockHash, events } = await new Promise((resolvePromise, reject) => {
      tx.signAndSend(sender, ({ status, events, dispatchError }) => {
        if (dispatchError) reject(new Error(`transfer failed: ${dispatchError.toString()}`));
        if (status.isFinalized) resolvePromise({ blockHash: status.asFinalized, events });
        if (status.isDropped || status.isInvalid || status.isUsurped) reject(new Error(`transfer ${status.type}`));
      }).catch(reject);
    });

    const names = events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(names.includes('system.ExtrinsicSuccess'), `events: ${names}`);
    const paid = events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
    assert.ok(paid, 'TransactionFeePaid emitted');
    // The estimate is the worst case (every compliance rule firing); a transfer on which no
    // rule fires is refunded to the quiet path's weight, so it pays less, never more.
    const actual = paid.event.data.actualFee.toBigInt();
    assert.ok(actual > 0n && actual < estimated, `paid ${actual}, estimated ${estimated}`);

    assert.equal((await api.rpc.system.accountNextIndex(sender.address)).toNumber(), nonceBefore + 1);
    for (const i of VALIDATORS.keys()) {
      const nodeApi = await apiFor(i);
      await waitFor(`${VALIDATORS[i]} to finalize the transfer block`, 60, async () => {
        const number = (await nodeApi.rpc.chain.getHeader(blockHash)).number.toNumber();
        return (await finalizedNumber(nodeApi)) >= number;
      });
      const at = await nodeApi.at(blockHash);
      const { data } = await at.query.system.account(recipient.address);
      assert.equal(data.free.toBigInt(), amount, `${VALIDATORS[i]} sees the recipient's balance`);
    }
  });

  test('finality continues with one validator down, and it catches up when restarted', async () => {
    const down = VALIDATORS.length - 1;
    // Close the client of the validator going down, so it does not retry in the background.
    await (await apiFor(down)).disconnect();
    byNode.delete(down);
    const pid = net.pid(down);
    process.kill(pid, 'SIGTERM');
    await waitFor(`${VALIDATORS[down]} to exit`, 30, async () => {
      try { process.kill(pid, 0); return false; } catch { return true; }
    });

    // Three of four validators are a GRANDPA supermajority: finality keeps advancing.
    const before = await finalizedNumber(api);
    await waitFor('finality to advance by 3 blocks without one validator', 90,
      async () => (await finalizedNumber(api)) >= before + 3);

    await net.script('run-network.sh', '--only', VALIDATORS[down]);
    const downApi = await apiFor(down);
    const target = await finalizedNumber(api);
    await waitFor(`${VALIDATORS[down]} to catch up to finalized #${target}`, 120,
      async () => (await finalizedNumber(downApi)) >= target);
    // And the network as a whole keeps finalizing with it back.
    await waitFor('finality to advance after the restart', 60,
      async () => (await finalizedNumber(api)) > target);
  });
});
