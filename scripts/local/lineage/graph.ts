/**
 * The platform's lineage from its own single sources: table specs and stream contracts (what the sources are and
 * which columns they carry), the lake key layout (where each stage writes), and the dbt manifest plus the column
 * lineage of its compiled SQL (bronze → silver → gold, column by column).
 */
import { ingestionLineage, type ColumnEdge, type Layer, type LineageEdge, type LineageNode } from '../../../lambda/shared/lineage-datasets';

export { LAYERS, type ColumnEdge, type Layer, type LineageEdge, type LineageNode } from '../../../lambda/shared/lineage-datasets';

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  readonly columnEdges: readonly ColumnEdge[];
  /** Columns computed from build parameters only (no input relation), `relation.column`. */
  readonly parameterColumns: readonly string[];
}

/** What `dbt_column_lineage.py` writes. */
export interface DbtColumnLineage {
  readonly nodes: Readonly<
    Record<
      string,
      {
        readonly relation: string;
        readonly columns: Readonly<Record<string, readonly { relation: string; column: string }[]>>;
        readonly parameters: readonly string[];
      }
    >
  >;
}

/** The parts of dbt's manifest.json the graph reads. */
export interface DbtManifest {
  readonly nodes: Readonly<
    Record<
      string,
      {
        readonly resource_type: string;
        readonly schema: string;
        readonly name: string;
        readonly alias?: string;
        readonly depends_on?: { readonly nodes?: readonly string[] };
      }
    >
  >;
  readonly sources: Readonly<Record<string, { readonly schema: string; readonly name: string; readonly identifier?: string }>>;
}

const layerOfSchema = (schema: string): Layer => (schema === 'gold' ? 'gold' : schema === 'bronze' ? 'bronze' : 'silver');

/** The whole graph: ingestion from the specs, then dbt's models with their column lineage. */
export function buildLineageGraph(manifest: DbtManifest, dbtColumns: DbtColumnLineage): LineageGraph {
  const { nodes, edges, columnEdges } = ingestionLineage();
  const relationOf = new Map<string, string>();
  for (const [uid, s] of Object.entries(manifest.sources)) relationOf.set(uid, `${s.schema}.${s.identifier ?? s.name}`);
  for (const [uid, n] of Object.entries(manifest.nodes)) {
    if (n.resource_type === 'model' || n.resource_type === 'snapshot') relationOf.set(uid, `${n.schema}.${n.alias ?? n.name}`);
  }
  const parameterColumns: string[] = [];
  for (const [uid, n] of Object.entries(manifest.nodes)) {
    if (n.resource_type !== 'model' && n.resource_type !== 'snapshot') continue;
    const relation = relationOf.get(uid)!;
    const lineage = dbtColumns.nodes[uid];
    nodes.push({
      id: relation,
      layer: layerOfSchema(n.schema),
      writtenBy: 'dbt',
      columns: lineage ? [...Object.keys(lineage.columns), ...lineage.parameters] : [],
    });
    for (const dep of n.depends_on?.nodes ?? []) {
      const from = relationOf.get(dep);
      if (from) edges.push({ from, to: relation, job: 'dbt' });
    }
    for (const [column, from] of Object.entries(lineage?.columns ?? {})) columnEdges.push({ to: { relation, column }, from });
    for (const column of lineage?.parameters ?? []) parameterColumns.push(`${relation}.${column}`);
  }
  return { nodes, edges, columnEdges, parameterColumns };
}

/** Gold columns computed from build parameters alone, with why they have no source. */
export const BUILD_PARAMETER_COLUMNS: Readonly<Record<string, string>> = {
  'gold.customer_360.as_of_date': 'the as_of_date the build computes metrics for (dbt var)',
  'gold.product_performance.as_of_date': 'the as_of_date the build computes metrics for (dbt var)',
  'gold.build_info.as_of_date': 'the as_of_date the build computes metrics for (dbt var)',
  'gold.build_info.built_at': 'the time of the build',
  'gold.build_info.dbt_invocation_id': "the build's dbt invocation id",
  'gold.build_info.target_name': 'the dbt target of the build',
};

export interface GoldTrace {
  /** `gold.<table>.<column>` → the source columns (`postgres.<table>.<column>` / `kinesis.<stream>.<column>`). */
  readonly traced: Readonly<Record<string, readonly string[]>>;
  /** Gold columns that reach no source and are not build parameters, with the dead end where tracing stopped. */
  readonly untraced: readonly string[];
  /** Build-parameter columns (no source by design). */
  readonly parameters: readonly string[];
}

/** Follows every gold column's lineage back to the source systems. */
export function traceGoldColumns(graph: LineageGraph): GoldTrace {
  const byTarget = new Map<string, ColumnEdge['from'][]>();
  for (const e of graph.columnEdges) {
    const key = `${e.to.relation}.${e.to.column}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), e.from]);
  }
  const layerOf = new Map(graph.nodes.map((n) => [n.id, n.layer]));
  const columnsOf = new Map(graph.nodes.map((n) => [n.id, n.columns]));

  const sources = (relation: string, column: string, seen: Set<string>, deadEnds: string[]): Set<string> => {
    const key = `${relation}.${column}`;
    const found = new Set<string>();
    if (seen.has(key)) return found;
    seen.add(key);
    if (layerOf.get(relation) === 'source') {
      found.add(key);
      return found;
    }
    // `*` (the rows of a relation) comes from the rows of every relation its columns read.
    const inputs =
      column === '*'
        ? [
            [
              ...new Set(
                (columnsOf.get(relation) ?? []).flatMap((c) => (byTarget.get(`${relation}.${c}`) ?? []).flat().map((f) => f.relation)),
              ),
            ].map((r) => ({ relation: r, column: '*' })),
          ]
        : (byTarget.get(key) ?? []);
    if (inputs.length === 0) deadEnds.push(key);
    for (const input of inputs.flat()) for (const s of sources(input.relation, input.column, seen, deadEnds)) found.add(s);
    return found;
  };

  const traced: Record<string, string[]> = {};
  const untraced: string[] = [];
  const parameters: string[] = [];
  for (const node of graph.nodes.filter((n) => n.layer === 'gold')) {
    for (const column of node.columns) {
      const key = `${node.id}.${column}`;
      if (graph.parameterColumns.includes(key) && key in BUILD_PARAMETER_COLUMNS) {
        parameters.push(key);
        continue;
      }
      const deadEnds: string[] = [];
      const found = [...sources(node.id, column, new Set(), deadEnds)].sort();
      if (found.length > 0) traced[key] = found;
      else untraced.push(`${key} (stops at ${deadEnds[0] ?? key})`);
    }
  }
  return { traced, untraced, parameters };
}
