/** One line of a chart: points are [epoch ms, value]. */
export interface Line {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Dashed (the baseline run in a comparison). */
  readonly dashed?: boolean;
}

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** At most `max` points: the mean of each bucket, so a long run draws as fast as a short one. */
function downsample(points: readonly (readonly [number, number])[], max: number): [number, number][] {
  if (points.length <= max) return points.map(([t, v]) => [t, v]);
  const size = Math.ceil(points.length / max);
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i += size) {
    const chunk = points.slice(i, i + size);
    out.push([chunk[0]?.[0] ?? 0, chunk.reduce((s, p) => s + p[1], 0) / chunk.length]);
  }
  return out;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

const fmt = (v: number) =>
  v >= 1000
    ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k`
    : Number.isInteger(v)
      ? String(v)
      : v.toFixed(v >= 100 ? 0 : 1);

/**
 * A line chart as inline SVG: axes, gridlines, labels and a legend, drawn at build time so the
 * report works offline with no script at all. Time is seconds from each line's own start, so two
 * runs overlay in a comparison.
 */
export function lineChart(
  title: string,
  unit: string,
  lines: readonly Line[],
  width = 560,
  height = 240,
): string {
  const pad = { left: 48, right: 12, top: 28, bottom: 44 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const drawn = lines
    .filter((l) => l.points.length > 0)
    .map((l) => {
      const start = l.points[0]?.[0] ?? 0;
      return { ...l, rel: downsample(l.points, 400).map(([t, v]) => [(t - start) / 1000, v] as const) };
    });
  const maxT = Math.max(1, ...drawn.flatMap((l) => l.rel.map(([t]) => t)));
  const maxV = niceMax(Math.max(0, ...drawn.flatMap((l) => l.rel.map(([, v]) => v))));
  const x = (t: number) => pad.left + (t / maxT) * w;
  const y = (v: number) => pad.top + h - (v / maxV) * h;
  const parts: string[] = [
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<text x="${pad.left}" y="16" class="title">${escapeHtml(title)}${unit ? ` (${escapeHtml(unit)})` : ''}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (maxV * i) / 4;
    parts.push(
      `<line x1="${pad.left}" x2="${pad.left + w}" y1="${y(v)}" y2="${y(v)}" class="grid"/>`,
      `<text x="${pad.left - 6}" y="${y(v) + 4}" class="tick" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const t = (maxT * i) / 4;
    parts.push(
      `<text x="${x(t)}" y="${pad.top + h + 16}" class="tick" text-anchor="middle">${fmt(t)}s</text>`,
    );
  }
  if (drawn.length === 0) {
    parts.push(
      `<text x="${pad.left + w / 2}" y="${pad.top + h / 2}" class="empty" text-anchor="middle">no data in this run</text>`,
    );
  }
  drawn.forEach((l, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const pts = l.rel.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(
      l.rel.length === 1
        ? `<circle cx="${x(l.rel[0]?.[0] ?? 0)}" cy="${y(l.rel[0]?.[1] ?? 0)}" r="3" fill="${colour}" class="series"/>`
        : `<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="1.8"${l.dashed ? ' stroke-dasharray="5 3"' : ''} class="series"/>`,
    );
    const lx = pad.left + i * 125;
    const ly = height - 14;
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${lx + 14}" y="${ly + 1}" class="legend">${escapeHtml(l.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
