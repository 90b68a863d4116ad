/**
 * The steps of `make demo`, run in a child process whose output goes to `.local/demo/demo.log` (scripts/demo.ts
 * prints the short summary). Each step writes its figures to `.local/demo/*.json`; progress goes to stderr.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { estimateEnvironment } from '../../cost';
import { runBatchDemo } from '../batch/demo';
import { generateLineage } from '../lineage';
import { printPlatformSummary } from './platform-summary';
import { writeReport } from '../report';
import { demoStreamPass } from '../stream/pass';
import { runWarehouseDemo } from '../warehouse/demo';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEMO_DIR = path.join(ROOT, '.local', 'demo');
const BATCH_WAREHOUSE = path.join(ROOT, '.local', 'batch-warehouse.duckdb');

const progress = (step: string) => process.stderr.write(`› ${step}\n`);
const writeJson = (name: string, value: unknown) => fs.writeFileSync(path.join(DEMO_DIR, name), `${JSON.stringify(value, null, 2)}\n`);

/** `dbt docs generate --static` on the batch warehouse: one self-contained page beside the report. */
function staticDbtDocs(): string {
  const dbtDir = path.join(ROOT, 'dbt');
  execFileSync(
    path.join(ROOT, '.venv', 'bin', 'dbt'),
    ['docs', 'generate', '--static', '--target', 'local', '--profiles-dir', '.', '--quiet'],
    {
      cwd: dbtDir,
      env: { ...process.env, DATAFLOW_DUCKDB_PATH: BATCH_WAREHOUSE },
      stdio: 'inherit',
    },
  );
  const target = path.join(DEMO_DIR, 'dbt-docs.html');
  fs.copyFileSync(path.join(dbtDir, 'target', 'static_index.html'), target);
  return target;
}

async function main(): Promise<void> {
  const started = Date.now();
  fs.mkdirSync(DEMO_DIR, { recursive: true });
  progress('infrastructure: every environment synthesized; cdk-nag, cfn-lint and deploy-readiness checks');
  const compliance = printPlatformSummary();
  writeJson('compliance.json', compliance);
  progress('stream: generated events through the stream processor handler into the local lake');
  await demoStreamPass();
  progress('warehouse: generated OLTP data → bronze → dbt build → gold');
  const warehouseDbtSeconds = await runWarehouseDemo();
  progress('hourly batch: the synthesized state machine run locally (extract → quality gate → Glue → load → dbt)');
  const batch = await runBatchDemo();
  progress('lineage, dbt docs, cost estimate and the report');
  // The batch's dbt build is the last one: its artifacts describe the batch warehouse.
  if (batch.execution.status === 'SUCCEEDED')
    generateLineage({ duckdbPath: BATCH_WAREHOUSE, outDir: DEMO_DIR, lakeDir: path.join(ROOT, '.local', 'lake') });
  staticDbtDocs();
  const cost = estimateEnvironment('dev');
  writeJson('cost.json', { environment: 'dev', ...cost.estimate });
  writeJson('demo.json', {
    warehouseDbtSeconds,
    total_s: (Date.now() - started) / 1000,
    batchStatus: batch.execution.status,
    compliant: compliance.compliant,
  });
  writeReport({ demoDir: DEMO_DIR, cost: { environment: 'dev', estimate: cost.estimate } });
  if (!compliance.compliant || batch.execution.status !== 'SUCCEEDED') process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
