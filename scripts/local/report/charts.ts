/**
 * Small server-side SVG charts for the demo report. Every mark carries its figure in `data-value` (and its label
 * in `data-label`), so a browser test can compare what is drawn with the JSON files it came from.
 */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Bar {
  readonly label: string;
  readonly value: number;
}

/** Horizontal bars, one per label, scaled to the largest value. */
export function barChart(id: string, bars: readonly Bar[], options: { readonly unit?: string; readonly color?: string } = {}): string {
  const rowHeight = 22;
  const labelWidth = 190;
  const barWidth = 360;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const w = Math.max(1, Math.round((b.value / max) * barWidth));
    const y = i * rowHeight;
    return `<g class="mark" data-label="${escapeHtml(b.label)}" data-value="${b.value}"><text x="0" y="${y + 15}">${escapeHtml(b.label)}</text><rect x="${labelWidth}" y="${y + 3}" width="${w}" height="16" fill="${options.color ?? '#4a7bb7'}"/><text x="${labelWidth + w + 6}" y="${y + 15}">${b.value.toLocaleString('en-US')}${options.unit ?? ''}</text></g>`;
  });
  const height = Math.max(rowHeight, bars.length * rowHeight);
  return `<svg class="chart" id="${id}" xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">${rows.join('')}</svg>`;
}

export interface GanttTask {
  readonly label: string;
  readonly startS: number;
  readonly seconds: number;
  readonly failed: boolean;
}

/** A Gantt chart of states on a time axis in seconds. */
export function ganttChart(id: string, tasks: readonly GanttTask[]): string {
  const rowHeight = 22;
  const labelWidth = 220;
  const plotWidth = 560;
  const end = Math.max(1, ...tasks.map((t) => t.startS + t.seconds));
  const x = (s: number) => labelWidth + (s / end) * plotWidth;
  const rows = tasks.map((t, i) => {
    const y = 20 + i * rowHeight;
    const w = Math.max(2, x(t.startS + t.seconds) - x(t.startS));
    return `<g class="mark" data-label="${escapeHtml(t.label)}" data-value="${t.seconds}" data-start="${t.startS}"><text x="0" y="${y + 14}">${escapeHtml(t.label)}</text><rect x="${x(t.startS).toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="16" fill="${t.failed ? '#c0392b' : '#2e8b57'}"><title>${escapeHtml(t.label)}: ${t.seconds.toFixed(1)} s from +${t.startS.toFixed(1)} s</title></rect></g>`;
  });
  const ticks = Array.from({ length: 6 }, (_, i) => (end * i) / 5).map(
    (s) =>
      `<line x1="${x(s)}" y1="16" x2="${x(s)}" y2="${20 + tasks.length * rowHeight}" stroke="#ddd"/><text x="${x(s) - 8}" y="12">${s.toFixed(0)} s</text>`,
  );
  return `<svg class="chart" id="${id}" xmlns="http://www.w3.org/2000/svg" width="${labelWidth + plotWidth + 20}" height="${30 + tasks.length * rowHeight}" font-family="sans-serif" font-size="12">${ticks.join('')}${rows.join('')}</svg>`;
}
