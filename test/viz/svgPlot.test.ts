import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scatterSvg, lineChartSvg, panelsSvg, niceTicks, formatTick, escapeXml, categoricalColor } from '../../src/viz/svgPlot.js';
import { VaekitError } from '../../src/errors.js';

const count = (svg: string, cls: string) => svg.split(`class="${cls}"`).length - 1;

/** Cheap XML well-formedness check: balanced tags, quoted attributes, only known entities, one root. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  const text = xml.replace(/<([^>]*)>/g, (_, inner: string) => {
    if (inner.startsWith('?')) return '';
    const close = /^\/([\w:-]+)\s*$/.exec(inner);
    if (close) {
      assert.equal(stack.pop(), close[1], `closing </${close[1]}> matches its opening tag`);
      return '';
    }
    const open = /^([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)$/.exec(inner);
    assert.ok(open, `well-formed tag <${inner.slice(0, 80)}>`);
    for (const [, v] of open[2].matchAll(/="([^"]*)"/g)) assert.doesNotMatch(v, /&(?!(amp|lt|gt|quot|apos);)/);
    if (stack.length === 0) roots++;
    if (!open[3]) stack.push(open[1]);
    return '';
  });
  assert.equal(stack.length, 0, 'all tags closed');
  assert.equal(roots, 1, 'one root element');
  assert.doesNotMatch(text, /[<>]|&(?!(amp|lt|gt|quot|apos);)/, 'text has no raw < > &');
}

/** Values of the ticks on one axis, from their data-value attributes, and their label texts. */
function ticks(svg: string, axis: 'x' | 'y'): { values: number[]; labels: string[] } {
  const re = new RegExp(`<g class="tick" data-axis="${axis}" data-value="([^"]+)">.*?<text[^>]*>([^<]*)</text></g>`, 'g');
  const m = [...svg.matchAll(re)];
  return { values: m.map((x) => Number(x[1])), labels: m.map((x) => x[2]) };
}

const xs = [-3.2, 0.5, 1, 2.7, 4.1, -1];
const ys = [10, 12.5, 11, 17, 9.5, 14];
const labels = [3, 0, 3, 7, 0, 3];

