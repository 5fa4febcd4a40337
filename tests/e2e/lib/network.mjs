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
        const value = await probe().catch(() => undefined);
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

// Submits signed `tx`; resolves when it is in a block (with that block's hash and the events'
// names), rejects on a pool refusal or a failed call (with the pallet error's `section.name`).
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
        });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      }
    }).catch(reject);
  });
}

// A steady payment load, as wallets send it: each sender pays one unit at a time to its
// recipients, waiting for each payment to be in a block before signing the next with the next
// nonce. A payment the pool refuses or drops (a validator gone, a runtime upgraded under it) is
// signed again; a call that fails in its block fails the load. `stop()` ends it and returns
// `{ firstNonces, paid, retried }`: each sender's nonce before, how many of its payments went
// into a block, and how many were submitted again.
export async function paymentLoad(api, senders, recipients, { pauseMs = 0 } = {}) {
  const firstNonces = await Promise.all(
    senders.map(async (s) => (await api.rpc.system.accountNextIndex(s.address)).toNumber()));
  const paid = senders.map(() => 0);
  let retried = 0;
  let running = true;
  const loops = Promise.all(senders.map(async (sender, k) => {
    while (running) {
      const to = recipients[(paid[k] + k) % recipients.length];
      try {
        // A payment whose status never settles (suspected in the upgrade test's hang) fails
        // the wait after a minute and is counted as retried; if it lands after all, the
        // exactly-once check sees the extra nonce.
        await Promise.race([
          inBlock(api, api.tx.compliance.transferKeepAlive(to.address, UNITS), sender),
          sleep(60_000).then(() => { throw new Error('payment Dropped: no status in 60 s'); }),
        ]);
        paid[k] += 1;
      } catch (e) {
        if (!/Invalid|1010|1012|1014|Usurped|Dropped|disconnected|closed/i.test(e.message)) throw e;
        retried += 1;
        await sleep(1000);
      }
      if (pauseMs) await sleep(pauseMs);
    }
  }));
  return {
    paid,
    async stop() {
      running = false;
      await loops;
      return { firstNonces, paid, retried };
    },
  };
}

// Whether every payment of a load is finalized exactly once, on `api`'s finalized state: each
// sender's nonce moved by exactly the payments that went into a block. Returns the mismatches.
export async function unaccounted(api, senders, { firstNonces, paid }) {
  const at = await api.at(await api.rpc.chain.getFinalizedHead());
  const wrong = [];
  for (const [k, sender] of senders.entries()) {
    const { nonce } = await at.query.system.account(sender.address);
    if (nonce.toNumber() !== firstNonces[k] + paid[k]) {
      wrong.push(`${sender.address}: nonce ${nonce} after ${paid[k]} payments from ${firstNonces[k]}`);
    }
  }
  return wrong;
}
