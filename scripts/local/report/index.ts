/**
 * `.local/demo/report.html`: one self-contained page of what `make demo` did — stream reconciliation and quarantine
 * reasons, anomaly precision/recall, the batch timeline as a Gantt chart, quality-gate results per table, gold row
 * counts, the lineage graph, the cost estimate and a link to the dbt docs. Built from the JSON files the demo
 * steps write; an embedded check records what the browser drew (`body[data-render-check]`) for the browser test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CostEstimate } from '../../../lib/cost/estimate';
import type { GoldTrace, LineageGraph } from '../lineage/graph';
import { lineageSvg } from '../lineage/html';
import { barChart, escapeHtml, ganttChart } from './charts';

export interface StreamFigures {
  readonly recordsIn: number;
  readonly valid: number;
  readonly quarantined: number;
  readonly quarantinedByReason: Readonly<Record<string, number>>;
  readonly reconciled: boolean;
  readonly anomalies: Readonly<
    Record<string, { readonly injected: number; readonly found: number; readonly precision: number; readonly recall: number }>
  >;
}

export interface BatchFigures {
  readonly window: { readonly start: string; readonly end: string };
  readonly status: string;
  readonly tables: Readonly<
    Record<string, { readonly extracted: number; readonly staged: number; readonly quarantined: number; readonly loaded: number }>
  >;
  readonly gold: Readonly<Record<string, number>>;
  readonly timeline: readonly { readonly state: string; readonly startS?: number; readonly seconds: number; readonly status: string }[];
  readonly quality: readonly {
    readonly table: string;
    readonly score: number;
    readonly passed: boolean;
    readonly expectations: readonly { readonly name: string; readonly observed: number; readonly min?: number; readonly passed: boolean }[];
  }[];
}

export interface ReportInputs {
  readonly stream: StreamFigures;
  readonly batch: BatchFigures;
  readonly lineage?: { readonly graph: LineageGraph; readonly trace: GoldTrace };
  readonly cost?: { readonly environment: string; readonly estimate: CostEstimate };
  /** Link to the static dbt docs page, relative to the report. */
  readonly dbtDocsHref?: string;
  readonly generatedAt: string;
}

/** Runs in the browser after load: records each chart's drawn size and marks. */
const RENDER_CHECK = `<script>
window.addEventListener('load', () => {
  const charts = {};
  for (const svg of document.querySelectorAll('svg.chart, svg.lineage')) {
    const box = svg.getBoundingClientRect();
    const marks = [...svg.querySelectorAll('.mark')].map((g) => {
      const r = g.querySelector('rect').getBoundingClientRect();
      return { label: g.dataset.label, value: Number(g.dataset.value), drawn: r.width > 0 && r.height > 0 };
    });
    charts[svg.id || svg.getAttribute('class')] = { width: Math.round(box.width), height: Math.round(box.height), marks, nodes: svg.querySelectorAll('.node').length };
  }
  document.body.dataset.renderCheck = JSON.stringify(charts);
});
</script>`;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const section = (title: string, body: string) => `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[], id?: string) =>
  `<table${id ? ` id="${id}"` : ''}><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c.toLocaleString('en-US') : escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** The report page. */
