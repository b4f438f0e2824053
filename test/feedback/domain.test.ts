import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatVnIso, publishedOrProposed, toVnDate, vnDateTime, WorkingCalendar } from '../../src/domain/calendar/index.js';
import { answerBy, onTime, publishBy, receiptDeadlines } from '../../src/domain/feedback/deadlines.js';
import { abusivePhrase, FEEDBACK_LIMITS, moderate } from '../../src/domain/feedback/moderation.js';
import { isVietnamesePhone, redact, redactText, REDACTED } from '../../src/domain/feedback/redact.js';

const clock = { calendar: new WorkingCalendar(publishedOrProposed) };
const iso = (d: Date) => formatVnIso(d);

describe('feedback deadlines', () => {
  // 2026 calendar: Tết Mon 16 - Fri 20/2; Giỗ Tổ Sun 26/4 with Mon 27/4 in lieu; 30/4 Thu and 1/5 Fri.
  test('across Tết 2026: received Fri 13/2 at 10:00', () => {
    const d = receiptDeadlines(vnDateTime('2026-02-13', '10:00'), clock);
    // Sat 14 - Sun 22 are off: Mon 23 is the first working day, Tue 24 the second.
    assert.equal(iso(d.rejectBy), '2026-02-24T17:00:00+07:00');
    assert.equal(iso(d.requestInfoBy), '2026-02-27T17:00:00+07:00');
    // 5 in the week of 23/2, 5 in the week of 2/3, 5 in the week of 9/3.
    assert.equal(iso(d.answerBy), '2026-03-13T17:00:00+07:00');
  });

  test('across the Giỗ Tổ and 30/4-1/5 bridge: received Fri 24/4 at 10:00', () => {
    const d = receiptDeadlines(vnDateTime('2026-04-24', '10:00'), clock);
    // Sat 25, Sun 26, Mon 27 off; Tue 28 = 1, Wed 29 = 2.
    assert.equal(iso(d.rejectBy), '2026-04-29T17:00:00+07:00');
    // Thu 30, Fri 1, Sat 2, Sun 3 off; Mon 4 = 3, Tue 5 = 4, Wed 6 = 5.
    assert.equal(iso(d.requestInfoBy), '2026-05-06T17:00:00+07:00');
  });

  test('publish-by is two working days after the approval, across a weekend', () => {
    assert.equal(iso(publishBy(vnDateTime('2026-04-29', '09:00'), clock)), '2026-05-05T17:00:00+07:00');
    assert.equal(iso(publishBy(vnDateTime('2026-11-27', '09:00'), clock)), '2026-12-01T17:00:00+07:00');
  });

  test('waiting for the author moves the answer deadline by the working days waited', () => {
    const received = vnDateTime('2026-03-02', '09:00');
    const plain = answerBy(received, clock);
    // A Monday-to-Monday wait is five working days.
    const waited = answerBy(received, clock, [{ from: vnDateTime('2026-03-03', '09:00'), to: vnDateTime('2026-03-10', '09:00') }]);
    assert.equal(clock.calendar.workingDaysBetween(toVnDate(plain), toVnDate(waited)).length >= 4, true);
    assert.ok(waited > plain);
    assert.equal(onTime(plain, plain), true);
    assert.equal(onTime(new Date(plain.getTime() + 1), plain), false);
  });

  test('property: deadlines are ordered and fall on working days', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2030, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (ms) => {
        const d = receiptDeadlines(new Date(ms), clock);
        assert.ok(d.rejectBy < d.requestInfoBy && d.requestInfoBy < d.answerBy);
        for (const x of [d.rejectBy, d.requestInfoBy, d.answerBy]) assert.ok(clock.calendar.isWorkingDay(toVnDate(x)), iso(x));
        assert.ok(d.rejectBy.getTime() > ms);
      }),
      { numRuns: 300 },
    );
  });
});

