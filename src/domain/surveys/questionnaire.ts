import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// The SIPAS questionnaire as data (seed/surveys/sipas.json): the five factors of Decision
// 1001/QĐ-BNV, each with assessment statements (agree scale), a satisfaction question (1-5) and an
// expectation question (what to improve first), then an overall satisfaction and a comment.

/** The five SIPAS factors, in the method's order. */
export const FACTORS = ['access', 'procedure', 'civil_servant', 'result', 'feedback'] as const;
export type Factor = (typeof FACTORS)[number];

const Text = Type.Object({ vi: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Key = Type.String({ pattern: '^[a-z_]+(\\.[a-z0-9_]+)?$', maxLength: 60 });
const Scale = Type.Array(Text, { minItems: 5, maxItems: 5 });

const Statement = Type.Object({ key: Key, text: Text }, { additionalProperties: false });
const Rated = Type.Object({ key: Key, required: Type.Boolean(), text: Text }, { additionalProperties: false });
const Expectation = Type.Object(
  {
    key: Key,
    maxChoices: Type.Integer({ minimum: 1, maximum: 5 }),
    text: Text,
    options: Type.Array(Type.Object({ key: Key, text: Text }, { additionalProperties: false }), { minItems: 2, maxItems: 10 }),
  },
  { additionalProperties: false },
);

export const QuestionnaireSchema = Type.Object(
  {
    id: Key,
    version: Type.Integer({ minimum: 1 }),
    title: Text,
    intro: Text,
    method: Text,
    scales: Type.Object({ agree: Scale, satisfaction: Scale }, { additionalProperties: false }),
    factors: Type.Array(
      Type.Object(
        {
          key: Type.Union(FACTORS.map((f) => Type.Literal(f))),
          title: Text,
          hint: Text,
          assessments: Type.Array(Statement, { minItems: 1, maxItems: 8 }),
          satisfaction: Rated,
          expectation: Expectation,
        },
        { additionalProperties: false },
      ),
      { minItems: 5, maxItems: 5 },
    ),
    overall: Rated,
    comment: Type.Object({ key: Key, maxLength: Type.Integer({ minimum: 1, maximum: 5000 }), text: Text }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type Questionnaire = Static<typeof QuestionnaireSchema>;

/** Answers as stored: 1-5 for scaled questions, option keys for expectations, text for the comment. */
export type Answers = Record<string, number | string[] | string>;

/** Checks the structure, then what the schema cannot say: factor order and unique keys. */
export function checkQuestionnaire(data: unknown): { ok: true; value: Questionnaire } | { ok: false; error: string } {
  if (!Value.Check(QuestionnaireSchema, data)) {
    const e = [...Value.Errors(QuestionnaireSchema, data)][0];
    return { ok: false, error: `${e?.path || '/'}: ${e?.message}` };
  }
  const order = data.factors.map((f) => f.key).join(',');
  if (order !== FACTORS.join(',')) return { ok: false, error: `factors must be ${FACTORS.join(', ')} in this order (got ${order})` };
  const keys = new Set<string>();
  for (const k of questionKeys(data)) {
    if (keys.has(k)) return { ok: false, error: `question key ${k} appears twice` };
    keys.add(k);
  }
  for (const f of data.factors) {
    const opts = f.expectation.options.map((o) => o.key);
    if (new Set(opts).size !== opts.length) return { ok: false, error: `${f.expectation.key} has duplicate options` };
    if (f.expectation.maxChoices > opts.length) return { ok: false, error: `${f.expectation.key} allows more choices than options` };
  }
  return { ok: true, value: data };
}

export function questionKeys(q: Questionnaire): string[] {
  return [
    ...q.factors.flatMap((f) => [...f.assessments.map((a) => a.key), f.satisfaction.key, f.expectation.key]),
    q.overall.key,
    q.comment.key,
  ];
}

const DEFAULT_FILE = new URL('../../../seed/surveys/sipas.json', import.meta.url);

/** Reads and checks a questionnaire file; a bad file stops the server at start rather than at launch. */
export function loadQuestionnaire(file: URL | string = DEFAULT_FILE): Questionnaire {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`questionnaire ${String(file)} is unreadable: ${(e as Error).message}`);
  }
  const r = checkQuestionnaire(data);
  if (!r.ok) throw new Error(`questionnaire ${String(file)} is invalid: ${r.error}`);
  return r.value;
}

export type AnswerProblem = 'answer_required' | 'answer_out_of_range' | 'unknown_question';

/**
 * Turns raw answers (from the form or the API) into the stored shape. A scaled answer is an integer
 * 1-5; an expectation is a list of distinct option keys, at most maxChoices; empty values count as
 * not answered, which only optional questions allow.
 */
export function checkAnswers(
  q: Questionnaire,
  raw: Record<string, unknown>,
): { ok: true; answers: Answers } | { ok: false; problem: AnswerProblem; key: string } {
  const known = new Set(questionKeys(q));
  for (const k of Object.keys(raw)) if (!known.has(k)) return { ok: false, problem: 'unknown_question', key: k.slice(0, 60) };
  const answers: Answers = {};
  const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  const scaled = (key: string, required: boolean): AnswerProblem | null => {
    const v = raw[key];
    if (empty(v)) return required ? 'answer_required' : null;
    const n = typeof v === 'string' && /^\d$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 5) return 'answer_out_of_range';
    answers[key] = n;
    return null;
  };
  for (const f of q.factors) {
    for (const a of f.assessments) {
      const p = scaled(a.key, false);
      if (p) return { ok: false, problem: p, key: a.key };
    }
    const p = scaled(f.satisfaction.key, f.satisfaction.required);
    if (p) return { ok: false, problem: p, key: f.satisfaction.key };
    const e = f.expectation;
    const v = raw[e.key];
    if (!empty(v)) {
      const list = Array.isArray(v) ? v : [v];
      const options = new Set(e.options.map((o) => o.key));
      const picked = [...new Set(list)];
      if (picked.some((x) => typeof x !== 'string' || !options.has(x)) || picked.length > e.maxChoices)
        return { ok: false, problem: 'answer_out_of_range', key: e.key };
      answers[e.key] = picked as string[];
    }
  }
  const p = scaled(q.overall.key, q.overall.required);
  if (p) return { ok: false, problem: p, key: q.overall.key };
  const c = raw[q.comment.key];
  if (!empty(c)) {
    if (typeof c !== 'string' || c.length > q.comment.maxLength) return { ok: false, problem: 'answer_out_of_range', key: q.comment.key };
    if (c.trim()) answers[q.comment.key] = c.trim();
  }
  return { ok: true, answers };
}
