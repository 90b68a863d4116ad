import * as fs from 'node:fs';
import * as path from 'node:path';
import { batchScenarios } from './batch';
import { streamScenarios } from './stream';
import type { FaultRow, FaultScenario } from './types';

/**
 * `make chaos`: every fault scenario (stream and batch) run locally, one table of what happened to the records —
 * in, in the warehouse, quarantined, duplicated, lost — written to `.local/demo/faults.json`. Exits non-zero when any
 * scenario duplicated or lost a record.
 */

const COLUMNS: readonly [keyof FaultRow, string][] = [
  ['recordsIn', 'records in'],
  ['inWarehouse', 'in warehouse'],
  ['quarantined', 'quarantined'],
  ['duplicated', 'duplicated'],
  ['lost', 'lost'],
];

export function faultTable(rows: readonly FaultRow[]): string[] {
  const width = Math.max('scenario'.length, ...rows.map((r) => r.scenario.length));
  const head = ['scenario'.padEnd(width), ...COLUMNS.map(([, title]) => title.padStart(12))].join('  ');
  const body = rows.map((r) => [r.scenario.padEnd(width), ...COLUMNS.map(([k]) => String(r[k]).padStart(12))].join('  '));
  return [head, '-'.repeat(head.length), ...body];
}

export async function runChaos(
  scenarios: readonly FaultScenario[],
  outFile: string,
  log: (line: string) => void = console.log,
): Promise<{ rows: FaultRow[]; ok: boolean }> {
  const rows: FaultRow[] = [];
  for (const s of scenarios) {
    const r = await s.run();
    rows.push({
      scenario: r.scenario,
      recordsIn: r.recordsIn,
      inWarehouse: r.inWarehouse,
      quarantined: r.quarantined,
      duplicated: r.duplicated,
      lost: r.lost,
    });
  }
  for (const line of faultTable(rows)) log(line);
  const bad = rows.filter((r) => r.lost > 0 || r.duplicated > 0);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify({ rows, ok: bad.length === 0 }, null, 2)}\n`);
  log(
    bad.length
      ? `FAILED: ${bad.map((r) => r.scenario).join(', ')} lost or duplicated records`
      : `all ${rows.length} scenarios: nothing lost, nothing duplicated`,
  );
  log(`figures: ${path.relative(process.cwd(), outFile)}`);
  return { rows, ok: bad.length === 0 };
}

if (require.main === module) {
  runChaos([...streamScenarios, ...batchScenarios], path.join(process.cwd(), '.local', 'demo', 'faults.json'))
    .then(({ ok }) => {
      if (!ok) process.exitCode = 1;
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
