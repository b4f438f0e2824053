import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatDossierCode, isDossierCode } from './code.js';
import { computeFee } from './fees.js';
import { checkForm, parseFormDate, type FieldDef } from './form.js';
import { STATUS, canApply, nextStatus } from './status.js';

const WARDS = new Set(['000.13.42.H26']);
const isWard = (c: string) => WARDS.has(c);

const FIELDS: FieldDef[] = [
  { name: 'name', type: 'text', required: true },
  { name: 'born', type: 'date', required: true },
  { name: 'sex', type: 'select', required: true, options: [{ value: 'male' }, { value: 'female' }] },
  { name: 'id', type: 'citizen_id', required: true },
  { name: 'copies', type: 'number' },
  { name: 'home', type: 'address', required: true },
  { name: 'phone', type: 'phone' },
  { name: 'kids', type: 'group', fields: [{ name: 'kidName', type: 'text', required: true }] },
];

describe('dossier codes', () => {
  test('agency, day of receipt and a 4-digit daily sequence', () => {
    assert.equal(formatDossierCode('000.00.12.H26', '2019-06-14', 42), '000.00.12.H26-190614-0042');
    assert.ok(isDossierCode('000.13.42.H26-261127-0001'));
    assert.ok(!isDossierCode('000.13.42.H26-261127-1'));
    assert.throws(() => formatDossierCode('000.00.12.H26', '2019-06-14', 10000), RangeError);
    assert.throws(() => formatDossierCode('000.00.12.H26', '2019-06-14', 0), RangeError);
  });

  test('every code formatted from a valid sequence parses back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (n, d) => {
          const code = formatDossierCode('000.13.42.H26', d.toISOString().slice(0, 10), n);
          return isDossierCode(code) && code.endsWith(String(n).padStart(4, '0'));
        },
      ),
    );
  });
});

describe('intake transitions', () => {
  test('follow the national status codes', () => {
    assert.equal(nextStatus('submit', null, false), STATUS.submitted);
    assert.equal(nextStatus('receive', STATUS.submitted, false), STATUS.received);
    assert.equal(nextStatus('receive', STATUS.submitted, true), STATUS.awaitingPayment);
    assert.equal(nextStatus('pay', STATUS.awaitingPayment, false), STATUS.received);
    assert.equal(nextStatus('pay', STATUS.submitted, false), STATUS.submitted);
    assert.equal(nextStatus('refuse', STATUS.supplement, false), STATUS.refused);
    assert.ok(canApply('receive', STATUS.supplement));
    assert.ok(!canApply('receive', STATUS.received));
    assert.ok(!canApply('refuse', STATUS.refused));
    assert.ok(!canApply('submit', STATUS.submitted));
    assert.ok(!canApply('provide_supplement', STATUS.submitted));
  });
});

describe('form answers', () => {
  const good = {
    name: '  Nguyễn Thị Hồng Nhung ',
    born: '17/05/1990',
    sex: 'female',
    id: '001 090 012 345',
    copies: '3',
    home: { ward: '000.13.42.H26', street: 'Số 5' },
    phone: '+84 912 345 678',
    kids: [{ kidName: 'An' }, { kidName: '' }],
  };

  test('valid answers are normalized (trimmed, ISO dates, numbers, national phone); blank group rows dropped', () => {
    const r = checkForm(FIELDS, good, { draft: false, isWard });
    assert.deepEqual(r.errors, {});
    assert.equal(r.values.name, 'Nguyễn Thị Hồng Nhung');
    assert.equal(r.values.born, '1990-05-17');
    assert.equal(r.values.id, '001090012345');
    assert.equal(r.values.copies, 3);
    assert.equal(r.values.phone, '0912345678');
    assert.deepEqual(r.values.kids, [{ kidName: 'An' }]);
  });

  test('each kind of bad answer is named at its path', () => {
    const r = checkForm(
      FIELDS,
      {
        ...good,
        born: '31/02/2020',
        sex: 'other',
        id: '123456789012',
        copies: '3 bản',
        home: { ward: 'X', street: '' },
        phone: '12345',
        kids: [{ kidName: 'x'.repeat(201) }],
      },
      { draft: false, isWard },
    );
    assert.deepEqual(r.errors, {
      born: 'invalid_date',
      sex: 'invalid_option',
      id: 'invalid_citizen_id',
      copies: 'invalid_number',
      'home.ward': 'ward_not_found',
      'home.street': 'field_required',
      phone: 'invalid_phone',
      'kids.0.kidName': 'text_too_long',
    });
  });

  test('a draft keeps what was typed and does not insist on required answers', () => {
    const r = checkForm(FIELDS, { name: 'An', born: 'hôm qua' }, { draft: true, isWard });
    assert.equal(r.values.born, 'hôm qua');
    assert.deepEqual(r.errors, { born: 'invalid_date' });
    const submitted = checkForm(FIELDS, { name: 'An' }, { draft: false, isWard });
    assert.equal(submitted.errors.born, 'field_required');
    assert.equal(submitted.errors['home.ward'], 'field_required');
  });

  test('never throws and drops unknown keys, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (data) => {
        const r = checkForm(FIELDS, data, { draft: false, isWard });
        return Object.keys(r.values).every((k) => FIELDS.some((f) => f.name === k));
      }),
    );
  });

  test('dates: typed dd/mm/yyyy or ISO, real calendar days only', () => {
    assert.equal(parseFormDate('1/2/2026'), '2026-02-01');
    assert.equal(parseFormDate('2024-02-29'), '2024-02-29');
    assert.equal(parseFormDate('2025-02-29'), null);
    assert.equal(parseFormDate('29.02.2025'), null);
  });
});

describe('fees', () => {
  const rules = {
    amount: 10_000,
    perUnit: { amount: 2_000, unit: 'copy' as const, field: 'copies', free: 1 },
    exemptions: [{ code: 'poor_household' }],
  };

  test('fixed part plus the charged copies beyond the free ones', () => {
    assert.deepEqual(computeFee(rules, { copies: 4 }, null), {
      amount: 16_000,
      basis: { kind: 'computed', fixed: 10_000, units: 4, perUnit: 2_000, chargedUnits: 3 },
    });
    assert.equal(computeFee(rules, {}, null).amount, 10_000);
  });

  test('an allowed exemption makes it free; an unknown one is ignored', () => {
    assert.equal(computeFee(rules, { copies: 4 }, 'poor_household').amount, 0);
    assert.equal(computeFee(rules, { copies: 4 }, 'made_up').amount, 16_000);
  });

  test('online filing pays the online amount where the procedure sets one', () => {
    const r = { amount: 15_000, onlineAmount: 7_000 };
    assert.equal(computeFee(r, {}, null, 2).amount, 7_000);
    assert.equal(computeFee(r, {}, null, 1).amount, 15_000);
    assert.equal(computeFee({ amount: 15_000 }, {}, null, 2).amount, 15_000);
  });

  test('an unconfirmed fee stays unknown, never zero', () => {
    assert.deepEqual(computeFee({ amount: null }, {}, null), { amount: null, basis: { kind: 'unknown' } });
    assert.equal(computeFee(null, {}, null).amount, null);
  });
});
