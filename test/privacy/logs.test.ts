import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { looksPersonal, sanitizeUrl } from '../../src/observability/logging.js';
import { scanLogs } from '../../scripts/log-scan.mjs';
import { testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';

// The runner sets the directory; run alone, this file uses its own, set before any app is built.
process.env.MOTCUA_TEST_LOG_DIR ||= mkdtempSync(join(tmpdir(), 'motcua-logs-'));
const logFile = () => join(process.env.MOTCUA_TEST_LOG_DIR!, `${process.pid}.log`);

describe('log hygiene (no database)', () => {
  test('URLs: sensitive query values and personal-data-shaped segments are redacted, the rest kept', () => {
    assert.equal(
      sanitizeUrl('/tra-cuu?code=000.13.42.H26-261201-0001&check=5678'),
      '/tra-cuu?code=000.13.42.H26-261201-0001&check=[redacted]',
    );
    assert.equal(sanitizeUrl('/x?who=0912%20345%20678&page=2'), '/x?who=[redacted]&page=2');
    assert.equal(sanitizeUrl('/x?email=a%40b.vn'), '/x?email=[redacted]');
    assert.equal(sanitizeUrl('/x?q=001090012345'), '/x?q=[redacted]');
    assert.equal(sanitizeUrl(`/verify/${'A'.repeat(43)}`), '/verify/[redacted]');
    assert.equal(sanitizeUrl('/api/v1/dossiers/42/documents?round=1'), '/api/v1/dossiers/42/documents?round=1');
    assert.ok(looksPersonal('+84 912 345 678'));
    assert.ok(!looksPersonal('000.13.42.H26'));
  });

  test('the scanner finds a leaked phone, ID, e-mail, password and token, and ignores request ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-scan-'));
    const ok = '{"reqId":"60db8dd1-2561-45f3-b519-123456789012","req":{"url":"/x?check=[redacted]"},"time":1795801022381}';
    const leaks = [
      '{"msg":"sms to 0912345678"}',
      '{"msg":"id 001090012345"}',
      '{"to":"hoa.nguyen@gmail.com"}',
      '{"password":"motcua-demo-2026"}',
      '{"req":{"url":"/x?token=abcdefabcdef"}}',
    ];
    writeFileSync(join(dir, '1.log'), `${ok}\n${leaks.join('\n')}\n`);
    const r = scanLogs(dir);
    assert.equal(r.lines, 6);
    assert.deepEqual([...new Set(r.findings.map((f) => f.line))], [2, 3, 4, 5, 6]);
    assert.ok(r.findings.every((f) => !/0912345678|001090012345|gmail|motcua-demo/.test(f.excerpt)));
  });
});

describe(`request logs of a test app (${ENGINE})`, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(async () => t?.close());

  test('a lookup with check digits, a login and a bad registration log no personal data', async () => {
    await t.app.inject({ url: '/lookup?code=000.13.42.H26-261201-0001&check=5678&phone=0912345678' });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: { username: '0912345678', password: 'motcua-demo-2026' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { kind: 'citizen', phone: '0912345678', password: 'x' } });
    const text = readFileSync(logFile(), 'utf8');
    assert.match(text, /check=\[redacted\]&phone=\[redacted\]/);
    assert.doesNotMatch(text, /0912345678|motcua-demo-2026|check=5678/);
  });
});
