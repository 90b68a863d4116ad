/**
 * OpenLineage run events for the platform's own jobs (extract, quality gate, conform, load, stream processor),
 * one COMPLETE event per job and dataset pair of the lineage graph, with schema and column-lineage facets. dbt's
 * events come from the openlineage-dbt integration (scripts/local/lineage/dbt_openlineage.py).
 */
import { randomUUID } from 'node:crypto';
import type { LineageGraph } from './graph';

const PRODUCER = 'https://github.com/dataflow-enterprises/dataflow-platform/scripts/local/lineage';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACET_SCHEMA = 'https://openlineage.io/spec/facets/1-0-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const COLUMN_FACET_SCHEMA = 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';

export interface DatasetNamespaces {
  /** Namespace of the OLTP source, e.g. `postgres://oltp`. */
  readonly postgres: string;
  readonly kinesis: string;
  /** Namespace of a lake zone: `s3://<bucket>` when deployed, `file://<dir>` locally. */
  readonly lake: (zone: string) => string;
  readonly warehouse: string;
}

/** `{namespace, name}` of a graph dataset id. */
function dataset(id: string, ns: DatasetNamespaces): { namespace: string; name: string } {
  const s3 = /^s3:\/\/([a-z]+)\/(.*)$/.exec(id);
  if (s3) return { namespace: ns.lake(s3[1]), name: s3[2] };
  if (id.startsWith('postgres.')) return { namespace: ns.postgres, name: id.slice('postgres.'.length) };
  if (id.startsWith('kinesis.')) return { namespace: ns.kinesis, name: id.slice('kinesis.'.length) };
  return { namespace: ns.warehouse, name: id };
}

/** One COMPLETE event per ingestion job run (every edge not written by dbt). */
export function ingestionEvents(graph: LineageGraph, ns: DatasetNamespaces, eventTime: string, namespace = 'dataflow'): object[] {
  const columnsOf = new Map(graph.nodes.map((n) => [n.id, n.columns]));
  return graph.edges
    .filter((e) => e.job !== 'dbt')
    .map((edge) => {
      const input = dataset(edge.from, ns);
      const output = dataset(edge.to, ns);
      const fields = Object.fromEntries(
        graph.columnEdges
          .filter((c) => c.to.relation === edge.to && c.from.some((f) => f.relation === edge.from))
          .map((c) => [c.to.column, { inputFields: c.from.filter((f) => f.relation === edge.from).map((f) => ({ ...input, field: f.column })) }]),
      );
      const schema = (id: string) => ({ _producer: PRODUCER, _schemaURL: FACET_SCHEMA, fields: (columnsOf.get(id) ?? []).map((name) => ({ name })) });
      return {
        eventType: 'COMPLETE',
        eventTime,
        producer: PRODUCER,
        schemaURL: SCHEMA_URL,
        run: { runId: randomUUID() },
        job: { namespace, name: `${edge.job.replace(/ /g, '_')}.${output.name.replace(/\/$/, '').replace(/[/.]/g, '_')}` },
        inputs: [{ ...input, facets: { schema: schema(edge.from) } }],
        outputs: [{ ...output, facets: { schema: schema(edge.to), columnLineage: { _producer: PRODUCER, _schemaURL: COLUMN_FACET_SCHEMA, fields } } }],
      };
    });
}
