import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLASS_CODE_ALPHABET, displayClassCode, newClassCode, normalizeClassCode } from '../../src/domain/learn/codes.js';
import { checkLessons, loadLessons, type Lesson } from '../../src/domain/learn/lessons.js';
import { progressOf } from '../../src/domain/learn/progress.js';

const { lessons } = loadLessons();

describe('learning mode: lessons file, class codes, progress figures', () => {
  test('the lessons file is checked at start: five lessons, each with practice questions; bad files are refused with the reason', () => {
    assert.deepEqual(
      lessons.map((l) => l.slug),
      ['tim-thu-tuc', 'nop-ho-so-truc-tuyen', 'thanh-toan-truc-tuyen', 'tra-cuu-ho-so', 'danh-gia-hai-long'],
    );
    for (const l of lessons) assert.ok(l.questions.length >= 3, l.slug);
    const file = JSON.parse(JSON.stringify(loadLessons())) as { lessons: Lesson[] };
    file.lessons[1]!.slug = file.lessons[0]!.slug;
    assert.match((checkLessons(file) as { error: string }).error, /appears twice/);
    const two = JSON.parse(JSON.stringify(loadLessons())) as { lessons: Lesson[] };
    two.lessons[0]!.questions[0]!.options.forEach((o) => (o.correct = true));
    assert.match((checkLessons(two) as { error: string }).error, /exactly one correct/);
    const external = JSON.parse(JSON.stringify(loadLessons())) as { lessons: Lesson[] };
    external.lessons[0]!.links[0]!.href = 'https://example.com/';
    assert.equal(checkLessons(external).ok, false, 'links stay on this portal');
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(two));
    assert.throws(() => loadLessons(join(dir, 'bad.json')), /bad\.json are invalid: .*exactly one correct/);
    writeFileSync(join(dir, 'broken.json'), '{"version": ');
    assert.throws(() => loadLessons(join(dir, 'broken.json')), /unreadable/);
    rmSync(dir, { recursive: true });
  });

  test('progress ignores tries at questions no longer in the lessons, and counts the first try by order', () => {
    const l = lessons.slice(0, 1);
    const q = l[0]!.questions;
    const p = progressOf(
      l,
      [1],
      [
        { id: 5, pupilId: 1, lessonSlug: l[0]!.slug, questionKey: q[0]!.key, correct: true },
        { id: 2, pupilId: 1, lessonSlug: l[0]!.slug, questionKey: q[0]!.key, correct: false },
        { id: 3, pupilId: 1, lessonSlug: l[0]!.slug, questionKey: 'retired', correct: true },
        { id: 4, pupilId: 1, lessonSlug: 'retired-lesson', questionKey: q[1]!.key, correct: true },
      ],
    );
    assert.deepEqual(p.pupils[0], { pupilId: 1, lessonsDone: [], firstTryRight: 0, answered: 1 });
    assert.equal(p.totals.averageFirstTryRight, 0);
    assert.equal(progressOf(l, [], []).totals.averageFirstTryRight, null);
  });

  test('class codes: 6 characters of the 32-letter alphabet, read back in any case with spaces or dashes', () => {
    assert.equal(CLASS_CODE_ALPHABET.length, 32);
    assert.equal(
      newClassCode(() => 0),
      'AAAAAA',
    );
    assert.equal(
      newClassCode(() => 31),
      '999999',
    );
    assert.match(newClassCode(), /^[A-HJ-NP-Z2-9]{6}$/);
    assert.equal(normalizeClassCode(' abc-d2f '), 'ABCD2F');
    assert.equal(displayClassCode('ABCD2F'), 'ABC D2F');
    for (const bad of ['ABCDE0', 'ABCDEO', 'ABCDE1', 'ABCDEI', 'ABCDE', 'ABCDEFG', 'ÁBCDEF', ''])
      assert.equal(normalizeClassCode(bad), null, bad);
  });
});
