import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { csvField, parseCsv, toCsv } from './csv.js';

describe('CSV', () => {
  test('a text cell a spreadsheet would run as a formula is written with an apostrophe in front', () => {
    for (const s of ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', "'=1"]) {
      assert.ok(csvField(s).replace(/^"/, '').startsWith("'"), s);
    }
    assert.equal(csvField(-5), '-5', 'numbers stay numbers');
    assert.equal(csvField('Phường Quang Trung'), 'Phường Quang Trung');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField(' padded'), '" padded"');
  });

  test('what is written is read back as it was, formulas and apostrophes included', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('=1+1', "'=x", "''@y", '-', '', ' ', '"', 'a;b', 'x\r\ny'));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        // A lone empty cell makes an empty line, which a reader cannot tell from no line at all.
        fc.pre(rows.every((r) => r.length > 1 || r[0] !== ''));
        assert.deepEqual(parseCsv(toCsv(rows)), rows);
      }),
      { numRuns: 300 },
    );
  });

  test('a file saved with ";" as the list separator is read', () => {
    assert.deepEqual(parseCsv('\uFEFFa;b\r\n1;"x;y"\r\n'), [
      ['a', 'b'],
      ['1', 'x;y'],
    ]);
  });
});
