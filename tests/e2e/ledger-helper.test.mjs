// The ledger client helper (clients/ledger) against the test vectors the pallet checks too
// (pallets/ledger/test-vectors.json), and its BLAKE2b against Polkadot.js's. No node needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import {
  blake2b256, commit, fromHex, signStage, stagePayload, toHex,
} from '../../clients/ledger/ledger.mjs';

const vectors = JSON.parse(readFileSync(new URL('../../pallets/ledger/test-vectors.json', import.meta.url)));

test('BLAKE2b-256 agrees with Polkadot.js for every length up to three blocks', () => {
  for (let n = 0; n <= 3 * 128 + 1; n += 1) {
    const input = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
    assert.equal(toHex(blake2b256(input)), toHex(blake2AsU8a(input, 256)), `length ${n}`);
  }
});

test('the commitments and payloads match the test vectors', async () => {
  await cryptoWaitReady();
  assert.ok(vectors.vectors.length >= 3);
  for (const v of vectors.vectors) {
    const e = v.elements;
    const c = commit({ ...e, amount: BigInt(e.amount) });
    assert.deepEqual(c, { root: v.root, ...v.leaves }, v.name);
    const payload = stagePayload({
      genesisHash: vectors.genesisHash, reference: v.stage.reference, stage: v.stage.stage,
      result: v.stage.result, root: c.root,
    });
    assert.equal(toHex(payload), v.stage.payload, v.name);
    assert.equal(payload.length, 104);
    // ed25519 is deterministic: the helper's signature is the vector's.
    const pair = new Keyring({ type: 'ed25519' }).addFromSeed(fromHex(v.stage.signerSeed));
    assert.equal(toHex(pair.publicKey), v.stage.signerPublic);
    const signed = signStage(pair, {
      genesisHash: vectors.genesisHash, reference: v.stage.reference, stage: v.stage.stage,
      result: v.stage.result, commitment: c,
    });
    assert.deepEqual(signed.key, { Ed25519: v.stage.signerPublic });
    assert.deepEqual(signed.signature, { Ed25519: v.stage.signature });
  }
});

test('bad input is refused', () => {
  assert.throws(() => commit({ payerAccount: 'a', payeeAccount: 'b', applicant: 'c', amount: -1n, businessType: 1, purpose: '' }), RangeError);
  assert.throws(() => commit({ payerAccount: 'a', payeeAccount: 'b', applicant: 'c', amount: 1n, currency: 'CNYX', businessType: 1, purpose: '' }));
  assert.throws(() => stagePayload({ genesisHash: vectors.genesisHash, reference: '0x00', stage: 0, result: 'Passed', root: vectors.vectors[0].root }));
  assert.throws(() => stagePayload({ genesisHash: vectors.genesisHash, reference: vectors.vectors[0].stage.reference, stage: 0, result: 'Maybe', root: vectors.vectors[0].root }));
});
