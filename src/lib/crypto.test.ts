import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomToken, secureRandomBytes } from './crypto.js';

test('pooled random bytes: the asked length, never repeated across pool refills, not shared between callers', () => {
  const seen = new Set<string>();
  // 1,000 tokens of 32 bytes go through the 8 KB pool about four times.
  for (let i = 0; i < 1000; i++) {
    const b = secureRandomBytes(32);
    assert.equal(b.length, 32);
    seen.add(b.toString('hex'));
  }
  assert.equal(seen.size, 1000);
  // A view into the pool would read as zeros here: the slot is cleared once handed out.
  assert.notDeepEqual(secureRandomBytes(16), Buffer.alloc(16), 'the bytes are copied out of the pool');
  assert.equal(secureRandomBytes(1000).length, 1000, 'larger requests bypass the pool');
  assert.match(randomToken(), /^[A-Za-z0-9_-]{43}$/);
  // Not a constant: the bytes are spread (a pool left at zeros would fail this).
  const ones = [...secureRandomBytes(256)].reduce((s, x) => s + x.toString(2).replaceAll('0', '').length, 0);
  assert.ok(ones > 800 && ones < 1250, `${ones} bits set of 2048`);
});
