import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// Lessons for schools are data (seed/learn/lessons.json), in Vietnamese and English, checked when
// the server starts: a bad file stops the start rather than a class in the middle of a lesson.

const Text = Type.Object({ vi: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Key = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' });
/** Links go to pages of this portal only (checked against its routes by test/learn). */
const InternalHref = Type.String({ pattern: '^/[a-z0-9/._?=&-]*$', maxLength: 200 });

const Option = Type.Object({ key: Key, text: Text, correct: Type.Boolean() }, { additionalProperties: false });
const Question = Type.Object(
  {
    key: Key,
    kind: Type.Union([Type.Literal('single'), Type.Literal('multiple')]),
    text: Text,
    options: Type.Array(Option, { minItems: 2, maxItems: 6 }),
    explanation: Text,
  },
  { additionalProperties: false },
);
const Section = Type.Object(
  {
    heading: Text,
    paragraphs: Type.Array(Text, { maxItems: 10 }),
    steps: Type.Array(Text, { maxItems: 12 }),
  },
  { additionalProperties: false },
);
export const LessonSchema = Type.Object(
  {
    slug: Key,
    title: Text,
    summary: Text,
    minutes: Type.Integer({ minimum: 1, maximum: 45 }),
    sections: Type.Array(Section, { minItems: 1, maxItems: 10 }),
    links: Type.Array(Type.Object({ href: InternalHref, label: Text }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }),
    atHome: Text,
    questions: Type.Array(Question, { minItems: 1, maxItems: 10 }),
  },
  { additionalProperties: false },
);
export const LessonsFileSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    sources: Type.Array(Text),
    lessons: Type.Array(LessonSchema, { minItems: 1, maxItems: 30 }),
  },
  { additionalProperties: false },
);
export type Lesson = Static<typeof LessonSchema>;
export type LessonQuestion = Static<typeof Question>;
export type LessonsFile = Static<typeof LessonsFileSchema>;

/** Checks the structure, then what the schema cannot say: unique keys and a key that fits the kind. */
export function checkLessons(data: unknown): { ok: true; value: LessonsFile } | { ok: false; error: string } {
  if (!Value.Check(LessonsFileSchema, data)) {
    const e = [...Value.Errors(LessonsFileSchema, data)][0];
    return { ok: false, error: `${e?.path || '/'}: ${e?.message}` };
  }
  const slugs = new Set<string>();
  for (const l of data.lessons) {
    if (slugs.has(l.slug)) return { ok: false, error: `lesson ${l.slug} appears twice` };
    slugs.add(l.slug);
    const keys = new Set<string>();
    for (const q of l.questions) {
      if (keys.has(q.key)) return { ok: false, error: `${l.slug}: question ${q.key} appears twice` };
      keys.add(q.key);
      const opts = q.options.map((o) => o.key);
      if (new Set(opts).size !== opts.length) return { ok: false, error: `${l.slug}/${q.key}: duplicate option keys` };
      const right = q.options.filter((o) => o.correct).length;
      if (q.kind === 'single' && right !== 1)
        return { ok: false, error: `${l.slug}/${q.key}: a single-choice question needs exactly one correct option` };
      if (q.kind === 'multiple' && right < 1) return { ok: false, error: `${l.slug}/${q.key}: no correct option` };
    }
  }
  return { ok: true, value: data };
}

const DEFAULT_FILE = new URL('../../../seed/learn/lessons.json', import.meta.url);

export function loadLessons(file: URL | string = DEFAULT_FILE): LessonsFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`lessons ${String(file)} are unreadable: ${(e as Error).message}`);
  }
  const r = checkLessons(data);
  if (!r.ok) throw new Error(`lessons ${String(file)} are invalid: ${r.error}`);
  return r.value;
}

/** Right when the chosen options are exactly the correct ones (no partial marks, as in the contest). */
export function isCorrect(q: LessonQuestion, chosen: readonly string[]): boolean {
  const key = q.options.filter((o) => o.correct).map((o) => o.key);
  const set = new Set(chosen);
  return set.size === key.length && key.every((k) => set.has(k));
}
