/**
 * Deadline engine throughput: 1,000,000 computeDue calls with mixed units, amounts and receipt
 * instants spread over 2020-2030, on one core (Node runs this on a single thread).
 *
 *   node --import tsx bench/deadline.bench.ts [count]
 *
 * Prints the engine's time and rate next to a baseline measured in the same run: the same loop
 * doing plain Date arithmetic (build the receipt Date, add the amount in days, read the weekday),
 * so the figure can be read independently of the machine. Goal: 1,000,000 calls in under 2 s.
 */
import { WorkingCalendar, computeDue, publishedOrProposed, type TimeUnit } from '../src/domain/calendar/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const UNITS: TimeUnit[] = ['working_days', 'hours', 'days', 'months'];

// Deterministic inputs (mulberry32), generated before timing starts.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const from = Date.UTC(2020, 0, 1) - 7 * 3_600_000;
const to = Date.UTC(2031, 0, 1) - 7 * 3_600_000;
const receivedMs = new Float64Array(N);
const amounts = new Int32Array(N);
const unitIdx = new Uint8Array(N);
const rand = rng(20260223);
for (let i = 0; i < N; i++) {
  // Receipts at whole minutes anywhere in 2020-2030, weekends and nights included.
  receivedMs[i] = from + Math.floor(rand() * ((to - from) / 60_000)) * 60_000;
  const u = rand();
  // Mostly working days (typical procedures: 0-30), some hours, calendar days and months.
  if (u < 0.7) {
    unitIdx[i] = 0;
    amounts[i] = Math.floor(rand() * 31);
  } else if (u < 0.8) {
    unitIdx[i] = 1;
    amounts[i] = 1 + Math.floor(rand() * 48);
  } else if (u < 0.9) {
    unitIdx[i] = 2;
    amounts[i] = 1 + Math.floor(rand() * 60);
  } else {
    unitIdx[i] = 3;
    amounts[i] = 1 + Math.floor(rand() * 12);
  }
}

function baseline(): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const d = new Date(receivedMs[i] as number);
    const due = new Date(d.getTime() + (amounts[i] as number) * 86_400_000);
    sum += due.getUTCDay();
  }
  return sum;
}

function engine(calendar: WorkingCalendar, count: number, explain: boolean): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const r = computeDue({
      receivedAt: new Date(receivedMs[i] as number),
      amount: amounts[i] as number,
      unit: UNITS[unitIdx[i] as number] as TimeUnit,
      calendar,
    });
    sum += (r.dueAt.getTime() / 60_000) % 1440;
    if (explain) sum += r.skipped.length;
  }
  return sum;
}

function time<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const out = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
}

const fmt = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;
const rate = (count: number, ms: number): string =>
  `${Math.round((count / ms) * 1000)
    .toLocaleString('en-US')
    .padStart(11)} ops/s`;

// Cold start: the first calls build each year's tables (lunar months, proposals, bitsets).
const calendar = new WorkingCalendar(publishedOrProposed);
const [coldMs] = time(() => engine(calendar, Math.min(N, 20_000), false));
time(() => baseline()); // JIT warm-up of the baseline loop

const [baseMs, baseSum] = time(baseline);
const [engMs, engSum] = time(() => engine(calendar, N, false));
const explainN = Math.min(N, 100_000);
const [explMs] = time(() => engine(calendar, explainN, true));

const line = (label: string, ms: number, count?: number, note = ''): void =>
  console.log(`  ${label.padEnd(52)} ${fmt(ms)}${count ? ` ${rate(count, ms)}` : ''}${note}`);
const n = (x: number): string => x.toLocaleString('en-US');

console.log(`deadline engine: ${n(N)} computeDue calls (70% working days, 10% each hours/days/months), receipts 2020-2030`);
line(`cold start (first ${n(Math.min(N, 20_000))} calls, builds years 2020-2031)`, coldMs);
line('baseline: plain Date arithmetic, same loop', baseMs, N);
line('computeDue', engMs, N, `   (${(engMs / baseMs).toFixed(1)}x baseline)`);
line(`computeDue + reading .skipped (${n(explainN)} calls)`, explMs, explainN);
console.log(`  goal: ${n(N)} calls in < ${n(2000 * (N / 1_000_000))} ms -> ${engMs < 2000 * (N / 1_000_000) ? 'met' : 'NOT met'}`);
console.log(`  (checksums ${baseSum} ${engSum})`);