export function renderReport(inputs: ReportInputs): string {
  const { stream, batch } = inputs;
  const reasons = Object.entries(stream.quarantinedByReason).sort(([, a], [, b]) => b - a);
  const anomalies = Object.entries(stream.anomalies);
  const oltp = Object.entries(batch.tables).filter(([t]) => batch.quality.some((q) => q.table === t));
  const parts = [
    section(
      'Stream: every record accounted for',
      `<p id="stream-reconciliation">${stream.recordsIn.toLocaleString('en-US')} records in = ${stream.valid.toLocaleString('en-US')} valid + ${stream.quarantined.toLocaleString('en-US')} quarantined: <strong>${stream.reconciled ? 'reconciled' : 'NOT reconciled'}</strong></p>` +
        barChart('chart-stream-reconciliation', [
          { label: 'records in', value: stream.recordsIn },
          { label: 'valid (staged)', value: stream.valid },
          { label: 'quarantined', value: stream.quarantined },
        ]) +
        '<h3>Quarantine reasons</h3>' +
        barChart(
          'chart-quarantine-reasons',
          reasons.map(([label, value]) => ({ label, value })),
          { color: '#c0392b' },
        ),
    ),
    section(
      'Anomaly detection (labelled anomalies in the generated stream)',
      table(
        ['type', 'injected', 'found', 'precision', 'recall'],
        anomalies.map(([t, s]) => [t, s.injected, s.found, pct(s.precision), pct(s.recall)]),
        'anomaly-table',
      ) +
        barChart(
          'chart-anomaly-recall',
          anomalies.map(([label, s]) => ({ label, value: Math.round(s.recall * 1000) / 10 })),
          { unit: '%', color: '#8e44ad' },
        ),
    ),
    section(
      `Hourly batch ${batch.window.start} – ${batch.window.end}: ${batch.status}`,
      ganttChart(
        'chart-batch-timeline',
        batch.timeline.map((t) => ({ label: t.state, startS: t.startS ?? 0, seconds: t.seconds, failed: t.status !== 'succeeded' })),
      ) +
        '<h3>Reconciliation per table (extracted = staged + quarantined)</h3>' +
        table(
          ['table', 'extracted', 'staged', 'quarantined', 'loaded', 'check'],
          oltp.map(([t, f]) => [
            t,
            f.extracted,
            f.staged,
            f.quarantined,
            f.loaded,
            f.extracted === f.staged + f.quarantined ? 'ok' : 'MISMATCH',
          ]),
          'batch-reconciliation',
        ) +
        '<h3>Quality gate</h3>' +
        table(
          ['table', 'score', 'passed', 'expectations (observed / minimum)'],
          batch.quality.map((q) => [
            q.table,
            q.score.toFixed(2),
            q.passed ? 'yes' : 'NO',
            q.expectations
              .map((e) => `${e.name} ${e.observed}${e.min === undefined ? '' : ` / ${e.min}`}${e.passed ? '' : ' FAILED'}`)
              .join('; '),
          ]),
          'quality-table',
        ) +
        barChart(
          'chart-quality-scores',
          batch.quality.map((q) => ({ label: q.table, value: q.score })),
          { color: '#2e8b57' },
        ) +
        '<h3>Gold row counts</h3>' +
        barChart(
          'chart-gold-rows',
          Object.entries(batch.gold).map(([label, value]) => ({ label, value })),
          { color: '#b8860b' },
        ),
    ),
  ];
  if (inputs.lineage) {
    const t = inputs.lineage.trace;
    const total = Object.keys(t.traced).length + t.parameters.length + t.untraced.length;
    parts.push(
      section(
        'Lineage',
        `<p id="lineage-coverage">${Object.keys(t.traced).length} of ${total} gold columns traced to a source column (${t.parameters.length} build parameters, ${t.untraced.length} untraced). Full page: <a href="lineage.html">lineage.html</a>.</p><div class="scroll">${lineageSvg(inputs.lineage.graph)}</div>`,
      ),
    );
  }
  if (inputs.cost) {
    const e = inputs.cost.estimate;
    parts.push(
      section(
        `Monthly cost estimate: ${inputs.cost.environment} (${e.region}, prices recorded ${e.pricesRecorded})`,
        barChart(
          'chart-cost',
          e.lines.filter((l) => l.monthlyUsd > 0).map((l) => ({ label: l.service, value: l.monthlyUsd })),
          { unit: ' USD', color: '#34495e' },
        ) +
          `<p id="cost-total">Total: $${e.totalUsd.toLocaleString('en-US', { minimumFractionDigits: 2 })} a month (make cost ENV=${escapeHtml(inputs.cost.environment)})</p>`,
      ),
    );
  }
  if (inputs.dbtDocsHref)
    parts.push(
      section(
        'dbt docs',
        `<p><a id="dbt-docs" href="${escapeHtml(inputs.dbtDocsHref)}">Models, columns, tests and the DAG of the dbt project</a></p>`,
      ),
    );

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DataFlow demo report</title>
<style>body{font:14px sans-serif;margin:24px;max-width:1200px;color:#222}h1{margin-bottom:0}section{margin:28px 0}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.scroll{overflow-x:auto}</style></head>
<body><h1>DataFlow: what make demo did</h1><p>Generated ${escapeHtml(inputs.generatedAt)} from the JSON figures in .local/demo/.</p>
${parts.join('\n')}
${RENDER_CHECK}
</body></html>`;
}

export interface WriteReportOptions {
  /** The demo's figures folder. @default <repo>/.local/demo */
  readonly demoDir: string;
  readonly cost?: ReportInputs['cost'];
}

/** Reads the demo's figures (stream.json, batch.json, lineage.json) and writes report.html beside them. */
export function writeReport(options: WriteReportOptions): string {
  const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(options.demoDir, file), 'utf8')) as T;
  const lineageFile = path.join(options.demoDir, 'lineage.json');
  const dbtDocs = fs.existsSync(path.join(options.demoDir, 'dbt-docs.html')) ? 'dbt-docs.html' : undefined;
  const html = renderReport({
    stream: read<StreamFigures>('stream.json'),
    batch: read<BatchFigures>('batch.json'),
    lineage: fs.existsSync(lineageFile) ? read<{ graph: LineageGraph; trace: GoldTrace }>('lineage.json') : undefined,
    cost: options.cost,
    dbtDocsHref: dbtDocs,
    generatedAt: new Date().toISOString(),
  });
  const file = path.join(options.demoDir, 'report.html');
  fs.writeFileSync(file, html);
  return file;
}
