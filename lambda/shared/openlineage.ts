/**
 * OpenLineage run events (spec 2-0-2) of the platform's own jobs, as pure builders: the one definition of the event
 * shape, used by the deployed batch (./lineage-emitter.ts) and the local lineage (scripts/local/lineage). Datasets
 * and their columns come from ./lineage-datasets.ts; dbt's events come from openlineage-dbt.
 */
import { ingestionLineage, type ColumnEdge, type LineageEdge, type LineageNode } from './lineage-datasets';

export const OPENLINEAGE_PRODUCER = 'https://github.com/dataflow-enterprises/dataflow-platform';
const RUN_EVENT_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const SCHEMA_FACET = 'https://openlineage.io/spec/facets/1-0-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const COLUMN_LINEAGE_FACET = 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';
const ERROR_FACET = 'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet';

export type RunEventType = 'START' | 'COMPLETE' | 'FAIL';

/** Where the datasets of the lineage graph live, as OpenLineage dataset namespaces. */
export interface DatasetNamespaces {
  /** Namespace of the OLTP source, e.g. `postgres://oltp`. */
  readonly postgres: string;
  /** Namespace of the Kinesis streams (the batch's jobs read none). */
  readonly kinesis?: string;
  /** Namespace of a lake zone: `s3://<bucket>` when deployed, `file://<dir>` locally. */
  readonly lake: (zone: string) => string;
  readonly warehouse: string;
}

export interface OpenLineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets?: Readonly<Record<string, unknown>>;
}

/** One run of a job: its OpenLineage job name and the datasets it reads and writes. */
export interface JobRun {
  readonly job: string;
  readonly inputs: readonly OpenLineageDataset[];
  readonly outputs: readonly OpenLineageDataset[];
}

export interface RunEvent extends Pick<JobRun, 'inputs' | 'outputs'> {
  readonly eventType: RunEventType;
  readonly eventTime: string;
  readonly producer: string;
  readonly schemaURL: string;
  readonly run: { readonly runId: string; readonly facets?: Readonly<Record<string, unknown>> };
  readonly job: { readonly namespace: string; readonly name: string };
}

/** `{namespace, name}` of a lineage-graph dataset id (`s3://<zone>/<prefix>`, `postgres.<t>`, `kinesis.<s>`, `<schema>.<t>`). */
export function datasetOf(id: string, ns: DatasetNamespaces): { namespace: string; name: string } {
  const s3 = /^s3:\/\/([a-z]+)\/(.*)$/.exec(id);
  if (s3) return { namespace: ns.lake(s3[1]), name: s3[2] };
  if (id.startsWith('postgres.')) return { namespace: ns.postgres, name: id.slice('postgres.'.length) };
  if (id.startsWith('kinesis.')) {
    if (ns.kinesis === undefined) throw new Error(`no Kinesis namespace for ${id}`);
    return { namespace: ns.kinesis, name: id.slice('kinesis.'.length) };
  }
  return { namespace: ns.warehouse, name: id };
}

/** The graph's job label and output dataset as an OpenLineage job name, e.g. `quality_gate.oltp_orders`. */
function jobName(job: string, outputName: string): string {
  return `${job.replace(/ /g, '_')}.${outputName.replace(/\/$/, '').replace(/[/.]/g, '_')}`;
}

/**
 * The run of `edges` (one job writing one output, from one input or several), with the schema facet on every
 * dataset and the column lineage on the output.
 */
export function jobRunOf(
  lineage: { readonly nodes: readonly LineageNode[]; readonly columnEdges: readonly ColumnEdge[] },
  edges: readonly LineageEdge[],
  ns: DatasetNamespaces,
): JobRun {
  const [{ job, to }] = edges;
  if (edges.some((e) => e.job !== job || e.to !== to))
    throw new Error(`one run writes one output: ${edges.map((e) => `${e.job} → ${e.to}`).join(', ')}`);
  const columnsOf = new Map(lineage.nodes.map((n) => [n.id, n.columns]));
  const schema = (id: string) => ({
    _producer: OPENLINEAGE_PRODUCER,
    _schemaURL: SCHEMA_FACET,
    fields: (columnsOf.get(id) ?? []).map((name) => ({ name })),
  });
  const from = new Set(edges.map((e) => e.from));
  const fields = Object.fromEntries(
    lineage.columnEdges
      .filter((c) => c.to.relation === to && c.from.some((f) => from.has(f.relation)))
      .map((c) => [
        c.to.column,
        { inputFields: c.from.filter((f) => from.has(f.relation)).map((f) => ({ ...datasetOf(f.relation, ns), field: f.column })) },
      ]),
  );
  const output = datasetOf(to, ns);
  return {
    job: jobName(job, output.name),
    inputs: [...from].map((id) => ({ ...datasetOf(id, ns), facets: { schema: schema(id) } })),
    outputs: [
      {
        ...output,
        facets: { schema: schema(to), columnLineage: { _producer: OPENLINEAGE_PRODUCER, _schemaURL: COLUMN_LINEAGE_FACET, fields } },
      },
    ],
  };
}

/** The batch jobs that emit their own runs, by their lineage-graph label. */
export type BatchJob = 'extract' | 'quality gate' | 'conform' | 'load';

/** The run of a batch job for one table: the graph's edges of that job into the table's dataset. */
export function batchJobRun(job: BatchJob, table: string, ns: DatasetNamespaces): JobRun {
  const lineage = ingestionLineage();
  const edges = lineage.edges.filter((e) => e.job === job && (e.to.endsWith(`/${table}/`) || e.to === `bronze.${table}`));
  if (edges.length === 0) throw new Error(`the lineage graph has no ${job} run writing ${table}`);
  return jobRunOf(lineage, edges, ns);
}

export interface RunEventOptions {
  readonly runId: string;
  /** ISO-8601 instant. */
  readonly eventTime: string;
  /** Job namespace (OPENLINEAGE_NAMESPACE). */
  readonly namespace: string;
  /** Why the run failed (FAIL events): the ErrorMessage run facet. */
  readonly error?: string;
}

/** A RunEvent of `run`. START carries the run's datasets too, so a consumer sees them while it runs. */
export function runEvent(eventType: RunEventType, run: JobRun, o: RunEventOptions): RunEvent {
  const facets =
    o.error === undefined
      ? undefined
      : { errorMessage: { _producer: OPENLINEAGE_PRODUCER, _schemaURL: ERROR_FACET, message: o.error, programmingLanguage: 'TypeScript' } };
  return {
    eventType,
    eventTime: o.eventTime,
    producer: OPENLINEAGE_PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA,
    run: { runId: o.runId, ...(facets ? { facets } : {}) },
    job: { namespace: o.namespace, name: run.job },
    inputs: run.inputs,
    outputs: run.outputs,
  };
}