describe('redaction of personal data', () => {
  const removed = [
    '0912345678',
    '0912 345 678',
    '0912.345.678',
    '091-234-5678',
    '+84 912 345 678',
    '+84912345678',
    '84912345678',
    '024 3825 1234',
    '024.3825.1234',
    '001090012345',
    '123456789',
    'hoa.nguyen@example.vn',
    'Le_Van.A+pakn@mail.gov.vn',
  ];
  for (const s of removed) {
    test(`removes ${s}`, () => {
      const out = redactText(`Liên hệ: ${s}, cảm ơn.`);
      assert.equal(out, `Liên hệ: ${REDACTED}, cảm ơn.`);
    });
  }

  const kept = [
    'ngày 27/11/2026',
    'ngày 27.11.2026',
    '2026-11-27',
    'hồ sơ 000.13.42.H26-261127-0001',
    'hồ sơ 000.00.12.H26-190614-0042',
    'thủ tục 1.004873',
    'thủ tục 2.000635 và 1.001193',
    'lệ phí 1.500.000 đồng',
    'số tiền 150000000 đồng',
    '100000000đ',
    'nộp 8.000 đ',
    '12.500.000 VNĐ',
    'số 15 ngõ 120 Trần Phú',
    'năm 2019 có 600.000 lượt',
    'mã 0001',
  ];
  for (const s of kept) {
    test(`keeps ${s}`, () => assert.equal(redactText(s), s));
  }

  test('a complaint with a phone, a citizen ID and an e-mail keeps its sense', () => {
    const r = redact(
      'Tôi là Nguyễn Thị Hoa, CCCD 001190012345, điện thoại 0912 345 678, email hoa@example.vn. Hồ sơ 000.13.42.H26-261127-0001 nộp ngày 20/11/2026, lệ phí 8.000 đồng, chậm 3 ngày.',
    );
    assert.deepEqual(r.removed, { email: 1, phone: 1, citizen_id: 1 });
    assert.equal(
      r.text,
      `Tôi là Nguyễn Thị Hoa, CCCD ${REDACTED}, điện thoại ${REDACTED}, email ${REDACTED}. Hồ sơ 000.13.42.H26-261127-0001 nộp ngày 20/11/2026, lệ phí 8.000 đồng, chậm 3 ngày.`,
    );
  });

  test("the author's name, as typed, in any case; a one-word name is left alone", () => {
    const r = redact('Tôi là NGUYỄN THỊ HOA, ở Hoa Kỳ về. Nguyễn  Thị Hoa xin cảm ơn.', { names: ['Nguyễn Thị Hoa', 'Hoa'] });
    assert.equal(r.text, `Tôi là ${REDACTED}, ở Hoa Kỳ về. ${REDACTED} xin cảm ơn.`);
    assert.equal(r.removed.name, 2);
    assert.equal(redactText('Ông Nguyễn Thị Hoang', ['Nguyễn Thị Hoa']), 'Ông Nguyễn Thị Hoang');
  });

  test('phone numbers: mobile and fixed-line forms', () => {
    assert.ok(isVietnamesePhone('0912345678'));
    assert.ok(isVietnamesePhone('84912345678'));
    assert.ok(isVietnamesePhone('02438251234'));
    assert.ok(!isVietnamesePhone('0112345678'));
    assert.ok(!isVietnamesePhone('091234567'));
  });

  test('property: any mobile number, grouped any way, inside any words, is removed; redaction is idempotent', () => {
    const sep = fc.constantFrom('', ' ', '.', '-');
    const prefix = fc.constantFrom('0', '+84', '84', '+84 ', '0');
    fc.assert(
      fc.property(
        prefix,
        fc.constantFrom('3', '5', '7', '8', '9'),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
        fc.array(sep, { minLength: 8, maxLength: 8 }),
        fc.constantFrom('Gọi', 'SĐT', 'liên hệ', 'số'),
        (p, first, digits, seps, word) => {
          const grouped = digits.map((d, i) => `${i === 2 || i === 5 ? seps[i] : ''}${d}`).join('');
          const text = `${word} ${p}${first}${grouped} giúp tôi.`;
          const out = redactText(text);
          assert.equal(out, `${word} ${REDACTED} giúp tôi.`, text);
          assert.equal(redactText(out), out);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('property: amounts written with dots are never touched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999_999 }), (n) => {
        const s = `Lệ phí ${n.toLocaleString('de-DE')} đồng`;
        assert.equal(redactText(s), s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('moderation', () => {
  test('abusive words are refused with a reason, with or without diacritics, in Vietnamese and English', () => {
    for (const s of ['Đồ ngu', 'do ngu', 'Cán bộ mất dạy', 'CÁN BỘ MẤT DẠY', 'ĐCM cán bộ', 'vcl', 'This is bullshit', 'fuck!']) {
      const r = moderate({ title: 'Phản ánh', content: s });
      assert.deepEqual(r, { ok: false, code: 'feedback_abusive', field: 'content' }, s);
    }
    assert.deepEqual(moderate({ title: 'Đồ khốn nạn', content: 'x' }), { ok: false, code: 'feedback_abusive', field: 'title' });
  });

  test('ordinary words are not caught', () => {
    for (const s of [
      'Các cán bộ phường rất lớn tuổi',
      'Buổi sáng tôi đi du lịch',
      'Quả óc chó và bưởi Diễn',
      'Con chó nhà tôi bị lạc',
      'Đường bị cụt',
      'Assessment of the class in Scunthorpe',
      'Tôi muốn hỏi về thủ tục đăng ký khai sinh',
      'Ngủ dậy mới thấy tin nhắn',
      'Dịch vụ công',
    ]) {
      assert.equal(abusivePhrase(s), null, s);
      assert.deepEqual(moderate({ title: 'Hỏi', content: s }), { ok: true }, s);
    }
  });

  test('limits: exactly at the limit passes, one more is refused, never cut', () => {
    const ok = moderate({ title: 'á'.repeat(FEEDBACK_LIMITS.title), content: 'ệ'.repeat(FEEDBACK_LIMITS.content) });
    assert.deepEqual(ok, { ok: true });
    // Decomposed diacritics count once each (NFC), as PostgreSQL counts them after normalisation.
    assert.deepEqual(moderate({ title: 'a\u0301'.repeat(FEEDBACK_LIMITS.title), content: 'x' }), { ok: true });
    assert.deepEqual(moderate({ title: 'a'.repeat(201), content: 'x' }), { ok: false, code: 'feedback_title_too_long', field: 'title' });
    assert.deepEqual(moderate({ title: 'a', content: 'x'.repeat(5001) }), {
      ok: false,
      code: 'feedback_content_too_long',
      field: 'content',
    });
    assert.deepEqual(moderate({ title: '  ', content: 'x' }), { ok: false, code: 'feedback_title_required', field: 'title' });
    assert.deepEqual(moderate({ title: 'a', content: '' }), { ok: false, code: 'feedback_content_required', field: 'content' });
  });
});
