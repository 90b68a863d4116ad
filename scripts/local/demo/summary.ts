/** The short summary `make demo` prints, from the figures its steps wrote to `.local/demo/`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CostEstimate } from '../../../lib/cost/estimate';
import type { GoldTrace } from '../lineage/graph';
import type { ComplianceFigures } from './platform-summary';
import type { BatchFigures, StreamFigures } from '../report';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** The summary lines; a figure file that is missing is reported as such. */
export function demoSummary(demoDir: string): string[] {
  const read = <T>(file: string): T | undefined => {
    const p = path.join(demoDir, file);
    return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as T) : undefined;
  };
  const lines: string[] = ['', 'DataFlow demo: summary (full output: .local/demo/demo.log)', ''];
  const c = read<ComplianceFigures>('compliance.json');
  if (c) {
    lines.push(
      `Infrastructure  ${c.environments} environments, ${c.stacks} stacks, ${n(c.resources)} resources, ${c.alarms} alarms with runbooks`,
    );
    lines.push(
      `Compliance      cdk-nag ${c.nagFindings} unacknowledged findings; cfn-lint ${c.cfnLintTemplates} templates, ${c.cfnLintErrors ? 'ERRORS' : '0 errors'}, ${c.cfnLintWarnings} warnings`,
    );
    const failures = c.readiness.reduce((k, r) => k + r.findings, 0);
    lines.push(
      `Deploy checks   ${c.readiness.length} checks, ${failures} failures: ${c.readiness.map((r) => `${r.check} ${n(r.evaluated)} evaluated/${r.findings} failed/${r.acknowledged} acknowledged`).join('; ')}`,
    );
  } else lines.push('Infrastructure  (no compliance figures: the step did not finish)');

  const s = read<StreamFigures>('stream.json');
  if (s) {
    const reasons = Object.entries(s.quarantinedByReason).sort(([, a], [, b]) => b - a);
    lines.push(
      `Stream          ${n(s.recordsIn)} records = ${n(s.valid)} staged + ${n(s.quarantined)} quarantined: ${s.reconciled ? 'reconciled' : 'NOT RECONCILED'}`,
    );
    lines.push(
      `                quarantine: ${reasons
        .slice(0, 4)
        .map(([r, k]) => `${r} ${n(k)}`)
        .join(', ')}${reasons.length > 4 ? `, ${reasons.length - 4} more reasons` : ''}`,
    );
    lines.push(
      `                anomalies (precision/recall): ${Object.entries(s.anomalies)
        .map(([t, a]) => `${t} ${pct(a.precision)}/${pct(a.recall)}`)
        .join(', ')}`,
    );
  }

  const b = read<BatchFigures & { total_s: number }>('batch.json');
  if (b) {
    lines.push(`Hourly batch    window ${b.window.start.slice(0, 16)}Z: ${b.status} in ${b.total_s.toFixed(0)} s`);
    for (const [table, f] of Object.entries(b.tables)) {
      const q = b.quality.find((r) => r.table === table);
      const check = q ? (f.extracted === f.staged + f.quarantined ? 'ok' : 'MISMATCH') : 'stream';
      lines.push(
        `                ${table.padEnd(20)} ${q ? `extracted ${n(f.extracted)} = staged ${n(f.staged)} + quarantined ${n(f.quarantined)} [${check}], quality ${q.score.toFixed(2)}, ` : 'from the stream pass, '}loaded ${n(f.loaded)}`,
      );
    }
    const slowest = [...b.timeline].sort((x, y) => y.seconds - x.seconds).slice(0, 3);
    lines.push(`                slowest states: ${slowest.map((t) => `${t.state} ${t.seconds.toFixed(1)} s`).join(', ')}`);
    lines.push(
      `Gold            ${Object.entries(b.gold)
        .map(([t, k]) => `${t} ${n(k)}`)
        .join(', ')}`,
    );
  }

  const lineage = read<{ trace: GoldTrace }>('lineage.json');
  if (lineage) {
    const t = lineage.trace;
    const total = Object.keys(t.traced).length + t.parameters.length + t.untraced.length;
    lines.push(
      `Lineage         ${Object.keys(t.traced).length}/${total} gold columns traced to a source column (${t.parameters.length} build parameters, ${t.untraced.length} untraced)`,
    );
  }
  const cost = read<CostEstimate & { environment: string }>('cost.json');
  if (cost)
    lines.push(
      `Cost            ${cost.environment}: about $${n(Math.round(cost.totalUsd))} a month at its declared load (make cost ENV=prod for another environment)`,
    );
  lines.push('');
  lines.push(`Report          .local/demo/report.html (charts, timeline, lineage, cost); dbt docs: .local/demo/dbt-docs.html`);
  lines.push('More            make chaos (fault matrix), npm run bench:stream / bench:batch, docs/ for operating it');
  return lines;
}
