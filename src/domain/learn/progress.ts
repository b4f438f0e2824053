import type { Lesson } from './lessons.js';

// The teacher's figures, as a pure function of the lessons and the tries.
//  - A question counts for the practice score when the pupil's FIRST try at it was right:
//    retries help learning but do not raise the score.
//  - A lesson is done when every one of its questions has been answered right at least once.
// Tries at questions that are no longer in the lessons (the file changed) are ignored.

export interface Attempt {
  pupilId: number;
  lessonSlug: string;
  questionKey: string;
  correct: boolean;
  /** Increasing with time: the smallest per question is the first try. */
  id: number;
}

export interface PupilProgress {
  pupilId: number;
  lessonsDone: string[];
  firstTryRight: number;
  answered: number;
}

export interface ClassTotals {
  pupils: number;
  /** Per lesson slug: pupils who finished it. */
  doneByLesson: Record<string, number>;
  /** Pupils who finished every lesson. */
  allDone: number;
  /** Sum of first-try right answers over pupils, and its mean per pupil (null with no pupil). */
  firstTryRight: number;
  averageFirstTryRight: number | null;
  questions: number;
}

export function progressOf(lessons: readonly Lesson[], pupilIds: readonly number[], attempts: readonly Attempt[]) {
  const known = new Map(lessons.map((l) => [l.slug, new Set(l.questions.map((q) => q.key))]));
  const questions = lessons.reduce((n, l) => n + l.questions.length, 0);
  const first = new Map<string, Attempt>();
  const everRight = new Set<string>();
  for (const a of attempts) {
    if (!known.get(a.lessonSlug)?.has(a.questionKey)) continue;
    const k = `${a.pupilId}|${a.lessonSlug}|${a.questionKey}`;
    const f = first.get(k);
    if (!f || a.id < f.id) first.set(k, a);
    if (a.correct) everRight.add(k);
  }
  const pupils: PupilProgress[] = pupilIds.map((pupilId) => {
    let firstTryRight = 0;
    let answered = 0;
    const lessonsDone: string[] = [];
    for (const l of lessons) {
      let all = true;
      for (const q of l.questions) {
        const k = `${pupilId}|${l.slug}|${q.key}`;
        const f = first.get(k);
        if (f) answered++;
        if (f?.correct) firstTryRight++;
        if (!everRight.has(k)) all = false;
      }
      if (all) lessonsDone.push(l.slug);
    }
    return { pupilId, lessonsDone, firstTryRight, answered };
  });
  const doneByLesson: Record<string, number> = Object.fromEntries(lessons.map((l) => [l.slug, 0]));
  for (const p of pupils) for (const s of p.lessonsDone) doneByLesson[s]! += 1;
  const firstTryRight = pupils.reduce((n, p) => n + p.firstTryRight, 0);
  const totals: ClassTotals = {
    pupils: pupils.length,
    doneByLesson,
    allDone: pupils.filter((p) => p.lessonsDone.length === lessons.length).length,
    firstTryRight,
    averageFirstTryRight: pupils.length ? Math.round((firstTryRight / pupils.length) * 100) / 100 : null,
    questions,
  };
  return { pupils, totals };
}
