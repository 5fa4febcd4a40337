// Shared by the end-to-end tests that run the four-validator network on loopback
// (scripts/run-network.sh): start and stop it in its own directory, connect stock Polkadot.js
// clients, wait for conditions, submit payments, and read what the validators logged.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';

const run = promisify(execFile);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const VALIDATORS = ['clearing', 'payments', 'treasury', 'regulator'];
export const RPC = VALIDATORS.map((_, i) => `ws://127.0.0.1:${9944 + i}`);
export const UNITS = 1_000_000n;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A network in its own temporary directory, from `spec` (default: the committed chain spec).
// `start()` runs every validator; `stop()` disconnects every client and stops the validators
// (also on Ctrl-C); `logs()` is the tail of each validator's log, for failure messages.
export function network({ prefix = 'paychain-e2e-', spec } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = { ...process.env, PAYCHAIN_NET_DIR: dir, ...(spec ? { PAYCHAIN_SPEC: spec } : {}) };
  const apis = [];

  const logs = () => VALIDATORS.map((v) => {
    try {
      const text = readFileSync(join(dir, `${v}.log`), 'utf8').split('\n');
      return `--- ${v}.log (last 15 lines)\n${text.slice(-15).join('\n')}`;
    } catch {
      return `--- ${v}.log: none`;
    }
  }).join('\n');

  const script = async (name, ...args) => {
    try {
      return await run(join(ROOT, 'scripts', name), args, { env, timeout: 300_000 });
    } catch (e) {
      throw new Error(`${name} ${args.join(' ')} failed: ${e.stderr || e.message}\n${logs()}`);
    }
  };

  const net = {
    dir,
    logs,
    script,
    start: () => script('run-network.sh', '--fresh'),
    // A client of validator `i`, disconnected by `stop()`.
    async connect(i) {
      const api = await ApiPromise.create({ provider: new WsProvider(RPC[i], 1000), noInitWarn: true });
      apis.push(api);
      return api;
    },
    pid: (i) => Number(readFileSync(join(dir, VALIDATORS[i], 'pid'), 'utf8')),
    async stop() {
      await Promise.all(apis.splice(0).map((api) => api.disconnect().catch(() => {})));
      await run(join(ROOT, 'scripts', 'stop-network.sh'), [], { env }).catch(() => {});
      if (!process.env.PAYCHAIN_KEEP_E2E) rmSync(dir, { recursive: true, force: true });
    },
    // Polls `probe` until it returns a truthy value, or fails after `seconds`.
    async waitFor(what, seconds, probe) {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        const value = await within(15, what, probe()).catch(() => undefined);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}\n${logs()}`);
        await sleep(1000);
      }
    },
  };
  process.on('SIGINT', () => net.stop().finally(() => process.exit(130)));
  return net;
}

export async function finalizedNumber(api) {
  return (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
}

// Submits signed `tx`; resolves when it is in a block (with that block's hash, the events'
// names and the events), rejects on a pool refusal or a failed call (with the pallet error's `section.name`).
export function inBlock(api, tx, signer, options = {}) {
  return new Promise((resolvePromise, reject) => {
    tx.signAndSend(signer, options, ({ status, dispatchError, events }) => {
      if (dispatchError) {
        const reason = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`dispatch failed: ${reason}`));
      } else if (status.isInBlock) {
        resolvePromise({
          block: status.asInBlock.toHex(),
          events: events.map(({ event }) => `${event.section}.${event.method}`),
          records: events.map(({ event }) => event),
        });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      }
    }).catch(reject);
  });
}

// Rejects after `seconds` unless `promise` settles first (a call to a node that went away, a
// transaction whose status never comes).
export function within(seconds, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${seconds} s: ${what}`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const nonceOf = async (api, address, at) => (await (at ?? api).query.system.account(address)).nonce.toNumber();
const freeOf = async (at, address) => (await at.query.system.account(address)).data.free.toBigInt();

// A steady payment load, as a careful wallet sends it: each sender pays one unit at a time to
// its recipients, with an explicit nonce, waiting for each payment to be in a block before the
// next. A payment the pool refuses or drops, or whose status never comes (a validator gone, a
// runtime upgraded under it), is signed again with the same nonce, so it can land at most once;
// once the sender's nonce on chain has passed it, it is counted as paid. A call that fails in
// its block fails the load. `stop()` ends it and returns what `settled` checks.
export async function paymentLoad(api, senders, recipients, { pauseMs = 0, amount = UNITS } = {}) {
  const best = await api.at(await api.rpc.chain.getBlockHash());
  const firstNonces = await Promise.all(senders.map((s) => nonceOf(api, s.address, best)));
  const firstBalances = await Promise.all(recipients.map((r) => freeOf(best, r.address)));
  const paid = senders.map(() => 0);
  const errors = new Map();
  let retried = 0;
  let running = true;
  const loops = Promise.all(senders.map(async (sender, k) => {
    while (running) {
      const nonce = firstNonces[k] + paid[k];
      const to = recipients[(paid[k] + k) % recipients.length];
      try {
        await within(15, `payment ${nonce} of ${sender.address}`,
          inBlock(api, api.tx.compliance.transferKeepAlive(to.address, amount), sender, { nonce }));
        paid[k] += 1;
      } catch (e) {
        if (/^dispatch failed/.test(e.message)) throw e;
        const kind = e.message.replace(/[0-9a-fx]{10,}/g, '…').slice(0, 80);
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
        retried += 1;
        await sleep(1000);
        // It may have landed after all (its status lost with a connection, or a timeout).
        const onChain = await within(10, 'the sender\'s nonce', nonceOf(api, sender.address)).catch(() => nonce);
        if (onChain > nonce) paid[k] += 1;
      }
      if (pauseMs) await sleep(pauseMs);
    }
  }));
  return {
    paid,
    async stop() {
      running = false;
      await loops;
      return { senders, recipients, amount, firstNonces, firstBalances, paid, retried, errors: Object.fromEntries(errors) };
    },
  };
}

// Whether every payment of a stopped load is finalized exactly once: waits (up to `seconds`)
// until `api`'s finalized state holds each sender's nonce moved by exactly the payments counted
// and the recipients' balances grown by exactly their sum; returns the mismatches left (none is
// the pass). A payment lost shows as a nonce or a balance short, one doubled as one too far.
export async function unsettled(api, load, seconds = 60) {
  const { senders, recipients, amount, firstNonces, firstBalances, paid } = load;
  const expected = firstBalances.reduce((a, b) => a + b, 0n) + amount * BigInt(paid.reduce((a, b) => a + b, 0));
  let wrong;
  const deadline = Date.now() + seconds * 1000;
  do {
    if (wrong) await sleep(2000);
    const at = await api.at(await api.rpc.chain.getFinalizedHead());
    wrong = [];
    for (const [k, sender] of senders.entries()) {
      const nonce = await nonceOf(api, sender.address, at);
      if (nonce !== firstNonces[k] + paid[k]) {
        wrong.push(`${sender.address}: nonce ${nonce}, expected ${firstNonces[k]} + ${paid[k]} payments`);
      }
    }
    const received = (await Promise.all(recipients.map((r) => freeOf(at, r.address)))).reduce((a, b) => a + b, 0n);
    if (received !== expected) wrong.push(`recipients hold ${received}, expected ${expected}`);
  } while (wrong.length && Date.now() < deadline);
  return wrong;
}
