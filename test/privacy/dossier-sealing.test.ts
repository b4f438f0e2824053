import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { bearerFor, DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { maritalBody, uploadFile } from '../helpers/dossiers.js';
import { isCiphertext, pii } from '../../src/lib/pii.js';
import { sealDossiers } from '../../src/lib/pii-store.js';

const PHONE = '0912345678';
const CCCD = '001090012345';
// What someone could type into a free-text answer: it must come back exactly as typed.
const LOOKALIKE = 'v1:dev:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA';

interface RawRow {
  applicant: string;
  applicant_phone: string | null;
  applicant_citizen_id: string | null;
  applicant_phone_hash: string | null;
  applicant_citizen_id_hash: string | null;
  form_data: string;
  lookup_checks: string[];
}

describe(`dossier personal data sealed at rest (${ENGINE})`, () => {
  let t: TestApp;
  let citizen: Record<string, string>;
  let sha: string;

  before(async () => {
    t = await testApp();
    citizen = await bearerFor(t.app, DEMO.citizen);
    sha = (await uploadFile(t.app, citizen)).json().sha256;
  });
  after(() => t?.close());

  // Read as text under other names, so the plugin that opens the columns does not: what a dump holds.
  const raw = async (id: number) =>
    (
      await sql<Record<string, unknown>>`select applicant::text as a, applicant_phone as p, applicant_citizen_id as c,
        applicant_phone_hash as ph, applicant_citizen_id_hash as ch, form_data::text as f, lookup_checks as lc
        from dossier where id = ${id}`.execute(t.db)
    ).rows.map((r): RawRow => ({
      applicant: r.a as string,
      applicant_phone: r.p as string | null,
      applicant_citizen_id: r.c as string | null,
      applicant_phone_hash: r.ph as string | null,
      applicant_citizen_id_hash: r.ch as string | null,
      form_data: r.f as string,
      lookup_checks: r.lc as string[],
    }))[0]!;

  async function submit(form: Record<string, unknown> = {}) {
    const body = maritalBody(sha);
    Object.assign(body.form, form);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: citizen, payload: body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; code: string };
  }

  const lookup = (code: string, check: string) => t.app.inject({ url: `/api/v1/lookup?code=${code}&check=${check}` });

  function assertSealed(r: RawRow) {
    for (const text of [r.applicant, r.form_data, r.applicant_phone ?? '', r.applicant_citizen_id ?? '']) {
      assert.ok(!text.includes(PHONE), `phone in clear: ${text}`);
      assert.ok(!text.includes(CCCD), `citizen ID in clear: ${text}`);
    }
    assert.ok(isCiphertext(r.applicant_phone!));
    assert.equal(pii().decrypt(r.applicant_phone!), PHONE);
    assert.equal(JSON.parse(r.applicant).phone.startsWith('v1:'), true);
    assert.equal(pii().decrypt(JSON.parse(r.form_data).citizenId), CCCD);
    assert.equal(r.applicant_phone_hash, pii().hash('phone', PHONE));
    assert.ok(r.lookup_checks.includes(pii().hash('lookup_check', PHONE.slice(-4))));
  }

  test('a submission stores the applicant and the form ID sealed; every reader sees the numbers', async () => {
    const { id, code } = await submit({ purpose: LOOKALIKE });
    const r = await raw(id);
    assertSealed(r);
    // The look-alike free text is sealed too, so reading it back cannot mistake it for a ciphertext.
    assert.notEqual(JSON.parse(r.form_data).purpose, LOOKALIKE);
    const view = await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen });
    assert.equal(view.statusCode, 200);
    assert.equal(view.json().applicant.phone, PHONE);
    assert.equal(view.json().form.citizenId, CCCD);
    assert.equal(view.json().form.purpose, LOOKALIKE);
    const desk = await bearerFor(t.app, DEMO.deskQuangTrung);
    const page = await t.app.inject({ url: `/desk/dossiers/${id}`, headers: desk });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(PHONE) || page.body.includes('0912***678'), 'the desk sees the applicant phone');
    // The tracking lookup's four digits are checked against the keyed hashes.
    const ok = await lookup(code, PHONE.slice(-4));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.ok(ok.json().timeline.length > 0, 'the public events came with the dossier');
    assert.equal((await lookup(code, '0000')).statusCode, 404);
  });

  test('rows written before sealing (in clear, no hashes) are converted by the migration step and still found', async () => {
    const { id, code } = await submit();
    // The records as they were before sealing: what the plugin opens them to, written back in clear.
    const opened = await t.db.selectFrom('dossier').select(['applicant', 'form_data']).where('id', '=', id).executeTakeFirstOrThrow();
    const applicant = JSON.stringify({ ...(opened.applicant as object), citizenId: null });
    const form = JSON.stringify(opened.form_data);
    assert.ok(form.includes(CCCD));
    await sql`update dossier set applicant = ${applicant}::jsonb, applicant_phone = ${PHONE}, applicant_phone_hash = null,
      applicant_citizen_id = null, applicant_citizen_id_hash = null, lookup_checks = '{}', form_data = ${form}::jsonb
      where id = ${id}`.execute(t.db);
    // In clear, the old row still reads (the plugin passes plaintext through) but the lookup cannot find it.
    const before = await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen });
    assert.equal(before.statusCode, 200, before.body);
    assert.equal(before.json().applicant.phone, PHONE);
    assert.equal((await lookup(code, PHONE.slice(-4))).json().timeline?.length ?? 0, 0);

    const report = await sealDossiers(t.db, pii(), { all: true }, 3);
    assert.ok(report.encrypted >= 2, JSON.stringify(report));
    assertSealed(await raw(id));
    const ok = await lookup(code, PHONE.slice(-4));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.ok(ok.json().timeline.length > 0);
    // A rotation pass finds nothing to do: everything is under the current key.
    assert.deepEqual(await sealDossiers(t.db, pii(), { all: false }), { encrypted: 0, rotated: 0 });
  });

  test('saving a draft keeps the numbers sealed and readable', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: citizen,
      payload: { ...maritalBody(sha), submit: false, declaration: undefined },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id } = res.json();
    const save = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/dossiers/${id}`,
      headers: citizen,
      payload: { form: { ...maritalBody(sha).form, purpose: 'Đi làm' } },
    });
    assert.ok(save.statusCode < 300, save.body);
    assertSealed(await raw(id));
    const view = await t.app.inject({ url: `/api/v1/dossiers/${id}`, headers: citizen });
    assert.equal(view.json().form.citizenId, CCCD);
    assert.equal(view.json().form.purpose, 'Đi làm');
  });
});
