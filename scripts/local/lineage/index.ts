/**
 * Generates the lineage of a built local warehouse: the graph (lineage.json, lineage.html) and OpenLineage events
 * (the platform's jobs plus dbt's, through openlineage-dbt) written to the lake under
 * `lineage/openlineage/dt=…/hr=…/events.ndjson`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { objectKey } from '../../../lambda/contracts/lake-keys';
import { buildLineageGraph, traceGoldColumns, type DbtColumnLineage, type DbtManifest, type GoldTrace, type LineageGraph } from './graph';
import { lineagePage } from './html';
import { ingestionEvents } from './openlineage';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

export interface LineageOptions {
  /** The DuckDB warehouse dbt built. */
  readonly duckdbPath: string;
  /** Where lineage.json and lineage.html go. */
  readonly outDir: string;
  /** Local lake root (`<lakeDir>/<zone>/…`); the events go to its staging zone. */
  readonly lakeDir: string;
  /** Time of the run the events describe. @default now */
  readonly time?: Date;
}

export interface LineageResult {
  readonly graph: LineageGraph;
  readonly trace: GoldTrace;
  readonly html: string;
  readonly eventsFile: string;
  readonly events: number;
}

/** Reads dbt's artifacts of the last build (run it right after `dbt build`, before `dbt docs generate`). */
export function generateLineage(options: LineageOptions): LineageResult {
  const dbtDir = path.join(REPO_ROOT, 'dbt');
  const time = options.time ?? new Date();
  fs.mkdirSync(options.outDir, { recursive: true });
  const columnsFile = path.join(options.outDir, 'dbt-column-lineage.json');
  const manifestFile = path.join(dbtDir, 'target', 'manifest.json');
  const env = { ...process.env, DATAFLOW_DUCKDB_PATH: path.resolve(options.duckdbPath) };
  execFileSync(
    PYTHON,
    [path.join(__dirname, 'dbt_column_lineage.py'), '--manifest', manifestFile, '--duckdb', options.duckdbPath, '--out', columnsFile],
    { stdio: 'pipe' },
  );

  const graph = buildLineageGraph(
    JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as DbtManifest,
    JSON.parse(fs.readFileSync(columnsFile, 'utf8')) as DbtColumnLineage,
  );
  const trace = traceGoldColumns(graph);
  const html = path.join(options.outDir, 'lineage.html');
  fs.writeFileSync(path.join(options.outDir, 'lineage.json'), JSON.stringify({ graph, trace }, null, 1));
  fs.writeFileSync(html, lineagePage(graph, trace));

  const eventsFile = path.join(options.lakeDir, 'staging', objectKey({ source: 'lineage', entity: 'openlineage', time }, 'events.ndjson'));
  fs.mkdirSync(path.dirname(eventsFile), { recursive: true });
  const dbtEvents = path.join(options.outDir, 'dbt-openlineage.ndjson');
  execFileSync(
    PYTHON,
    [
      path.join(__dirname, 'dbt_openlineage.py'),
      '--project-dir',
      dbtDir,
      '--profiles-dir',
      dbtDir,
      '--target',
      'local',
      '--namespace',
      'dataflow-local',
      '--out',
      dbtEvents,
    ],
    { stdio: 'pipe', env },
  );
  const own = ingestionEvents(
    graph,
    {
      postgres: 'postgres://localhost:oltp',
      kinesis: 'kinesis://local',
      lake: (zone) => `file://${path.resolve(options.lakeDir, zone)}`,
      warehouse: `duckdb://${path.resolve(options.duckdbPath)}`,
    },
    time.toISOString(),
  ).map((e) => JSON.stringify(e));
  const dbt = fs
    .readFileSync(dbtEvents, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  fs.writeFileSync(eventsFile, [...own, ...dbt].join('\n') + '\n');
  return { graph, trace, html, eventsFile, events: own.length + dbt.length };
}

/** One line for people: coverage of the gold columns. */
export function lineageSummary(result: LineageResult): string {
  const t = result.trace;
  const total = Object.keys(t.traced).length + t.parameters.length + t.untraced.length;
  return `lineage: ${Object.keys(t.traced).length}/${total} gold columns traced to a source column (${t.parameters.length} build parameters, ${t.untraced.length} untraced); ${result.events} OpenLineage events → ${path.relative(REPO_ROOT, result.eventsFile)}; graph ${path.relative(REPO_ROOT, result.html)}`;
}
