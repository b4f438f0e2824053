import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderToString } from 'preact-render-to-string';
import { HBarChart, ShareBar, StackedBarChart, niceTicks, percentages, truncate } from './charts.js';

const vi = new Intl.NumberFormat('vi-VN').format;
const EMPTY = 'Chưa có số liệu';

type Tag = Record<string, string>;
/** The attributes of every `<name ...>` opening tag, in document order. */
function tags(html: string, name: string): Tag[] {
  return [...html.matchAll(new RegExp(`<${name}(\\s[^>]*)?>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}
const withClass = (ts: Tag[], cls: string) => ts.filter((t) => (t.class ?? '').split(' ').includes(cls));
const num = (t: Tag, attr: string) => Number(t[attr]);

function assertAccessible(html: string, id: string, title: string, desc: string): void {
  const [svg] = tags(html, 'svg');
  assert.equal(svg!.role, 'img');
  assert.equal(svg!['aria-labelledby'], `${id}-title ${id}-desc`);
  assert.match(svg!.viewBox!, /^0 0 640 [\d.]+$/);
  assert.equal(svg!.width, '100%');
  // The layout reserves room for text at this size; the CSS only supplies the family (font: inherit).
  assert.equal(svg!['font-size'], '16');
  assert.ok(html.includes(`<title id="${id}-title">${title}</title>`), 'title first, with its id');
  assert.ok(html.includes(`<desc id="${id}-desc">${desc}</desc>`), 'desc with its id');
  assert.ok(html.indexOf(`<title id="${id}-title">`) < html.indexOf(`<desc id="${id}-desc">`));
}

const districts = [
  { label: 'Quận Ba Đình', value: 50 },
  { label: 'Quận Hoàn Kiếm', value: 100, href: '/stats/hk', highlight: true },
  { label: 'Huyện Thanh Trì', value: 25, href: '/stats/tt' },
  { label: 'Huyện Mê Linh', value: 0 },
];

describe('HBarChart', () => {
  const html = renderToString(
    <HBarChart id="ontime" title="Tỷ lệ đúng hạn" description="Hoàn Kiếm cao nhất." rows={districts} unit="%" emptyText={EMPTY} />,
  );

  test('is an image labelled by its title and description', () => {
    assertAccessible(html, 'ontime', 'Tỷ lệ đúng hạn', 'Hoàn Kiếm cao nhất.');
  });

  test('bar widths are proportional to the values; zero draws no bar but keeps its label and value', () => {
    const bars = withClass(tags(html, 'rect'), 'chart-bar');
    assert.equal(bars.length, 3);
    const [w50, w100, w25] = bars.map((b) => num(b, 'width'));
    assert.ok(Math.abs(w100! / w50! - 2) < 0.01 && Math.abs(w100! / w25! - 4) < 0.01, `${w50} ${w100} ${w25}`);
    assert.ok(bars.every((b) => num(b, 'x') + num(b, 'width') <= 640));
    assert.ok(html.includes('Huyện Mê Linh</text>') && html.includes('>0%</text>'));
  });

  test('max sets the full-length value', () => {
    const rows = [{ label: 'A', value: 50 }];
    const full = withClass(
      tags(renderToString(<HBarChart id="a" title="t" description="d" rows={rows} emptyText={EMPTY} />), 'rect'),
      'chart-bar',
    );
    const half = withClass(
      tags(renderToString(<HBarChart id="a" title="t" description="d" rows={rows} max={100} emptyText={EMPTY} />), 'rect'),
      'chart-bar',
    );
    assert.ok(Math.abs(num(full[0]!, 'width') / num(half[0]!, 'width') - 2) < 0.01);
  });

  test('rows with an href are links, kept out of the tab order (the table carries them)', () => {
    const links = tags(html, 'a');
    assert.deepEqual(
      links.map((a) => a.href),
      ['/stats/hk', '/stats/tt'],
    );
    assert.ok(links.every((a) => a.tabindex === '-1'));
  });

  test('highlighted row is marked by class, not colour alone', () => {
    assert.equal(withClass(tags(html, 'g'), 'is-highlight').length, 1);
    assert.equal(withClass(tags(html, 'rect'), 'chart-highlight').length, 1);
  });

  test('long labels are shortened with an ellipsis and kept whole in the row title', () => {
    const long = 'Ủy ban nhân dân phường Nguyễn Trung Trực, quận Ba Đình';
    const out = renderToString(
      <HBarChart id="l" title="t" description="d" rows={[{ label: long, value: 3 }]} format={vi} emptyText={EMPTY} />,
    );
    const short = truncate(long);
    assert.equal([...short].length, 28);
    assert.ok(short.endsWith('…'));
    assert.ok(out.includes(`>${short}</text>`));
    assert.ok(out.includes(`<title>${long}: 3</title>`));
  });

  test('values go through the caller format; text is escaped by preact', () => {
    const out = renderToString(
      <HBarChart id="f" title="t" description="d" rows={[{ label: '<b>x</b>', value: 1234.5 }]} format={vi} emptyText={EMPTY} />,
    );
    assert.ok(out.includes('>1.234,5</text>'));
    assert.ok(!out.includes('<b>') && out.includes('&lt;b>'));
  });

  test('no rows shows the empty text instead of an svg', () => {
    const out = renderToString(<HBarChart id="e" title="t" description="d" rows={[]} emptyText={EMPTY} />);
    assert.ok(out.includes(EMPTY));
    assert.ok(!out.includes('<svg'));
  });
});

describe('StackedBarChart', () => {
  const months = ['T1', 'T2', 'T3'];
  const series = [
    { key: 'early', label: 'Trước hạn', values: [10, 0, 2000], colorClass: 'chart-early' },
    { key: 'ontime', label: 'Đúng hạn', values: [30, 20, 4000], colorClass: 'chart-ontime' },
    { key: 'late', label: 'Trễ hạn', values: [0, 5, 333], colorClass: 'chart-late' },
  ];
  // The late link of T1 points at a zero value: no segment, so no link.
  const hrefs = [[undefined, undefined, '/s/early/3'], [], ['/s/zero', '/s/late/2']];
  const html = renderToString(
    <StackedBarChart
      id="months"
      title="Kết quả giải quyết"
      description="Tháng 3 nhiều nhất."
      categories={months}
      series={series}
      hrefs={hrefs}
      format={vi}
      emptyText={EMPTY}
    />,
  );
  const segs = withClass(tags(html, 'rect'), 'chart-seg');

  test('is an image labelled by its title and description', () => {
    assertAccessible(html, 'months', 'Kết quả giải quyết', 'Tháng 3 nhiều nhất.');
  });

  test('zero values draw no segment; each segment has a title with label and formatted value', () => {
    assert.equal(segs.length, 7);
    assert.ok(html.includes('<title>T3 – Trước hạn: 2.000</title>'));
    assert.ok(html.includes('<title>T3 – Trễ hạn: 333</title>'));
    assert.ok(!html.includes('T1 – Trễ hạn'));
  });

  test('segment heights are proportional and stack without gaps', () => {
    const t3 = segs.slice(4);
    const [h2000, h4000, h333] = t3.map((s) => num(s, 'height'));
    assert.ok(Math.abs(h4000! / h2000! - 2) < 0.01 && Math.abs(h2000! / h333! - 2000 / 333) < 0.05);
    assert.ok(Math.abs(num(t3[1]!, 'y') + h4000! - num(t3[0]!, 'y')) < 0.02);
  });

  test('y axis ticks are round and formatted; legend is text with a swatch per series', () => {
    for (const t of ['0', '2.000', '4.000', '6.000', '8.000']) assert.ok(html.includes(`>${t}</text>`), t);
    assert.ok(html.includes('<ul class="chart-legend">'));
    for (const s of series)
      assert.ok(new RegExp(`<svg class="chart-swatch"[^]*?${s.colorClass}[^]*?</svg>${s.label}</li>`).test(html), s.key);
  });

  test('hrefs (series × category) become links around their segments', () => {
    assert.deepEqual(
      tags(html, 'a').map((a) => a.href),
      ['/s/late/2', '/s/early/3'],
    );
  });

  test('all-zero or missing data shows the empty text', () => {
    for (const props of [
      { categories: [], series },
      { categories: months, series: [] },
      { categories: months, series: series.map((s) => ({ ...s, values: [0, 0, 0] })) },
    ]) {
      const out = renderToString(<StackedBarChart id="e" title="t" description="d" {...props} emptyText={EMPTY} />);
      assert.ok(out.includes(EMPTY) && !out.includes('<svg'));
    }
  });

  test('many long category labels alternate over two lines and are shortened with a tooltip', () => {
    const cats = Array.from({ length: 12 }, (_, i) => `Tháng ${i + 1} năm 2025`);
    const out = renderToString(
      <StackedBarChart
        id="y"
        title="t"
        description="d"
        categories={cats}
        series={[{ key: 'a', label: 'A', values: cats.map(() => 1), colorClass: 'chart-s1' }]}
        emptyText={EMPTY}
      />,
    );
    const ys = new Set(withClass(tags(out, 'text'), 'chart-category').map((t) => t.y));
    assert.equal(ys.size, 2);
    assert.ok(out.includes('<title>Tháng 12 năm 2025</title>'));
  });
});

describe('ShareBar', () => {
  const parts = [
    { label: 'Trực tuyến', value: 1, colorClass: 'chart-s1' },
    { label: 'Trực tiếp', value: 1, colorClass: 'chart-s2' },
    { label: 'Bưu chính', value: 1, colorClass: 'chart-s3' },
    { label: 'Khác', value: 0, colorClass: 'chart-s4' },
  ];
  const html = renderToString(<ShareBar id="channels" title="Kênh nộp" description="Ngang nhau." parts={parts} emptyText={EMPTY} />);

  test('is an image labelled by its title and description', () => {
    assertAccessible(html, 'channels', 'Kênh nộp', 'Ngang nhau.');
  });

  test('shares fill the width in proportion; zero parts draw nothing; percentages add up to 100', () => {
    const rects = withClass(tags(html, 'rect'), 'chart-part');
    assert.equal(rects.length, 3);
    const total = rects.reduce((s, r) => s + num(r, 'width'), 0);
    assert.ok(Math.abs(total - 640) < 0.05);
    assert.ok(html.includes('Trực tuyến: 34% (1)') && html.includes('Bưu chính: 33% (1)') && html.includes('Khác: 0% (0)'));
  });

  test('a tiny share prints <1%, not 0%', () => {
    const out = renderToString(
      <ShareBar
        id="t"
        title="t"
        description="d"
        parts={[
          { label: 'A', value: 999, colorClass: 'chart-s1' },
          { label: 'B', value: 1, colorClass: 'chart-s2' },
        ]}
        format={vi}
        emptyText={EMPTY}
      />,
    );
    assert.ok(out.includes('B: &lt;1% (1)'));
    assert.ok(out.includes('A: 100% (999)'));
  });

  test('nothing to share shows the empty text', () => {
    const out = renderToString(
      <ShareBar id="e" title="t" description="d" parts={parts.map((p) => ({ ...p, value: 0 }))} emptyText={EMPTY} />,
    );
    assert.ok(out.includes(EMPTY) && !out.includes('<svg'));
  });
});

test('ids are unique across several charts on one page and every aria reference resolves', () => {
  const html = renderToString(
    <main>
      <HBarChart id="c1" title="a" description="b" rows={districts} emptyText={EMPTY} />
      <StackedBarChart
        id="c2"
        title="a"
        description="b"
        categories={['x']}
        series={[{ key: 'k', label: 'K', values: [1], colorClass: 'chart-s1' }]}
        emptyText={EMPTY}
      />
      <ShareBar id="c3" title="a" description="b" parts={[{ label: 'p', value: 1, colorClass: 'chart-s1' }]} emptyText={EMPTY} />
    </main>,
  );
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(new Set(ids).size, ids.length, ids.join(','));
  const refs = tags(html, 'svg').flatMap((s) => (s['aria-labelledby'] ?? '').split(' ').filter(Boolean));
  assert.equal(refs.length, 6);
  for (const ref of refs) assert.ok(ids.includes(ref), ref);
});

describe('niceTicks', () => {
  test('examples', () => {
    assert.deepEqual(niceTicks(6333, 5), [0, 2000, 4000, 6000, 8000]);
    assert.deepEqual(niceTicks(100, 5), [0, 25, 50, 75, 100]);
    assert.deepEqual(niceTicks(0.3, 4), [0, 0.1, 0.2, 0.3]);
    assert.deepEqual(niceTicks(3, 5, 1), [0, 1, 2, 3]);
    assert.deepEqual(niceTicks(7, 5, 1), [0, 2, 4, 6, 8]);
    assert.deepEqual(niceTicks(0, 5), [0, 1]);
  });

  test('properties: from 0, last >= max, ascending, evenly spaced by a round step, at most count ticks', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), fc.integer({ min: 2, max: 12 }), fc.boolean(), (max, count, counts) => {
        const ticks = niceTicks(counts ? Math.ceil(max) : max, count, counts ? 1 : 0);
        assert.equal(ticks[0], 0);
        assert.ok(ticks.length >= 2 && ticks.length <= count, `${ticks.length} > ${count}`);
        assert.ok(ticks[ticks.length - 1]! >= (counts ? Math.ceil(max) : max));
        const step = ticks[1]!;
        for (let i = 1; i < ticks.length; i++) {
          assert.ok(ticks[i]! > ticks[i - 1]!);
          assert.ok(Math.abs(ticks[i]! - ticks[i - 1]! - step) <= step * 1e-9);
        }
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
        assert.ok(
          [1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-9),
          `step ${step}`,
        );
        if (counts) assert.ok(ticks.every(Number.isInteger));
      }),
      { numRuns: 2000 },
    );
  });
});

test('percentages add up to 100 whenever anything is there', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 1e6 }), { minLength: 1, maxLength: 8 }), (vs) => {
      const p = percentages(vs);
      const sum = p.reduce((a, b) => a + b, 0);
      assert.equal(sum, vs.some((v) => v > 0) ? 100 : 0);
      assert.ok(p.every((x, i) => (x >= 0 && Math.abs(x - (vs[i]! / vs.reduce((a, b) => a + b, 0)) * 100) < 1 + 1e-9) || sum === 0));
    }),
  );
});
