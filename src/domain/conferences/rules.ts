// Pure rules of dialogue conferences (DESIGN §4.6): who may still register, what a commitment may
// become next, when it is late, and how an asker is named in public.

export type ConferenceStatus = 'scheduled' | 'held' | 'minutes_published' | 'cancelled';
export type CommitmentStatus = 'open' | 'in_progress' | 'done';

/** Longest question a person may send, in characters (code points, as PostgreSQL counts them). */
export const QUESTION_MAX = 2000;

export type RegistrationRefusal = 'conference_not_open' | 'registration_closed' | 'conference_full';

/** Why a registration (or a question sent ahead) is refused now, or null when it is accepted. */
export function registrationRefusal(
  c: { status: ConferenceStatus; registrationClosesAt: Date; capacity: number | null },
  registered: number,
  now: Date,
): RegistrationRefusal | null {
  if (c.status !== 'scheduled') return 'conference_not_open';
  if (now.getTime() >= c.registrationClosesAt.getTime()) return 'registration_closed';
  if (c.capacity !== null && registered >= c.capacity) return 'conference_full';
  return null;
}

const NEXT: Record<CommitmentStatus, readonly CommitmentStatus[]> = {
  open: ['in_progress', 'done'],
  in_progress: ['done'],
  done: [],
};

/** Commitments only move forward: open, in progress, done. */
export function canMoveCommitment(from: CommitmentStatus, to: CommitmentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Past its due date (a Vietnam calendar day, YYYY-MM-DD) and not done. */
export function isLate(c: { status: CommitmentStatus; dueDate: string }, today: string): boolean {
  return c.status !== 'done' && c.dueDate < today;
}

/** "Nguyễn Văn An" -> "N. V. A.": enough to recognise one's own question, not to identify anyone. */
export function initials(name: string | null): string {
  const words = (name ?? '').normalize('NFC').trim().split(/\s+/).filter(Boolean);
  const letters = words.map((w) => [...w][0]!.toLocaleUpperCase('vi')).filter((l) => /\p{L}/u.test(l));
  return letters.length ? letters.map((l) => `${l}.`).join(' ') : '—';
}

/** Length in characters as the database counts them (a Vietnamese letter is one, whatever its form). */
export function charLength(text: string): number {
  return [...text.normalize('NFC')].length;
}

/** An evidence link must be a plain web address (http or https), never a script or a file path. */
export function isWebLink(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname.length > 0;
  } catch {
    return false;
  }
}
