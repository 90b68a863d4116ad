/**
 * The datasets the platform's own jobs (extract, quality gate, conform, load, stream processor, Firehose) read and
 * write, from the table specs, the stream contracts and the lake key layout: one definition for the local lineage
 * graph (scripts/local/lineage) and the OpenLineage events the deployed batch emits (./lineage-emitter.ts).
 */
import { STREAM_OF_EVENT, type EventType } from '../contracts/events';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type TableSpec } from '../contracts/table-specs';

export type Layer = 'source' | 'raw' | 'staging' | 'bronze' | 'silver' | 'gold';
export const LAYERS: readonly Layer[] = ['source', 'raw', 'staging', 'bronze', 'silver', 'gold'];

export interface LineageNode {
  /** Dataset name: `postgres.<table>`, `kinesis.<stream>`, `s3://<zone>/<prefix>`, `<schema>.<relation>`. */
  readonly id: string;
  readonly layer: Layer;
  /** The job that writes it (extract, stream processor, quality gate, conform, load, dbt). */
  readonly writtenBy: string;
  readonly columns: readonly string[];
}

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  readonly job: string;
}

/** One output column computed from input columns (`*` = the rows of the input relation, e.g. a count). */
export interface ColumnEdge {
  readonly to: { readonly relation: string; readonly column: string };
  readonly from: readonly { readonly relation: string; readonly column: string }[];
}

/** The ingestion part of the lineage graph. */
export interface IngestionLineage {
  readonly nodes: LineageNode[];
  readonly edges: LineageEdge[];
  readonly columnEdges: ColumnEdge[];
}

const names = (spec: TableSpec) => spec.columns.map((c) => c.name);

/** Source → raw → staging → bronze for the OLTP tables and the streams, from the specs and contracts. */
export function ingestionLineage(): IngestionLineage {
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  const columnEdges: ColumnEdge[] = [];
  const identity = (from: string, to: string, columns: readonly string[]) =>
    columns.forEach((column) => columnEdges.push({ to: { relation: to, column }, from: [{ relation: from, column }] }));

  for (const spec of Object.values(TABLE_SPECS) as TableSpec[]) {
    const cols = names(spec);
    const ids = {
      source: `postgres.${spec.name}`,
      raw: `s3://raw/oltp/${spec.name}/`,
      staging: `s3://staging/oltp/${spec.name}/`,
      conformed: `s3://staging/conformed/${spec.name}/`,
      bronze: `bronze.${spec.name}`,
    };
    nodes.push(
      { id: ids.source, layer: 'source', writtenBy: 'OLTP application', columns: cols },
      { id: ids.raw, layer: 'raw', writtenBy: 'extract', columns: cols },
      { id: ids.staging, layer: 'staging', writtenBy: 'quality gate', columns: cols },
      { id: ids.conformed, layer: 'staging', writtenBy: 'conform', columns: cols },
      { id: ids.bronze, layer: 'bronze', writtenBy: 'load', columns: cols },
    );
    const chain: [string, string, string][] = [
      [ids.source, ids.raw, 'extract'],
      [ids.raw, ids.staging, 'quality gate'],
      [ids.staging, ids.conformed, 'conform'],
      [ids.conformed, ids.bronze, 'load'],
    ];
    for (const [from, to, job] of chain) {
      edges.push({ from, to, job });
      identity(from, to, cols);
    }
  }

  const eventsOf = (stream: string) => (Object.keys(STREAM_OF_EVENT) as EventType[]).filter((e) => STREAM_OF_EVENT[e] === stream);
  const loaded = new Map(Object.values(STREAM_TABLE_SPECS).map((s) => [s.name, s as TableSpec]));
  for (const stream of new Set(Object.values(STREAM_OF_EVENT))) {
    const source = `kinesis.${stream}`;
    const table = stream === 'clickstream' ? loaded.get('clickstream_events') : undefined;
    const cols = table ? names(table).filter((c) => c !== 'arrival_time') : [];
    nodes.push({ id: source, layer: 'source', writtenBy: 'online store (web, mobile, POS)', columns: cols });
    for (const event of eventsOf(stream)) {
      const raw = `s3://raw/stream/${event}/`;
      const staged = `s3://staging/stream/${event}/`;
      nodes.push(
        { id: raw, layer: 'raw', writtenBy: 'Firehose', columns: [] },
        { id: staged, layer: 'staging', writtenBy: 'stream processor', columns: cols },
      );
      edges.push({ from: source, to: raw, job: 'Firehose' }, { from: source, to: staged, job: 'stream processor' });
      identity(source, staged, cols);
      if (table) {
        const conformed = `s3://staging/conformed/${table.name}/`;
        if (!nodes.some((n) => n.id === conformed)) {
          nodes.push(
            { id: conformed, layer: 'staging', writtenBy: 'conform', columns: names(table) },
            { id: `bronze.${table.name}`, layer: 'bronze', writtenBy: 'load', columns: names(table) },
          );
          edges.push({ from: conformed, to: `bronze.${table.name}`, job: 'load' });
          identity(conformed, `bronze.${table.name}`, names(table));
          // The processor stamps the arrival time: it is the stream's, not a producer field.
          columnEdges.push({ to: { relation: conformed, column: 'arrival_time' }, from: [{ relation: source, column: '*' }] });
        }
        edges.push({ from: staged, to: conformed, job: 'conform' });
        identity(staged, conformed, cols);
      }
    }
  }
  return { nodes, edges, columnEdges };
}
