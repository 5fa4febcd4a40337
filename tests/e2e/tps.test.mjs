// The throughput benchmark, end to end at a small load: scripts/bench-tps.sh writes its chain
// spec, starts the four validators on loopback, measures every payment kind against the plain
// transfer, prints the table, and stops the validators; parameters that cannot work are refused
// before anything starts. (The figures themselves are docs/PERFORMANCE.md's, from a full run.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH = join(ROOT, 'scripts', 'bench-tps.sh');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('impossible parameters are refused before any validator starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paychain-tps-'));
  try {
    const cases = [
      [['--rate', '0'], /--rate must be between 1 and 20000/],
      [['--kinds', 'plain,teleport'], /unknown kind `teleport`/],
      [['--kinds', 'escrow-release'], /list escrow-create before it/],
      [['--kinds', 'redeem,mint'], /list mint before it/],
      [['--accounts', '100', '--rate', '1000', '--duration', '60'], /velocity rule.*--accounts 450 or more/],
    ];
    for (const [args, message] of cases) {
      await assert.rejects(
        run(BENCH, args, { env: { ...process.env, PAYCHAIN_TPS_DIR: dir }, timeout: 600_000 }),
        (e) => e.code === 2 && message.test(e.stderr),
        `${args.join(' ')}`,
      );
    }
    assert.equal(existsSync(join(dir, 'pids')), false, 'no validator was started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a short run measures every kind, loses nothing and stops its validators', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paychain-tps-'));
  const env = { ...process.env, PAYCHAIN_TPS_DIR: dir };
  try {
    const { stdout } = await run(
      BENCH,
      ['--rate', '100', '--duration', '8', '--accounts', '400', '--kinds', 'compliance,bulk,escrow,fiscal,mint-redeem,ledger'],
      { env, timeout: 600_000, maxBuffer: 1 << 24 },
    );
    // Every submitted transaction was accepted and finalized exactly once, for every kind; the
    // release kind releases each escrow the create kind opened, the customers redeem what their
    // institutions minted, the counties disburse the program set up for them, and the orders the
    // counties open are approved and confirmed (and paid).
    const kinds = [
      'plain', 'compliance', 'bulk', 'escrow-create', 'escrow-release', 'fiscal', 'mint', 'redeem',
      'ledger-open', 'ledger-approve', 'ledger-confirm',
    ];
    for (const kind of kinds) {
      const row = stdout.split('\n').find((l) => l.startsWith(`| ${kind} |`));
      assert.ok(row, `a row for ${kind} in:\n${stdout}`);
      const [submitted, accepted, finalized, lost, doubled, failed] = row.split('|').slice(2, 8).map((c) => Number(c.trim()));
      // 800 payments a kind: a bulk carries 20 (one to each customer of an institution).
      const txs = kind === 'bulk' ? 40 : 800;
      assert.deepEqual([submitted, accepted, finalized, lost, doubled, failed], [txs, txs, txs, 0, 0, 0], row);
      const [perTx] = row.split('|').slice(9, 10).map((c) => Number(c.trim()));
      assert.equal(perTx, kind === 'bulk' ? 20 : 1, row);
    }
    assert.match(stdout, /every accepted transaction finalized exactly once: 0 lost, 0 doubled — met/);
    assert.match(stdout, /every finalized payment succeeded \(no call failed in its block\): 0 failed — met/);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    assert.deepEqual(results.kinds.map((k) => k.kind), kinds);
    for (const k of results.kinds) {
      assert.ok(k.finalized_tps > 0 && k.blocks > 0, JSON.stringify(k));
      assert.ok(k.finality_ms.p50 > 0 && k.finality_ms.p95 >= k.finality_ms.p50);
      assert.equal(k.nodes.length, 4);
      for (const n of k.nodes) assert.ok(n.cpu_percent > 0 && n.rss_mib > 0, JSON.stringify(n));
    }
    // The validators it started are stopped.
    for (const name of ['clearing', 'payments', 'treasury', 'regulator']) {
      const pid = Number(readFileSync(join(dir, name, 'pid'), 'utf8'));
      assert.equal(alive(pid), false, `${name} (pid ${pid}) still runs`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
