// The node binary's command line: what a validator operator meets first. Bad input must end
// the node with a clear message and a non-zero exit code; the chain-maintenance subcommands
// must work on a real database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const NODE = process.env.PAYCHAIN_NODE
  ?? join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/paychain-target'), 'release/paychain-node');
const DIR = mkdtempSync(join(tmpdir(), 'paychain-cli-'));

// Runs the node with `args`; resolves with { code, stdout, stderr } however it ends.
function node(args, timeoutMs = 60_000) {
  return new Promise((resolve) => {
    execFile(NODE, args, { timeout: timeoutMs, maxBuffer: 64 << 20, encoding: 'buffer' }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 'killed') : 0, stdout, stderr: stderr.toString() });
    });
  });
}

// Runs the node for `seconds` with `args`, then stops it with SIGTERM; resolves with its output.
function runFor(args, seconds) {
  return new Promise((resolve) => {
    const child = spawn(NODE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), seconds * 1000);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

after(() => rmSync(DIR, { recursive: true, force: true }));

describe('bad input ends the node with a clear message and a non-zero exit code', () => {
  test('a chain spec that does not exist', async () => {
    const r = await node(['--chain', join(DIR, 'missing.json'), '--base-path', join(DIR, 'a')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /chain spec .*missing\.json does not exist/);
  });

  test('a malformed chain spec', async () => {
    const path = join(DIR, 'malformed.json');
    writeFileSync(path, '{"name": "Paychain", "genesis": ');
    const r = await node(['--chain', path, '--base-path', join(DIR, 'b')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /chain spec .*malformed\.json is not valid/);
  });

  test('no chain given', async () => {
    const r = await node(['--base-path', join(DIR, 'c')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /no chain given/);
  });

  test('a bad node key', async () => {
    const r = await node(['--dev', '--base-path', join(DIR, 'd'), '--node-key', 'not-a-key']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /node.?key|invalid/i);
  });

  test('a bad session key secret', async () => {
    const r = await node(['key', 'insert', '--chain', 'dev', '--base-path', join(DIR, 'e'),
      '--scheme', 'sr25519', '--key-type', 'aura', '--suri', 'not a valid // secret ///']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid|secret|phrase/i);
  });

  test('benchmarks asked of a node built without them', async () => {
    const r = await node(['benchmark', 'pallet', '--list']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /built without benchmarks.*scripts\/build\.sh --benchmarks/);
  });

  test('an RPC port already in use', async () => {
    const server = createServer();
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address();
    try {
      const r = await node(['--dev', '--tmp', '--rpc-port', String(port), '--no-prometheus'], 90_000);
      assert.notEqual(r.code, 0);
      assert.notEqual(r.code, 'killed', 'the node must exit by itself, not hang');
      assert.match(r.stderr, new RegExp(`cannot listen for JSON-RPC on 127\\.0\\.0\\.1:${port}.*in use`, 'i'));
    } finally {
      server.close();
    }
  });
});

describe('chain maintenance subcommands work on a real database', () => {
  const base = join(DIR, 'chain');
  const blocks = join(DIR, 'blocks.bin');
  const common = ['--chain', 'dev', '--base-path', base];

  before(async () => {
    // A dev chain that has produced a few blocks (one every 3 s), then stopped cleanly.
    const r = await runFor(['--dev', '--base-path', base, '--rpc-port', '0', '--no-prometheus',
      '--listen-addr', '/ip4/127.0.0.1/tcp/0'], 20);
    assert.ok(/Imported #3|Prepared block for proposing at 3/.test(r.stderr), `dev node did not reach #3:\n${r.stderr.slice(-2000)}`);
  });

  test('export-blocks, then import-blocks into a fresh database, then check-block', async () => {
    const exported = await node(['export-blocks', ...common, '--from', '1', '--to', '3', '--binary', blocks]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.ok(statSync(blocks).size > 0);
    const imported = await node(['import-blocks', '--chain', 'dev', '--base-path', join(DIR, 'imported'), '--binary', blocks]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /Imported 3 blocks/);
    const checked = await node(['check-block', '--chain', 'dev', '--base-path', join(DIR, 'imported'), '2']);
    assert.equal(checked.code, 0, checked.stderr);
  });

  test('export-state and chain-info', async () => {
    const state = await node(['export-state', ...common, '2']);
    assert.equal(state.code, 0, state.stderr);
    assert.equal(JSON.parse(state.stdout.toString()).genesis.raw !== undefined, true);
    const info = await node(['chain-info', ...common]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout.toString() + info.stderr, /best_number|finalized/i);
  });

  test('revert, then purge-chain', async () => {
    const reverted = await node(['revert', ...common, '1']);
    assert.equal(reverted.code, 0, reverted.stderr);
    const purged = await node(['purge-chain', ...common, '-y']);
    assert.equal(purged.code, 0, purged.stderr);
  });

  test('build-spec and export-chain-spec carry the chain properties', async () => {
    for (const args of [['build-spec', '--chain', 'consortium'], ['export-chain-spec', '--chain', 'consortium']]) {
      const r = await node(args);
      assert.equal(r.code, 0, r.stderr);
      const spec = JSON.parse(r.stdout.toString());
      assert.deepEqual(spec.properties, { ss58Format: 7306, tokenDecimals: 6, tokenSymbol: 'PCNY' });
      assert.equal(spec.protocolId, 'paychain');
    }
  });

  test('key generate and inspect round-trip', async () => {
    const gen = await node(['key', 'generate', '--output-type', 'json']);
    assert.equal(gen.code, 0, gen.stderr);
    const { secretPhrase, ss58PublicKey } = JSON.parse(gen.stdout.toString());
    const inspected = await node(['key', 'inspect', '--output-type', 'json', secretPhrase]);
    assert.equal(JSON.parse(inspected.stdout.toString()).ss58PublicKey, ss58PublicKey);
  });
});
