// Charts drawn on the server as SVG: no script, so they work on old phones and survive printing.
// Each chart is a picture with a one-sentence summary (role="img" + <title>/<desc>); the page puts a
// table with the same numbers (and the same drill-down links) next to it, so the SVG need not be
// navigable by a screen reader. Text inside sits on white in ink colour; the colour classes are
// all dark (see the "charts" block in static/app.css), so white text printed on a bar stays readable.
import type { ComponentChildren } from 'preact';

export type Format = (v: number) => string;

interface ChartBase {
  /** Unique on the page: the figure gets it, the <title> and <desc> get `${id}-title` and `${id}-desc`. */
  id: string;
  title: string;
  /** One sentence summarising the data, read out after the title. */
  description: string;
  /** Shown instead of the chart when there is nothing to draw, e.g. "Chưa có số liệu". */
  emptyText: string;
  /** Formats every number shown (e.g. Intl.NumberFormat('vi-VN').format gives 1.234); default String. */
  format?: Format;
}

const W = 640;
const FONT = 16; // user units; the SVG scales with its box, so text grows with the chart (CSS caps/floors the box)
// No layout engine on the server: reserve room for text from an average glyph width (Be Vietnam Pro is wide).
const CHAR_W = 0.62 * FONT;
const LABEL_CHARS = 28;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Graphemes, so a truncated Vietnamese label never loses a tone mark from its last letter.
const graphemes = (s: string) => Array.from(segmenter.segment(s.normalize('NFC')), (g) => g.segment);
const textWidth = (s: string) => graphemes(s).length * CHAR_W;
// Negative, NaN and infinite values cannot be drawn as lengths: they draw as nothing.
const drawable = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);
// Two decimals are far below a pixel and keep the markup short.
const r2 = (n: number) => Math.round(n * 100) / 100;

export function truncate(label: string, max = LABEL_CHARS): string {
  const g = graphemes(label.trim());
  if (g.length <= max) return g.join('');
  const kept = g.slice(0, Math.max(1, max - 1)).join('');
  return `${kept.trimEnd()}…`;
}

/**
 * Axis ticks from 0 up to at least `max`, evenly spaced by a round step (1, 2, 2.5 or 5 times a power of ten),
 * at most `count` of them. `minStep` (e.g. 1 for counts of dossiers) keeps the step a multiple of it, so a chart
 * of 3 dossiers does not get a tick at 0.5.
 */
export function niceTicks(max: number, count = 5, minStep = 0): number[] {
  const n = Math.max(2, Math.floor(Number.isFinite(count) ? count : 5));
  const unit = minStep > 0 ? minStep : 0;
  if (!Number.isFinite(max) || max <= 0) return [0, unit || 1];
  const raw = Math.max(max / (n - 1), unit);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, 2.5, 5, 10, 20].map((m) => m * mag).find((s) => s >= raw && (unit === 0 || Number.isInteger(s / unit))) ??
    Math.ceil(raw / unit) * unit;
  // toPrecision strips float noise (0.30000000000000004) so the tick labels read as round numbers.
  const tick = (i: number) => Number((i * step).toPrecision(12));
  let k = Math.max(1, Math.ceil(max / step));
  if (k > 1 && tick(k - 1) >= max) k--;
  while (tick(k) < max) k++;
  return Array.from({ length: k + 1 }, (_, i) => tick(i));
}

/** Integer percentages that add up to exactly 100 (largest remainder), so the printed shares never total 99 or 101. */
export function percentages(values: number[]): number[] {
  const vs = values.map(drawable);
  const total = vs.reduce((a, b) => a + b, 0);
  if (total === 0) return vs.map(() => 0);
  const exact = vs.map((v) => (v / total) * 100);
  const out = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let left = 100 - out.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) out[order[j]!.i]! += 1;
  return out;
}

function Empty({ id, text }: { id: string; text: string }) {
  return (
    <figure class="chart chart-empty" id={id}>
      <p class="chart-empty-text">{text}</p>
    </figure>
  );
}

interface FrameProps {
  id: string;
  title: string;
  description: string;
  kind: string;
  height: number;
  children: ComponentChildren;
  legend?: ComponentChildren;
}

