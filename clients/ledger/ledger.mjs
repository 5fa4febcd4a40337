// Paychain ledger client helper, for institutions' business systems: computes the canonical
// commitment of a payment order's key elements and the payload of a stage, and signs a stage
// with any signer that has `sign(bytes)` (a Polkadot.js keyring pair, or an HSM wrapper). No
// dependencies: BLAKE2b-256 (RFC 7693) and the bits of SCALE it needs are here, so it runs in
// Node 18+ and browsers as is.
//
// The encoding is the pallet's (`pallets/ledger/src/commitment.rs`); the test vectors in
// `pallets/ledger/test-vectors.json` are checked by both.
//
//   import { commit, signStage } from './clients/ledger/ledger.mjs';
//   const commitment = commit({ payerAccount, payeeAccount, applicant, amount: 1000n,
//     currency: 'CNY', businessType: 1, purpose: 'tuition subsidy' });
//   const stage = signStage(pair, { genesisHash, reference, stage: 0, result: 'Passed', commitment });
//   api.tx.ledger.openOrder(reference, 1, 'EDU-SYS', handlers, stage, null);

const MASK = (1n << 64n) - 1n;
const IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & MASK;

function compress(h, block, t, last) {
  const v = [...h, ...IV];
  v[12] ^= t & MASK;
  v[13] ^= t >> 64n;
  if (last) v[14] ^= MASK;
  const m = [];
  for (let i = 0; i < 16; i += 1) {
    let w = 0n;
    for (let j = 7; j >= 0; j -= 1) w = (w << 8n) | BigInt(block[i * 8 + j]);
    m.push(w);
  }
  const g = (a, b, c, d, x, y) => {
    v[a] = (v[a] + v[b] + x) & MASK; v[d] = rotr(v[d] ^ v[a], 32n);
    v[c] = (v[c] + v[d]) & MASK; v[b] = rotr(v[b] ^ v[c], 24n);
    v[a] = (v[a] + v[b] + y) & MASK; v[d] = rotr(v[d] ^ v[a], 16n);
    v[c] = (v[c] + v[d]) & MASK; v[b] = rotr(v[b] ^ v[c], 63n);
  };
  for (let r = 0; r < 12; r += 1) {
    const s = SIGMA[r % 10];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]);
    g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]);
    g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]);
    g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]);
    g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (let i = 0; i < 8; i += 1) h[i] ^= v[i] ^ v[i + 8];
}

/** BLAKE2b with a 32-byte digest (no key), as `sp_io::hashing::blake2_256`. */
export function blake2b256(input) {
  const h = IV.slice();
  h[0] ^= 0x01010000n ^ 32n;
  let t = 0n;
  let offset = 0;
  while (input.length - offset > 128) {
    t += 128n;
    compress(h, input.subarray(offset, offset + 128), t, false);
    offset += 128;
  }
  const block = new Uint8Array(128);
  block.set(input.subarray(offset));
  t += BigInt(input.length - offset);
  compress(h, block, t, true);
  const out = new Uint8Array(32);
  for (let i = 0; i < 4; i += 1) {
    for (let j = 0; j < 8; j += 1) out[i * 8 + j] = Number((h[i] >> BigInt(8 * j)) & 0xffn);
  }
  return out;
}

const utf8 = (s) => (typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const le = (value, bytes) => {
  let v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(8 * bytes)) throw new RangeError(`${value} does not fit ${bytes} bytes`);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 1) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
};

/** SCALE `Vec<u8>`: a compact length, then the bytes. */
export function scaleBytes(bytes) {
  const n = bytes.length;
  let prefix;
  if (n < 1 << 6) prefix = le(n << 2, 1);
  else if (n < 1 << 14) prefix = le((n << 2) | 1, 2);
  else if (n < 1 << 30) prefix = le((BigInt(n) << 2n) | 2n, 4);
  else throw new RangeError('too long');
  return concat(prefix, bytes);
}

/** Hex (0x…) to bytes. */
export function fromHex(hex) {
  const s = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error(`not hex: ${hex}`);
  return Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** Bytes to hex (0x…). */
export function toHex(bytes) {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const tag = (name) => scaleBytes(utf8(`paychain:ledger:${name}`));

/** The parties group's leaf. */
export function partiesLeaf(payerAccount, payeeAccount, applicant) {
  return blake2b256(concat(tag('parties'), scaleBytes(utf8(payerAccount)),
    scaleBytes(utf8(payeeAccount)), scaleBytes(utf8(applicant))));
}

/** The amount group's leaf: `amount` in the currency's smallest unit, `currency` ISO 4217. */
export function amountLeaf(amount, currency) {
  const code = utf8(currency);
  if (code.length !== 3) throw new Error('a currency is a 3-letter ISO 4217 code');
  return blake2b256(concat(tag('amount'), le(amount, 16), code));
}

/** The purpose group's leaf. */
export function purposeLeaf(businessType, purpose) {
  return blake2b256(concat(tag('purpose'), le(businessType, 2), scaleBytes(utf8(purpose))));
}

/** An inner node: `blake2_256(0x01 ‖ left ‖ right)`. */
export function node(left, right) {
  return blake2b256(concat(Uint8Array.of(1), left, right));
}

/** The root over the three leaves. */
export function root(parties, amount, purpose) {
  return node(node(parties, amount), node(purpose, new Uint8Array(32)));
}

/**
 * The commitment of an order's key elements, as `StageCommitment` (hex), ready for
 * Polkadot.js: `{ root, parties, amount, purpose }`.
 */
export function commit({ payerAccount, payeeAccount, applicant, amount, currency = 'CNY', businessType, purpose }) {
  const parties = partiesLeaf(payerAccount, payeeAccount, applicant);
  const amountHash = amountLeaf(amount, currency);
  const purposeHash = purposeLeaf(businessType, purpose);
  return {
    root: toHex(root(parties, amountHash, purposeHash)),
    parties: toHex(parties),
    amount: toHex(amountHash),
    purpose: toHex(purposeHash),
  };
}

const RESULTS = ['Passed', 'Rejected', 'Returned'];

/** The payload an institution signs for a stage (104 bytes). */
export function stagePayload({ genesisHash, reference, stage, result, root: rootHash }) {
  const index = RESULTS.indexOf(result);
  if (index < 0) throw new Error(`a result is one of ${RESULTS.join(', ')}`);
  const ref = typeof reference === 'string' ? fromHex(reference) : reference;
  if (ref.length !== 16) throw new Error('a reference is 16 bytes');
  return concat(scaleBytes(utf8('paychain:ledger:stage')), fromHex(genesisHash), ref,
    le(stage, 1), le(index, 1), fromHex(rootHash));
}

const SCHEMES = { ed25519: 'Ed25519', sr25519: 'Sr25519', ecdsa: 'Ecdsa' };

/**
 * A signed stage, as `SignedStage` for Polkadot.js: `signer` is a keyring pair (or anything
 * with `type`, `publicKey` and `sign(bytes)`) whose key is registered to the institution.
 */
export function signStage(signer, { genesisHash, reference, stage, result = 'Passed', commitment }) {
  const scheme = SCHEMES[signer.type];
  if (!scheme) throw new Error(`unsupported key type ${signer.type}`);
  const payload = stagePayload({ genesisHash, reference, stage, result, root: commitment.root });
  return {
    commitment,
    result,
    key: { [scheme]: toHex(signer.publicKey) },
    signature: { [scheme]: toHex(signer.sign(payload)) },
  };
}
