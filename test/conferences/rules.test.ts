import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { canMoveCommitment, charLength, initials, isLate, isWebLink, registrationRefusal } from '../../src/domain/conferences/rules.js';

const closes = new Date('2026-12-04T10:00:00Z');
const open = { status: 'scheduled' as const, registrationClosesAt: closes, capacity: 2 };

describe('conference rules', () => {
  test('registration: open until it closes and while seats remain; only while scheduled', () => {
    const before = new Date('2026-12-04T09:59:59Z');
    assert.equal(registrationRefusal(open, 1, before), null);
    assert.equal(registrationRefusal(open, 2, before), 'conference_full');
    assert.equal(registrationRefusal(open, 0, closes), 'registration_closed', 'closes at the minute given');
    assert.equal(registrationRefusal({ ...open, capacity: null }, 10_000, before), null);
    for (const status of ['held', 'minutes_published', 'cancelled'] as const) {
      assert.equal(registrationRefusal({ ...open, status }, 0, before), 'conference_not_open');
    }
  });

  test('commitments only move forward, and done is final', () => {
    assert.ok(canMoveCommitment('open', 'in_progress'));
    assert.ok(canMoveCommitment('open', 'done'));
    assert.ok(canMoveCommitment('in_progress', 'done'));
    for (const [from, to] of [
      ['open', 'open'],
      ['in_progress', 'open'],
      ['in_progress', 'in_progress'],
      ['done', 'open'],
      ['done', 'in_progress'],
      ['done', 'done'],
    ] as const) {
      assert.equal(canMoveCommitment(from, to), false, `${from} -> ${to}`);
    }
  });

  test('late: past the due day and not done (the due day itself is still on time)', () => {
    assert.equal(isLate({ status: 'open', dueDate: '2026-12-01' }, '2026-12-02'), true);
    assert.equal(isLate({ status: 'in_progress', dueDate: '2026-12-02' }, '2026-12-02'), false);
    assert.equal(isLate({ status: 'done', dueDate: '2026-01-01' }, '2026-12-02'), false);
  });

  test('askers are shown by initials, whatever the spacing or composition of the name', () => {
    assert.equal(initials('Nguyễn Văn An'), 'N. V. A.');
    assert.equal(initials('  đặng   thị hồng '), 'Đ. T. H.');
    assert.equal(initials('O\u0302n Thi\u0323 A'), 'Ô. T. A.', 'decomposed letters are composed first');
    assert.equal(initials(null), '—');
    assert.equal(initials('  '), '—');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (name) => {
        const out = initials(name);
        // Never more than one letter of any word: a full name cannot leak through.
        assert.ok(out === '—' || /^(\p{L}\. )*\p{L}\.$/u.test(out), out);
      }),
    );
  });

  test('lengths count characters as the database does; evidence links are http(s) only', () => {
    assert.equal(charLength('Hà Nội'), 6);
    assert.equal(charLength('Ha\u0300 Nô\u0323i'), 6);
    assert.ok(isWebLink('https://hadong.hanoi.gov.vn/tin/1'));
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://x.vn/a', 'https://user:pw@x.vn/', 'not a url']) {
      assert.equal(isWebLink(bad), false, bad);
    }
  });
});
