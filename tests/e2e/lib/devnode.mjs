// Shared by the end-to-end tests that need one dev node: start it on free loopback ports, connect
// a stock Polkadot.js client, submit transactions and read what happened, stop it.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export const NODE = process.env.PAYCHAIN_NODE
  ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/paychain-target'), 'release/paychain-node');

// One PCNY in the smallest unit (6 decimals).
export const UNITS = 1_000_000n;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Whether something accepts TCP connections on the loopback port.
export function listening(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

// Starts `paychain-node --dev` (or the node `chain` says, such as `['--chain', 'dev']` for a
// node of the dev chain that does not author) on free loopback ports, with `args` added, and
// connects a client. Its database is temporary, or in `basePath` (to restart it where it
// stopped). Returns `{ api, keyring, url, p2p, alive, exited, stderr, stop }`: `p2p` is its
// loopback port for peers; `alive()` tells whether the node process still runs, `exited` resolves
// when it has stopped; `stderr` is the node's log stream; `stop` disconnects and kills the node
// (call it in `after`).
export async function startDevNode({ args = [], chain = ['--dev'], basePath } = {}) {
  await cryptoWaitReady();
  const [rpc, p2p] = [await freePort(), await freePort()];
  const database = basePath ? ['--base-path', basePath] : ['--tmp'];
  const node = spawn(NODE, [...chain, ...database, '--rpc-port', String(rpc),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2p}`, '--no-telemetry',
    ...(args.includes('--prometheus-port') ? [] : ['--no-prometheus']), ...args],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => node.once('exit', resolve));
  let stderr = '';
  node.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20_000); });
  const stop = async (api) => {
    await api?.disconnect().catch(() => {});
    node.kill('SIGTERM');
  };
  const deadline = Date.now() + 60_000;
  while (!(await listening(rpc))) {
    if (node.exitCode !== null || Date.now() > deadline) {
      node.kill('SIGKILL');
      throw new Error(`the dev node did not serve RPC on port ${rpc}\n${stderr}`);
    }
    await sleep(500);
  }
  const url = `ws://127.0.0.1:${rpc}`;
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 7306 });
  return {
    api, keyring, url, p2p, exited, stderr: node.stderr,
    alive: () => node.exitCode === null && node.signalCode === null,
    stop: () => stop(api),
  };
}

// Submits `tx` signed by `signer`; resolves with the event records once in a block, rejects if
// the pool refuses it or the call fails (with the pallet error's `section.name`).
export function submitEvents(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const reason = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`dispatch failed: ${reason}`));
      } else if (status.isInBlock) {
        resolve(events.map(({ event }) => event));
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        reject(new Error(`transaction ${status.type}`));
      }
    }).catch(reject);
  });
}

// Like `submitEvents`, resolving with the events' `section.method` names.
export async function submit(api, tx, signer) {
  return (await submitEvents(api, tx, signer)).map((e) => `${e.section}.${e.method}`);
}

// The free balance of an account.
export async function free(api, address) {
  return (await api.query.system.account(address)).data.free.toBigInt();
}
