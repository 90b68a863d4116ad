/**
 * The Glue jobs' spec arguments, built from the shared contracts so Python never keeps its own copy of a column
 * list: `--table_specs` (the OLTP table specs) and `--stream_specs` (the stream tables' specs, each with the event
 * types whose validated events feed it). Used by the CDK job definitions and by the local run alike.
 */
import { STREAM_OF_EVENT, type StreamName } from './events';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type StreamTableName } from './table-specs';

/** Which stream feeds each stream table in the warehouse. */
export const STREAM_OF_TABLE: Readonly<Record<StreamTableName, StreamName>> = { clickstream_events: 'clickstream' };

/** Event types of a stream table, from the event contracts. */
export function eventTypesOf(table: StreamTableName): string[] {
  return Object.entries(STREAM_OF_EVENT)
    .filter(([, stream]) => stream === STREAM_OF_TABLE[table])
    .map(([type]) => type)
    .sort();
}

/** `--table_specs`: JSON of the OLTP table specs. */
export function tableSpecsArgument(): string {
  return JSON.stringify(TABLE_SPECS);
}

/** `--stream_specs`: JSON of the stream table specs plus `eventTypes`. */
export function streamSpecsArgument(): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(STREAM_TABLE_SPECS).map(([name, spec]) => [name, { ...spec, eventTypes: eventTypesOf(name as StreamTableName) }]),
    ),
  );
}

/**
 * Output columns of the customer_features job (glue-scripts/dataflow_glue/features.py), as Glue/Hive types. The
 * Glue Data Catalog table is declared from this list; a pytest checks the job's output schema against it.
 */
export const CUSTOMER_FEATURES_COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: 'customer_id', type: 'string' },
  { name: 'customer_segment', type: 'string' },
  { name: 'total_transactions', type: 'int' },
  { name: 'total_spent', type: 'decimal(18,2)' },
  { name: 'avg_transaction_amount', type: 'decimal(18,2)' },
  { name: 'min_order_value', type: 'decimal(18,2)' },
  { name: 'max_order_value', type: 'decimal(18,2)' },
  { name: 'order_value_stddev', type: 'double' },
  { name: 'first_transaction_date', type: 'date' },
  { name: 'last_transaction_date', type: 'date' },
  { name: 'customer_lifetime_days', type: 'int' },
  { name: 'days_since_last_transaction', type: 'int' },
  { name: 'avg_days_between_purchases', type: 'double' },
  { name: 'q1_revenue', type: 'decimal(18,2)' },
  { name: 'q2_revenue', type: 'decimal(18,2)' },
  { name: 'q3_revenue', type: 'decimal(18,2)' },
  { name: 'q4_revenue', type: 'decimal(18,2)' },
  { name: 'q4_transactions', type: 'int' },
  { name: 'category_diversity', type: 'int' },
  { name: 'top_categories', type: 'string' },
  { name: 'value_tier', type: 'string' },
  { name: 'lifecycle_stage', type: 'string' },
  { name: 'recency_score', type: 'int' },
  { name: 'frequency_score', type: 'int' },
  { name: 'monetary_score', type: 'int' },
  { name: 'rfm_score', type: 'int' },
  { name: 'rfm_segment', type: 'string' },
];