test('scatterSvg draws one point per input, one legend item per distinct label', () => {
  const svg = scatterSvg({ x: xs, y: ys, labels: Uint8Array.from(labels), labelNames: ['zero', '', '', 'three'] }, { title: 't' });
  assert.equal(count(svg, 'point'), xs.length);
  assert.equal(count(svg, 'legend-item'), 3);
  assert.match(svg, />zero<\/text>/);
  assert.match(svg, />three<\/text>/);
  assert.match(svg, />7<\/text>/, 'unnamed label falls back to its number');
  // each point's fill is its label's palette colour, in input order
  const fills = [...svg.matchAll(/<circle class="point"[^>]*fill="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(fills, labels.map(categoricalColor));
  assertWellFormedXml(svg);
});

test('scatterSvg is a standalone SVG with size, viewBox and namespace', () => {
  const svg = scatterSvg({ x: xs, y: ys }, { width: 500, height: 300 });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="500" height="300" viewBox="0 0 500 300"/);
  assert.equal(count(svg, 'legend-item'), 0, 'no labels, no legend');
  assertWellFormedXml(svg);
});

test('ticks are nice numbers inside the (padded) data range, labelled with their value', () => {
  const svg = scatterSvg({ x: xs, y: ys, labels }, {});
  for (const [axis, data] of [['x', xs], ['y', ys]] as const) {
    const t = ticks(svg, axis);
    assert.ok(t.values.length >= 3, `${axis}: at least 3 ticks, got ${t.values.length}`);
    const [lo, hi] = [Math.min(...data), Math.max(...data)];
    const pad = 0.04 * (hi - lo);
    for (const [i, v] of t.values.entries()) {
      assert.ok(v >= lo - pad && v <= hi + pad, `${axis} tick ${v} within [${lo - pad}, ${hi + pad}]`);
      assert.equal(Number(t.labels[i]), v, `label "${t.labels[i]}" says ${v}`);
    }
  }
});

test('scatter points sit where the axes say: tick pixel positions map linearly to point positions', () => {
  const svg = scatterSvg({ x: [0, 10], y: [0, 10] }, {});
  const tickPx = [...svg.matchAll(/data-axis="x" data-value="([^"]+)"><line class="grid" x1="([^"]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const [[v0, p0], [v1, p1]] = [tickPx[0], tickPx[tickPx.length - 1]];
  const cx = [...svg.matchAll(/class="point" cx="([^"]+)"/g)].map((m) => Number(m[1]));
  cx.forEach((c, i) => assert.ok(Math.abs(c - (p0 + ((i * 10 - v0) * (p1 - p0)) / (v1 - v0))) < 0.02));
});

test('text is escaped and control characters replaced', () => {
  const svg = scatterSvg({ x: xs, y: ys, labels, labelNames: ['a&b', '', '', '<c>', '', '', '', '"d"'] }, {
    title: 'KL < 5 & "β" \u0001',
    xLabel: "z'1",
    yLabel: '<script>',
  });
  assert.ok(svg.includes('KL &lt; 5 &amp; &quot;β&quot; \ufffd'));
  assert.ok(svg.includes('z&apos;1') && svg.includes('&lt;script&gt;') && svg.includes('a&amp;b'));
  assert.ok(!svg.includes('<script>') && !svg.includes('<c>'));
  assertWellFormedXml(svg);
  assert.equal(escapeXml('a < b & "c"'), 'a &lt; b &amp; &quot;c&quot;');
});

test('output is deterministic', () => {
  const a = scatterSvg({ x: xs, y: ys, labels }, { title: 'x' });
  assert.equal(scatterSvg({ x: xs, y: ys, labels }, { title: 'x' }), a);
  const epochs = [1, 2, 3];
  assert.equal(lineChartSvg([{ name: 'a', x: epochs, y: [3, 2, 1] }]), lineChartSvg([{ name: 'a', x: epochs, y: [3, 2, 1] }]));
});

test('scatterSvg rejects mismatched lengths, non-finite points and bad labels', () => {
  assert.throws(() => scatterSvg({ x: [1, 2], y: [1] }), (e) => e instanceof VaekitError && /one of each per point/.test(e.message));
  assert.throws(() => scatterSvg({ x: [1, NaN], y: [1, 2] }), (e) => e instanceof VaekitError && /point 1/.test(e.message));
  assert.throws(() => scatterSvg({ x: [1, 2], y: [1, 2], labels: [0, 1.5] }), VaekitError);
  assert.throws(() => scatterSvg({ x: [], y: [] }), VaekitError);
});

test('lineChartSvg: one path and legend item per series, dashes, gaps at NaN, integer epoch ticks', () => {
  const epochs = [1, 2, 3, 4, 5, 6, 7];
  const svg = lineChartSvg(
    [
      { name: 'train −ELBO', x: epochs, y: [300, 200, 150, 130, 120, 115, 112] },
      { name: 'test −ELBO', x: epochs, y: [310, 210, NaN, 140, 131, 127, 125], dashed: true },
    ],
    { title: 'loss', xLabel: 'epoch', yLabel: 'nats' },
  );
  assert.equal(count(svg, 'series'), 2);
  assert.equal(count(svg, 'legend-item'), 2);
  assert.equal(count(svg, 'marker'), 13, 'a dot per finite point');
  const paths = [...svg.matchAll(/class="series" d="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(paths[0].split('M').length - 1, 1);
  assert.equal(paths[1].split('M').length - 1, 2, 'NaN splits the test curve');
  assert.match(svg, /stroke-dasharray="6 4"/);
  const xt = ticks(svg, 'x');
  assert.ok(xt.values.length >= 2 && xt.values.every(Number.isInteger), `integer epoch ticks: ${xt.values}`);
  const yt = ticks(svg, 'y');
  assert.ok(yt.values.every((v) => v >= 112 - 11 && v <= 310 + 11));
  assertWellFormedXml(svg);
});

test('lineChartSvg errors name the series', () => {
  assert.throws(() => lineChartSvg([{ name: 'kl', x: [1, 2], y: [1] }]), (e) => e instanceof VaekitError && /"kl"/.test(e.message));
  assert.throws(() => lineChartSvg([{ name: 'nan', x: [1, 2], y: [NaN, NaN] }]), VaekitError);
  assert.throws(() => lineChartSvg([]), VaekitError);
});

test('panelsSvg places charts side by side and wraps after cols', () => {
  const c = lineChartSvg([{ name: 'a', x: [1, 2], y: [1, 2] }], { width: 300, height: 200 });
  const row = panelsSvg([c, c, c]);
  assert.match(row, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="200" viewBox="0 0 900 200">/);
  assert.equal(row.split('<svg').length - 1, 4);
  assert.match(row, /<svg x="600" y="0" xmlns/);
  const grid = panelsSvg([c, c, c], { cols: 2, gap: 10 });
  assert.match(grid, /width="610" height="410"/);
  assert.match(grid, /<svg x="0" y="210" xmlns/);
  assertWellFormedXml(grid);
  assert.throws(() => panelsSvg(['<g/>']), VaekitError);
});

test('niceTicks picks 1-2-5 steps inside the domain; formatTick fits decimals to the step', () => {
  assert.deepEqual(niceTicks(0, 1, 5).values, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-0.31, 0.31, 6).labels, ['-0.3', '-0.2', '-0.1', '0.0', '0.1', '0.2', '0.3']);
  assert.deepEqual(niceTicks(1, 30, 5).values, [5, 10, 15, 20, 25, 30]);
  assert.deepEqual(niceTicks(97, 553, 5).values, [100, 200, 300, 400, 500]);
  assert.deepEqual(niceTicks(1e-5, 3e-5, 4).labels, ['1.0e-5', '1.5e-5', '2.0e-5', '2.5e-5', '3.0e-5']);
  assert.equal(formatTick(0.25, 0.05), '0.25');
  assert.equal(formatTick(2e6, 1e6), '2e+6');
  assert.throws(() => niceTicks(1, 1, 5), VaekitError);
});
