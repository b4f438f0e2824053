import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isValidCitizenId, maskCitizenId, normalizeEmail, normalizeName, normalizePhone, normalizeTaxCode } from './identity.js';

describe('citizen ID', () => {
  test('a 12-digit ID opening with a real province code is valid (001 = Hà Nội, 079 = Hồ Chí Minh City)', () => {
    assert.equal(isValidCitizenId('001090012345'), true);
    assert.equal(isValidCitizenId('079203001234'), true);
  });
  test('wrong length, letters or an unknown province code are refused', () => {
    for (const bad of ['00109001234', '0010900123456', '00109001234a', '003090012345', '000090012345', '099090012345', '']) {
      assert.equal(isValidCitizenId(bad), false, bad);
    }
  });
  test('masking keeps only the last three digits', () => {
    assert.equal(maskCitizenId('001090012345'), '•••••••••345');
  });
  test('no string of other than 12 digits is ever accepted', () => {
    fc.assert(fc.property(fc.string(), (s) => !isValidCitizenId(s) || /^\d{12}$/.test(s)));
  });
});

describe('phone numbers', () => {
  test('accepts the national and international forms of mobile numbers', () => {
    assert.equal(normalizePhone('0912 345 678'), '0912345678');
    assert.equal(normalizePhone('+84912345678'), '0912345678');
    assert.equal(normalizePhone('84 387 123 456'), '0387123456');
  });
  test('refuses landlines, old 11-digit prefixes and injections', () => {
    for (const bad of ['0243825123', '01689123456', "0912345678' OR 1=1--", '091234567', '<b>0912345678</b>']) {
      assert.equal(normalizePhone(bad), null, bad);
    }
  });
});

describe('tax codes', () => {
  test('accepts valid check digits, with an optional branch suffix', () => {
    assert.equal(normalizeTaxCode('0100109106'), '0100109106');
    assert.equal(normalizeTaxCode('0100109106-001'), '0100109106-001');
  });
  test('refuses a wrong check digit or a malformed code', () => {
    for (const bad of ['0100109107', '010010910', '0100109106-01', 'abcdefghij']) assert.equal(normalizeTaxCode(bad), null, bad);
  });
});

describe('e-mail and names', () => {
  test('e-mail is trimmed and lower-cased; broken addresses are refused', () => {
    assert.equal(normalizeEmail('  An.Nguyen@Example.VN '), 'an.nguyen@example.vn');
    for (const bad of ['an@', '@example.vn', 'an nguyen@example.vn', 'a@b', "x'--@example.vn <script>"])
      assert.equal(normalizeEmail(bad), null, bad);
  });
  test('names keep Vietnamese diacritics (normalized to NFC) and refuse markup', () => {
    assert.equal(normalizeName('  Nguyễn   Văn  An '), 'Nguyễn Văn An');
    assert.equal(normalizeName('Nguye\u0302\u0303n'), 'Nguyễn');
    assert.equal(normalizeName('Công ty TNHH Hà Đông (chi nhánh 2)'), 'Công ty TNHH Hà Đông (chi nhánh 2)');
    for (const bad of ['<script>alert(1)</script>', 'A', 'x'.repeat(121), 'An\u0000', "Robert'); DROP TABLE account;--"]) {
      assert.equal(normalizeName(bad), null, bad);
    }
  });
});
