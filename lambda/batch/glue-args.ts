/**
 * The Glue jobs' spec arguments, built from the shared contracts so Python never keeps its own copy of a column
 * list: `--table_specs` (the OLTP table specs) and `--stream_specs` (the stream tables' specs, each with the event
 * types whose validated events feed it). Used by the CDK job definitions and by the local run alike.
 */
import { STREAM_OF_EVENT, type StreamName } from '../contracts/events';
import { STREAM_TABLE_SPECS, TABLE_SPECS, type StreamTableName } from '../contracts/table-specs';

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
    Object.fromEntries(Object.entries(STREAM_TABLE_SPECS).map(([name, spec]) => [name, { ...spec, eventTypes: eventTypesOf(name as StreamTableName) }])),
  );
}
