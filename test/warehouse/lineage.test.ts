import { TABLE_SPECS, type TableSpec } from '../../lambda/contracts/table-specs';
import {
  BUILD_PARAMETER_COLUMNS,
  buildLineageGraph,
  traceGoldColumns,
  type DbtColumnLineage,
  type DbtManifest,
} from '../../scripts/local/lineage/graph';
import { lineagePage } from '../../scripts/local/lineage/html';
import { ingestionEvents } from '../../scripts/local/lineage/openlineage';

/** Lineage from the specs and a (small, hand-made) dbt manifest: every gold column must reach a source column. */

const manifest: DbtManifest = {
  sources: { 'source.dataflow.bronze.orders': { schema: 'bronze', name: 'orders' } },
  nodes: {
    'model.dataflow.stg_orders': {
      resource_type: 'model',
      schema: 'silver',
      name: 'stg_orders',
      depends_on: { nodes: ['source.dataflow.bronze.orders'] },
    },
    'model.dataflow.customer_360': {
      resource_type: 'model',
      schema: 'gold',
      name: 'customer_360',
      depends_on: { nodes: ['model.dataflow.stg_orders'] },
    },
  },
};
const columns = (gold: Record<string, { relation: string; column: string }[]>, parameters: string[] = []): DbtColumnLineage => ({
  nodes: {
    'model.dataflow.stg_orders': {
      relation: 'silver.stg_orders',
      columns: {
        order_id: [{ relation: 'bronze.orders', column: 'order_id' }],
        currency: [{ relation: 'bronze.orders', column: 'currency' }],
      },
      parameters: [],
    },
    'model.dataflow.customer_360': { relation: 'gold.customer_360', columns: gold, parameters },
  },
});

describe('lineage graph', () => {
  test('every OLTP table runs source → raw → staging → conformed → bronze with all its columns', () => {
    const graph = buildLineageGraph({ sources: {}, nodes: {} }, { nodes: {} });
    for (const spec of Object.values(TABLE_SPECS) as TableSpec[]) {
      const chain = [
        `postgres.${spec.name}`,
        `s3://raw/oltp/${spec.name}/`,
        `s3://staging/oltp/${spec.name}/`,
        `s3://staging/conformed/${spec.name}/`,
        `bronze.${spec.name}`,
      ];
      for (let i = 1; i < chain.length; i++)
        expect(graph.edges).toContainEqual(expect.objectContaining({ from: chain[i - 1], to: chain[i] }));
      expect(graph.nodes.find((n) => n.id === `bronze.${spec.name}`)?.columns).toEqual(spec.columns.map((c) => c.name));
    }
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: 'kinesis.clickstream', to: 's3://staging/stream/page_view/' }));
  });

  test('gold columns trace through silver and bronze to the source system, rows (*) included', () => {
    const trace = traceGoldColumns(
      buildLineageGraph(
        manifest,
        columns(
          {
            order_count: [{ relation: 'silver.stg_orders', column: '*' }],
            currency: [{ relation: 'silver.stg_orders', column: 'currency' }],
          },
          ['as_of_date'],
        ),
      ),
    );
    expect(trace.traced).toEqual({
      'gold.customer_360.currency': ['postgres.orders.currency'],
      'gold.customer_360.order_count': ['postgres.orders.*'],
    });
    expect(trace.parameters).toEqual(['gold.customer_360.as_of_date']);
    expect(trace.untraced).toEqual([]);
  });

  test('a gold column whose lineage breaks, or an unlisted parameter column, is reported untraced', () => {
    const trace = traceGoldColumns(
      buildLineageGraph(manifest, columns({ broken: [{ relation: 'silver.stg_orders', column: 'no_such_column' }] }, ['mystery'])),
    );
    expect(trace.untraced).toEqual([
      'gold.customer_360.broken (stops at silver.stg_orders.no_such_column)',
      'gold.customer_360.mystery (stops at gold.customer_360.mystery)',
    ]);
    expect(Object.keys(BUILD_PARAMETER_COLUMNS)).not.toContain('gold.customer_360.mystery');
  });

  test('OpenLineage events: one COMPLETE event per ingestion job with schema and column lineage', () => {
    const graph = buildLineageGraph({ sources: {}, nodes: {} }, { nodes: {} });
    const events = ingestionEvents(
      graph,
      { postgres: 'postgres://db', kinesis: 'kinesis://acct', lake: (z) => `s3://lake-${z}`, warehouse: 'redshift://wg' },
      '2026-06-30T10:00:00Z',
    );
    const lineageOf = (e: (typeof events)[number]) =>
      (e.outputs[0].facets as { columnLineage: { fields: Record<string, unknown> } }).columnLineage.fields;
    expect(events.length).toBe(graph.edges.filter((e) => e.job !== 'dbt').length);
    const load = events.find((e) => e.outputs[0].name === 'bronze.orders')!;
    expect(load).toMatchObject({
      eventType: 'COMPLETE',
      inputs: [{ namespace: 's3://lake-staging', name: 'conformed/orders/' }],
      outputs: [{ namespace: 'redshift://wg' }],
    });
    expect(Object.keys(lineageOf(load))).toEqual(TABLE_SPECS.orders.columns.map((c) => c.name));
  });

  test('the page states the coverage and draws every dataset', () => {
    const graph = buildLineageGraph(manifest, columns({ currency: [{ relation: 'silver.stg_orders', column: 'currency' }] }));
    const html = lineagePage(graph, traceGoldColumns(graph));
    expect(html).toContain('<strong id="traced">1</strong> of <strong id="total">1</strong>');
    for (const n of graph.nodes) expect(html).toContain(`data-id="${n.id}"`);
  });
});
