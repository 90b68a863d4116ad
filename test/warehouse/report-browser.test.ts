import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeReport, type BatchFigures, type StreamFigures } from '../../scripts/local/report';

/**
 * The demo report in a real browser: headless Chromium (Debian's package, installed by `make report-browser`) loads
 * report.html, runs its render check, and the charts it drew must carry exactly the figures of the JSON files.
 */

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

const stream: StreamFigures = {
  recordsIn: 50_000,
  valid: 47_391,
  quarantined: 2_609,
  quarantinedByReason: { invalid_field: 1_204, invalid_json: 655, unknown_event_type: 500, amount_mismatch: 250 },
  reconciled: true,
  anomalies: {
    high_amount: { injected: 40, found: 41, precision: 0.9756, recall: 1 },
    velocity: { injected: 12, found: 11, precision: 1, recall: 0.9167 },
  },
};
const batch: BatchFigures = {
  window: { start: '2026-11-02T08:00:00.000Z', end: '2026-11-02T09:00:00.000Z' },
  status: 'SUCCEEDED',
  tables: {
    orders: { extracted: 1000, staged: 990, quarantined: 10, loaded: 990 },
    customers: { extracted: 300, staged: 300, quarantined: 0, loaded: 300 },
  },
  gold: { customer_360: 280, fct_orders: 990 },
  timeline: [
    { state: 'Extract tables', startS: 0, seconds: 2.5, status: 'succeeded' },
    { state: 'Glue conform', startS: 2.5, seconds: 40.2, status: 'succeeded' },
    { state: 'dbt build', startS: 42.7, seconds: 30.1, status: 'succeeded' },
  ],
  quality: [
    { table: 'orders', score: 0.99, passed: true, expectations: [{ name: 'completeness', observed: 1, min: 0.95, passed: true }] },
    { table: 'customers', score: 1, passed: true, expectations: [{ name: 'completeness', observed: 1, min: 0.95, passed: true }] },
  ],
};

interface Drawn {
  width: number;
  height: number;
  marks: { label: string; value: number; drawn: boolean }[];
}

function renderInChromium(file: string): Record<string, Drawn> {
  const run = spawnSync(
    CHROMIUM!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom', `file://${file}`],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const match = /data-render-check="([^"]*)"/.exec(run.stdout);
  if (!match) throw new Error(`the page recorded no render check (exit ${run.status}):\n${run.stderr.slice(-2000)}`);
  return JSON.parse(match[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, Drawn>;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

(CHROMIUM ? describe : describe.skip)('demo report in headless Chromium', () => {
  let drawn: Record<string, Drawn>;
  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'stream.json'), JSON.stringify(stream));
    fs.writeFileSync(path.join(dir, 'batch.json'), JSON.stringify(batch));
    drawn = renderInChromium(writeReport({ demoDir: dir }));
  });

  const figures = (chart: string) => drawn[chart].marks.map((m) => [m.label, m.value]);

  test('every chart is drawn with a size and every mark visible', () => {
    for (const id of [
      'chart-stream-reconciliation',
      'chart-quarantine-reasons',
      'chart-anomaly-recall',
      'chart-batch-timeline',
      'chart-quality-scores',
      'chart-gold-rows',
    ]) {
      expect({ id, drawn: drawn[id].width > 100 && drawn[id].height > 10 && drawn[id].marks.every((m) => m.drawn) }).toEqual({
        id,
        drawn: true,
      });
    }
  });

  test('the charts show the figures of stream.json and batch.json', () => {
    expect(figures('chart-stream-reconciliation')).toEqual([
      ['records in', stream.recordsIn],
      ['valid (staged)', stream.valid],
      ['quarantined', stream.quarantined],
    ]);
    expect(Object.fromEntries(figures('chart-quarantine-reasons'))).toEqual(stream.quarantinedByReason);
    expect(Object.fromEntries(figures('chart-gold-rows'))).toEqual(batch.gold);
    expect(figures('chart-batch-timeline')).toEqual(batch.timeline.map((t) => [t.state, t.seconds]));
    expect(Object.fromEntries(figures('chart-quality-scores'))).toEqual(Object.fromEntries(batch.quality.map((q) => [q.table, q.score])));
    expect(Object.fromEntries(figures('chart-anomaly-recall'))).toEqual({ high_amount: 100, velocity: 91.7 });
  });

  test('a chart that lost a figure is told apart (the check can fail)', () => {
    const broken = { ...stream, quarantinedByReason: { ...stream.quarantinedByReason, invalid_json: 0 } };
    fs.writeFileSync(path.join(dir, 'stream.json'), JSON.stringify(broken));
    const again = renderInChromium(writeReport({ demoDir: dir }));
    expect(Object.fromEntries(again['chart-quarantine-reasons'].marks.map((m) => [m.label, m.value]))).not.toEqual(
      stream.quarantinedByReason,
    );
    fs.writeFileSync(path.join(dir, 'stream.json'), JSON.stringify(stream));
  });
});

test('headless Chromium is installed for the browser test', () => {
  expect(CHROMIUM).toBeDefined();
});
