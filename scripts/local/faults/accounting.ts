import type { LakeStore } from '../../../lambda/contracts/lake';
import { distinctLines, lineIdentity, type StreamLineKind } from '../../../lambda/shared/stream-record-identity';
import { ndjsonObjects } from '../stream/pass';
import type { FaultRow } from './types';

/**
 * What people would count after a stream fault scenario, from what the lake and the alert topic finally hold:
 *
 * - in the warehouse: staging events after conform's de-duplication (one per `event_id`);
 * - quarantined: quarantine lines after the triage reader's de-duplication (stream, shard, sequence number);
 * - duplicated: copies that survive those steps (events, quarantine, anomaly lines) plus anomaly alert entries
 *   announced more than once;
 * - lost: input records that are neither staged nor quarantined (by shard and sequence number, any copy).
 */

/** Every NDJSON line the processor wrote, by kind. */
export interface StreamLakeLines {
  readonly staging: readonly string[];
  readonly quarantine: readonly string[];
  readonly anomalies: readonly string[];
}

/** The de-duplication step each reader applies before counting. */
export type Readers = Readonly<Record<StreamLineKind, (lines: readonly string[]) => readonly string[]>>;

/** The platform's readers: conform (event_id), quarantine triage and anomaly counts (shard + sequence number). */
export const PLATFORM_READERS: Readers = {
  staging: (l) => distinctLines('staging', l),
  quarantine: (l) => distinctLines('quarantine', l),
  anomalies: (l) => distinctLines('anomalies', l),
};

/** Readers that count lines as they are: what a consumer without the de-duplication step would see. */
export const COUNTING_READERS: Readers = { staging: (l) => l, quarantine: (l) => l, anomalies: (l) => l };

/** The lines of the lake's staging `stream/` and `anomalies/` and quarantine `stream/` objects. */
export async function readStreamLake(lake: LakeStore): Promise<StreamLakeLines> {
  return {
    staging: (await ndjsonObjects(lake, 'staging', 'stream/')).lines,
    quarantine: (await ndjsonObjects(lake, 'quarantine', 'stream/')).lines,
    anomalies: (await ndjsonObjects(lake, 'staging', 'anomalies/')).lines,
  };
}

/** Alert entry identities (sequence number | anomaly type) announced by each published anomaly message. */
export function alertedEntries(messages: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    const parsed = JSON.parse(m) as { sequence_numbers?: Record<string, string[]> };
    for (const [type, seqs] of Object.entries(parsed.sequence_numbers ?? {})) for (const s of seqs) out.push(`${s}|${type}`);
  }
  return out;
}

export interface AccountInput {
  readonly scenario: string;
  /** `<shard>|<sequence number>` of every input record. */
  readonly inputs: readonly string[];
  readonly lake: StreamLakeLines;
  /** Published anomaly alert messages (JSON bodies). */
  readonly messages: readonly string[];
  /** @default PLATFORM_READERS */
  readonly readers?: Readers;
}

export function account(input: AccountInput): FaultRow {
  const readers = input.readers ?? PLATFORM_READERS;
  const surplus = (kind: StreamLineKind, lines: readonly string[]) => lines.length - new Set(lines.map((l) => lineIdentity(kind, l))).size;
  const warehouse = readers.staging(input.lake.staging);
  const quarantined = readers.quarantine(input.lake.quarantine);
  const anomalies = readers.anomalies(input.lake.anomalies);
  const alerts = alertedEntries(input.messages);
  const duplicated =
    surplus('staging', warehouse) +
    surplus('quarantine', quarantined) +
    surplus('anomalies', anomalies) +
    (alerts.length - new Set(alerts).size);

  const landed = new Set<string>();
  for (const l of input.lake.staging) {
    const r = JSON.parse(l) as { _shard_id: string; _sequence_number: string };
    landed.add(`${r._shard_id}|${r._sequence_number}`);
  }
  for (const l of input.lake.quarantine) {
    const r = JSON.parse(l) as { shard_id: string; sequence_number: string };
    landed.add(`${r.shard_id}|${r.sequence_number}`);
  }
  const lost = input.inputs.filter((id) => !landed.has(id)).length;
  return {
    scenario: input.scenario,
    recordsIn: input.inputs.length,
    inWarehouse: warehouse.length,
    quarantined: quarantined.length,
    duplicated,
    lost,
  };
}
