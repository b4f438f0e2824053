import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sweepDeadlines } from '../../src/modules/processing/lateness.js';
import { DEMO, testApp, type TestApp } from '../helpers/app.js';
import { ENGINE } from '../helpers/db.js';
import { act, receivedDossier, tokens } from '../helpers/processing.js';

describe(`the deadline sweep (${ENGINE})`, () => {
  let t: TestApp;
  let tok: Awaited<ReturnType<typeof tokens>>;
  before(async () => {
    t = await testApp();
    tok = await tokens(t.app);
  });
  after(() => t.close());

  const messages = async (email: string, dossierId: number) =>
    t.db
      .selectFrom('notification as n')
      .innerJoin('account as a', 'a.id', 'n.account_id')
      .select(['n.template', 'n.body'])
      .where('a.email', '=', email)
      .where('n.dossier_id', '=', dossierId)
      .orderBy('n.id')
      .execute();

  test('warns the holders once before the appointment, escalates once to the leaders after it', async () => {
    const { id, code } = await receivedDossier(t, tok);
    const now = new Date();
    await t.db
      .updateTable('dossier')
      .set({ due_at: new Date(now.getTime() + 3 * 3_600_000) })
      .where('id', '=', id)
      .execute();
    const first = await sweepDeadlines(t.db, 'http://x', now);
    assert.ok(first.warned >= 1);
    const soon = await messages(DEMO.specialistQuangTrung, id);
    assert.deepEqual(
      soon.map((m) => m.template),
      ['work.due_soon'],
    );
    assert.match(soon[0]!.body, new RegExp(code.replace(/\./g, '\\.')));
    // Nothing new on the next run.
    await sweepDeadlines(t.db, 'http://x', now);
    assert.equal((await messages(DEMO.specialistQuangTrung, id)).length, 1);

    // Assigned to the specialist, then overdue: the assignee and the unit's leader are told, once.
    const assign = await t.app.inject({
      method: 'POST',
      url: '/api/v1/work/assign',
      headers: tok.leaderQuangTrung,
      payload: {
        unit: '000.13.42.H26',
        ids: [id],
        assigneeId: (await t.db.selectFrom('account').select('id').where('email', '=', DEMO.specialistQuangTrung).executeTakeFirstOrThrow())
          .id,
      },
    });
    assert.deepEqual(assign.json(), { assigned: 1 });
    await t.db
      .updateTable('dossier')
      .set({ due_at: new Date(now.getTime() - 3_600_000) })
      .where('id', '=', id)
      .execute();
    const second = await sweepDeadlines(t.db, 'http://x', now);
    assert.ok(second.escalated >= 1);
    assert.deepEqual(
      (await messages(DEMO.specialistQuangTrung, id)).map((m) => m.template),
      ['work.due_soon', 'work.overdue'],
    );
    const leader = await messages(DEMO.leaderQuangTrung, id);
    assert.deepEqual(
      leader.map((m) => m.template),
      ['work.escalated'],
    );
    assert.match(leader[0]!.body, /Ngô Văn Phúc/);
    await sweepDeadlines(t.db, 'http://x', now);
    assert.equal((await messages(DEMO.leaderQuangTrung, id)).length, 1);
    // A district leader off the step's unit is not told.
    assert.equal((await messages(DEMO.leaderHaDong, id)).length, 0);
  });

  test('a finished dossier is never warned', async () => {
    const { id } = await receivedDossier(t, tok);
    await act(t.app, id, tok.leaderQuangTrung, { action: 'stop', reason: 'Người nộp đề nghị' }, tok.citizen);
    await t.db
      .updateTable('dossier')
      .set({ due_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', id)
      .execute();
    await sweepDeadlines(t.db, 'http://x');
    const rows = await t.db
      .selectFrom('notification')
      .select('template')
      .where('dossier_id', '=', id)
      .where('template', 'like', 'work.%')
      .execute();
    assert.deepEqual(rows, []);
  });
});
