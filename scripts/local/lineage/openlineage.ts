/**
 * OpenLineage run events for the platform's own jobs (extract, quality gate, conform, load, stream processor),
 * one COMPLETE event per job and dataset pair of the lineage graph, built by the same code as the deployed batch's
 * (lambda/shared/openlineage.ts). dbt's events come from the openlineage-dbt integration (scripts/local/lineage/dbt_openlineage.py).
 */
import { randomUUID } from 'node:crypto';
import { jobRunOf, runEvent, type DatasetNamespaces, type RunEvent } from '../../../lambda/shared/openlineage';
import type { LineageGraph } from './graph';

export type { DatasetNamespaces };

/** One COMPLETE event per ingestion job run (every edge not written by dbt). */
export function ingestionEvents(graph: LineageGraph, ns: DatasetNamespaces, eventTime: string, namespace = 'dataflow'): RunEvent[] {
  return graph.edges
    .filter((e) => e.job !== 'dbt')
    .map((edge) => runEvent('COMPLETE', jobRunOf(graph, [edge], ns), { runId: randomUUID(), eventTime, namespace }));
}