function Frame({ id, title, description, kind, height, children, legend }: FrameProps) {
  return (
    <figure class={`chart chart-${kind}`} id={id}>
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${W} ${r2(height)}`}
        width="100%"
        font-size={FONT}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
      {legend}
    </figure>
  );
}

// Links inside a role="img" picture are hidden from screen readers, so they are kept out of the tab order
// too; keyboard and screen-reader users follow the same links in the table next to the chart.
function MaybeLink({ href, children }: { href: string | undefined; children: ComponentChildren }) {
  return href ? (
    <a href={href} tabindex={-1}>
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

function Swatch({ colorClass }: { colorClass: string }) {
  return (
    <svg class="chart-swatch" aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="16" height="16">
      <rect class={colorClass} x="0.5" y="0.5" width="15" height="15" />
    </svg>
  );
}

export interface HBarRow {
  label: string;
  value: number;
  /** Drill-down target; the whole row becomes the link. */
  href?: string;
  /** E.g. the viewer's own unit: bold label, a tinted band and another bar colour. */
  highlight?: boolean;
}

export interface HBarChartProps extends ChartBase {
  rows: HBarRow[];
  /** Value of a full-length bar (100 for percentages); default the largest value. */
  max?: number;
  /** Appended as is to each value, so include any space: '%' or ' hồ sơ'. */
  unit?: string;
}

const ROW_H = 34;
const BAR_H = 24;
const PAD = 6;

/** Horizontal bars, one row per item, label on the left and the value at the end of the bar. */
export function HBarChart({ id, title, description, emptyText, rows, max, format = String, unit = '' }: HBarChartProps) {
  if (rows.length === 0) return <Empty id={id} text={emptyText} />;
  const items = rows.map((row) => ({ ...row, short: truncate(row.label), text: `${format(row.value)}${unit}` }));
  const top = max !== undefined && Number.isFinite(max) && max > 0 ? max : items.reduce((m, row) => Math.max(m, drawable(row.value)), 0);
  const labelW = Math.min(LABEL_CHARS * CHAR_W, Math.max(...items.map((row) => textWidth(row.short)))) + 12;
  const valueW = Math.min(W / 4, Math.max(...items.map((row) => textWidth(row.text)))) + 12;
  const barMax = W - labelW - valueW;
  const height = items.length * ROW_H + 2 * PAD;
  return (
    <Frame id={id} title={title} description={description} kind="hbar" height={height}>
      {items.map((row, i) => {
        const w = top > 0 ? (Math.min(drawable(row.value), top) / top) * barMax : 0;
        const y = PAD + i * ROW_H;
        const mid = y + ROW_H / 2;
        return (
          <g key={i} class={row.highlight ? 'chart-row is-highlight' : 'chart-row'}>
            <title>{`${row.label}: ${row.text}`}</title>
            {row.highlight && <rect class="chart-band" x="0" y={y} width={W} height={ROW_H} />}
            <MaybeLink href={row.href}>
              {/* Makes the whole row, gaps included, a click target: easier for unsteady hands. */}
              {row.href && <rect class="chart-hit" x="0" y={y} width={W} height={ROW_H} fill="transparent" />}
              <text class="chart-label" x="0" y={mid} dy="0.35em">
                {row.short}
              </text>
              {w > 0 && (
                <rect
                  class={`chart-bar ${row.highlight ? 'chart-highlight' : 'chart-s1'}`}
                  x={r2(labelW)}
                  y={mid - BAR_H / 2}
                  width={r2(w)}
                  height={BAR_H}
                />
              )}
              <text class="chart-value" x={r2(labelW + w + 6)} y={mid} dy="0.35em">
                {row.text}
              </text>
            </MaybeLink>
          </g>
        );
      })}
    </Frame>
  );
}

export interface StackedSeries {
  key: string;
  label: string;
  /** One value per category, in the order of `categories`. */
  values: number[];
  /** chart-s1..chart-s6 or a semantic class: chart-early, chart-ontime, chart-late, chart-open. */
  colorClass: string;
}

export interface StackedBarChartProps extends ChartBase {
  categories: string[];
  /** Stacked bottom to top in this order; the legend lists them in the same order. */
  series: StackedSeries[];
  /** Drill-down links laid out like the values: hrefs[seriesIndex][categoryIndex]. */
  hrefs?: (string | undefined)[][];
}

const S_TOP = 30;
const S_PLOT = 240;
const LINE = FONT * 1.35;

/** Vertical stacked columns (e.g. per month: early / on time / late) with round y-axis ticks and a text legend. */
export function StackedBarChart({ id, title, description, emptyText, categories, series, hrefs, format = String }: StackedBarChartProps) {
  const n = categories.length;
  const totals = categories.map((_, c) => series.reduce((sum, s) => sum + drawable(s.values[c] ?? 0), 0));
  const maxTotal = Math.max(0, ...totals);
  if (n === 0 || series.length === 0 || maxTotal === 0) return <Empty id={id} text={emptyText} />;

  const counts = series.every((s) => s.values.every((v) => !Number.isFinite(v) || Number.isInteger(v)));
  const ticks = niceTicks(maxTotal, 5, counts ? 1 : 0);
  const top = ticks[ticks.length - 1]!;
  const tickText = ticks.map(format);
  const left = Math.max(...tickText.map(textWidth)) + 12;
  const slot = (W - left - 8) / n;
  const colW = Math.min(slot * 0.62, 64);
  // Labels stay horizontal (rotated text is hard to read); when they do not fit side by side they alternate
  // between two lines, and only if even that is too narrow are they shortened (full text in a tooltip).
  const stagger = Math.max(...categories.map(textWidth)) > slot - 6;
  const fitChars = stagger ? Math.max(3, Math.floor((2 * slot - 6) / CHAR_W)) : Infinity;
  const showTotals = Math.max(...totals.map((t) => textWidth(format(t)))) <= slot - 4;
  const base = S_TOP + S_PLOT;
  const height = base + (stagger ? 2 : 1) * LINE + 10;
  const yOf = (v: number) => base - (v / top) * S_PLOT;

  return (
    <Frame
      id={id}
      title={title}
      description={description}
      kind="stacked"
      height={height}
      legend={
        <ul class="chart-legend">
          {series.map((s) => (
            <li key={s.key}>
              <Swatch colorClass={s.colorClass} />
              {s.label}
            </li>
          ))}
        </ul>
      }
    >
      {ticks.map((t, i) => (
        <g key={`t${i}`}>
          {t > 0 && <line class="chart-grid" x1={r2(left)} x2={W - 8} y1={r2(yOf(t))} y2={r2(yOf(t))} />}
          <text class="chart-tick" x={r2(left - 8)} y={r2(yOf(t))} dy="0.35em" textAnchor="end">
            {tickText[i]}
          </text>
        </g>
      ))}
      {categories.map((cat, c) => {
        const x = left + c * slot + (slot - colW) / 2;
        const cx = r2(left + c * slot + slot / 2);
        let cum = 0;
        const short = truncate(cat, fitChars);
        return (
          <g key={`c${c}`} class="chart-column">
            {series.map((s, si) => {
              const raw = s.values[c] ?? 0;
              const v = drawable(raw);
              if (v === 0) return null;
              const y = yOf(cum + v);
              cum += v;
              return (
                <MaybeLink key={s.key} href={hrefs?.[si]?.[c]}>
                  <rect class={`chart-seg ${s.colorClass}`} x={r2(x)} y={r2(y)} width={r2(colW)} height={r2((v / top) * S_PLOT)}>
                    <title>{`${cat} – ${s.label}: ${format(raw)}`}</title>
                  </rect>
                </MaybeLink>
              );
            })}
            {showTotals && totals[c]! > 0 && (
              <text class="chart-total" x={cx} y={r2(yOf(totals[c]!) - 8)} textAnchor="middle">
                {format(totals[c]!)}
              </text>
            )}
            <text
              class="chart-category"
              x={r2(Math.min(Math.max(cx, textWidth(short) / 2), W - textWidth(short) / 2))}
              y={r2(base + LINE * (stagger && c % 2 === 1 ? 2 : 1))}
              textAnchor="middle"
            >
              {short !== cat && <title>{cat}</title>}
              {short}
            </text>
          </g>
        );
      })}
      {/* After the columns, so their white separators do not cut the baseline. */}
      <line class="chart-axis" x1={r2(left)} x2={W - 8} y1={base} y2={base} />
    </Frame>
  );
}

export interface SharePart {
  label: string;
  value: number;
  colorClass: string;
}

export interface ShareBarProps extends ChartBase {
  parts: SharePart[];
}

const SHARE_H = 40;

/** One 100% bar split into shares (e.g. online / in person / post), percentages printed on it and in the legend. */
export function ShareBar({ id, title, description, emptyText, parts, format = String }: ShareBarProps) {
  const total = parts.reduce((sum, p) => sum + drawable(p.value), 0);
  if (total === 0) return <Empty id={id} text={emptyText} />;
  const pct = percentages(parts.map((p) => p.value));
  // A share that rounds to 0 is still there: say so rather than print a misleading 0%.
  const pctText = parts.map((p, i) => (pct[i] === 0 && drawable(p.value) > 0 ? '<1%' : `${pct[i]}%`));
  let x = 0;
  return (
    <Frame
      id={id}
      title={title}
      description={description}
      kind="sharebar"
      height={SHARE_H + 4}
      legend={
        <ul class="chart-legend">
          {parts.map((p, i) => (
            <li key={i}>
              <Swatch colorClass={p.colorClass} />
              {`${p.label}: ${pctText[i]} (${format(p.value)})`}
            </li>
          ))}
        </ul>
      }
    >
      {parts.map((p, i) => {
        const v = drawable(p.value);
        if (v === 0) return null;
        const w = (v / total) * W;
        const x0 = x;
        x += w;
        return (
          <g key={i}>
            <rect class={`chart-part ${p.colorClass}`} x={r2(x0)} y="2" width={r2(w)} height={SHARE_H}>
              <title>{`${p.label}: ${pctText[i]} (${format(p.value)})`}</title>
            </rect>
            {w >= textWidth(pctText[i]!) + 12 && (
              <text class="chart-on-fill" x={r2(x0 + w / 2)} y={2 + SHARE_H / 2} dy="0.35em" textAnchor="middle">
                {pctText[i]}
              </text>
            )}
          </g>
        );
      })}
    </Frame>
  );
}
