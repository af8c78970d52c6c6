// Hand-made SVG charts: three chart shapes do not justify a charting dependency, and plain SVG
// renders on GitHub and in any browser.

const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948"];
const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\"";

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChartOptions {
  title: string;
  /** Axis label for the values, e.g. "ms". */
  unit: string;
  categories: string[];
  series: BarSeries[];
  width?: number;
  height?: number;
  /** Digits shown in the value labels. */
  digits?: number;
}

export interface LineSeries {
  name: string;
  points: [number, number][];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
}

function esc(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(v: number, digits?: number): string {
  if (!Number.isFinite(v)) return "–";
  if (digits !== undefined) return v.toFixed(digits);
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/** Round `max` up to 1, 2 or 5 × 10^k and return evenly spaced ticks from 0. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function frame(width: number, height: number, title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`,
    body,
    "</svg>",
    "",
  ].join("\n");
}

/** Approximate width of one character at font-size 12, for layout only. */
const CHAR_W = 7.5;

/** Splits a long category name after hyphens/spaces so neighbouring labels do not overlap. */
function wrapLabel(label: string, maxChars: number): string[] {
  if (label.length <= maxChars) return [label];
  const parts = label.split(/(?<=[-\s])/);
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    if (line && (line + part).length > maxChars) {
      lines.push(line.trimEnd());
      line = part;
    } else line += part;
  }
  if (line) lines.push(line.trimEnd());
  return lines;
}

function legendWidth(names: string[]): number {
  // 16 gap + 12 swatch + 6 gap before the text, and some air after it.
  return 16 + 18 + CHAR_W * Math.max(0, ...names.map((n) => n.length)) + 24;
}

function legend(names: string[], x: number, y: number): string {
  return names
    .map((name, i) => {
      const ly = y + i * 18;
      const color = PALETTE[i % PALETTE.length];
      return `<rect x="${x}" y="${ly - 10}" width="12" height="12" fill="${color}"/><text x="${x + 18}" y="${ly}">${esc(name)}</text>`;
    })
    .join("\n");
}

/** One format for a whole axis, with as many decimals as its step needs. */
function tickFormatter(ticks: number[]): (v: number) => string {
  const step = (ticks[1] ?? 1) - (ticks[0] ?? 0);
  const decimals = step > 0 ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : 0;
  const extra = step > 0 && !Number.isInteger(Number((step * 10 ** decimals).toFixed(6))) ? 1 : 0;
  return (v) => v.toFixed(decimals + extra);
}

function yAxis(ticks: number[], scale: (v: number) => number, left: number, right: number) {
  const label = tickFormatter(ticks);
  return ticks
    .map((t) => {
      const y = scale(t).toFixed(1);
      return `<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/><text x="${left - 6}" y="${Number(y) + 4}" text-anchor="end" fill="#555">${label(t)}</text>`;
    })
    .join("\n");
}

/** Grouped vertical bars: one group per category, one bar per series, value on each bar. */
export function barChart(o: BarChartOptions): string {
  const multi = o.series.length > 1;
  const legendW = multi ? legendWidth(o.series.map((s) => s.name)) : 20;
  const width =
    o.width ?? Math.max(520, 84 + legendW + o.categories.length * (40 + 26 * o.series.length));
  const height = o.height ?? 380;
  const left = 64;
  const right = width - legendW;
  const top = 44;
  const bottom = height - 70;
  const max = Math.max(0, ...o.series.flatMap((s) => s.values.filter(Number.isFinite)));
  const ticks = niceTicks(max);
  const top_ = ticks.at(-1) ?? 1;
  const y = (v: number) => bottom - (Math.max(0, v) / top_) * (bottom - top);
  const groupW = (right - left) / Math.max(1, o.categories.length);
  const barW = Math.min(48, (groupW * 0.8) / o.series.length);
  const parts: string[] = [yAxis(ticks, y, left, right)];
  o.categories.forEach((cat, ci) => {
    const gx = left + ci * groupW + (groupW - barW * o.series.length) / 2;
    o.series.forEach((s, si) => {
      const v = s.values[ci] ?? Number.NaN;
      const x = gx + si * barW;
      const color = PALETTE[si % PALETTE.length];
      if (Number.isFinite(v)) {
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(bottom - y(v)).toFixed(1)}" fill="${color}"><title>${esc(`${cat} ${s.name}: ${fmt(v, o.digits)} ${o.unit}`)}</title></rect>`,
          `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${fmt(v, o.digits)}</text>`,
        );
      }
    });
    const cx = (left + ci * groupW + groupW / 2).toFixed(1);
    const lines = wrapLabel(cat, Math.floor(groupW / CHAR_W));
    parts.push(
      `<text x="${cx}" y="${bottom + 18}" text-anchor="middle">${lines
        .map((l, li) => `<tspan x="${cx}" dy="${li ? 14 : 0}">${esc(l)}</tspan>`)
        .join("")}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`,
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(o.unit)}</text>`,
  );
  if (multi)
    parts.push(
      legend(
        o.series.map((s) => s.name),
        right + 16,
        top + 12,
      ),
    );
  return frame(width, height, o.title, parts.join("\n"));
}

/** Lines with markers over a shared linear x axis (e.g. documents indexed vs build seconds). */
export function lineChart(o: LineChartOptions): string {
  const legendW = legendWidth(o.series.map((s) => s.name));
  const width = o.width ?? 500 + legendW;
  const height = o.height ?? 400;
  const left = 70;
  const right = width - legendW;
  const top = 44;
  const bottom = height - 56;
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const xTicks = niceTicks(Math.max(0, ...xs));
  const yTicks = niceTicks(Math.max(0, ...ys));
  const xMax = xTicks.at(-1) ?? 1;
  const yMax = yTicks.at(-1) ?? 1;
  const sx = (v: number) => left + (v / xMax) * (right - left);
  const sy = (v: number) => bottom - (v / yMax) * (bottom - top);
  const parts: string[] = [yAxis(yTicks, sy, left, right)];
  const xLabel = tickFormatter(xTicks);
  for (const t of xTicks) {
    parts.push(
      `<text x="${sx(t).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#555">${xLabel(t)}</text>`,
    );
  }
  o.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.points.filter((p) => Number.isFinite(p[1])).sort((a, b) => a[0] - b[0]);
    if (pts.length === 0) return;
    const path = pts.map((p, j) => `${j ? "L" : "M"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`);
    parts.push(`<path d="${path.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const [x, yv] of pts) {
      parts.push(
        `<circle cx="${sx(x).toFixed(1)}" cy="${sy(yv).toFixed(1)}" r="3.5" fill="${color}"><title>${esc(`${s.name}: ${fmt(x)} → ${fmt(yv)}`)}</title></circle>`,
      );
    }
  });
  parts.push(
    `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#333"/>`,
    `<text x="${(left + right) / 2}" y="${height - 16}" text-anchor="middle" fill="#333">${esc(o.xLabel)}</text>`,
    `<text transform="translate(18 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(o.yLabel)}</text>`,
    legend(
      o.series.map((s) => s.name),
      right + 16,
      top + 12,
    ),
  );
  return frame(width, height, o.title, parts.join("\n"));
}
