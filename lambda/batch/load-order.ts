/**
 * Load order within a backfill: each window of a backfill names its predecessor (the window before it in the same
 * backfill), and does not load the warehouse before that predecessor has, so a row whose parent changed in an
 * earlier hour never reaches a dbt build ahead of its parent, whatever order the windows finish their Glue steps in.
 *
 * An execution whose warehouse branch succeeded leaves `loaded#<window id>` in the lease table (expiring after
 * LOADED_MARKER_TTL_SECONDS) before it releases its window lease. Before taking the warehouse lease, a successor
 * reads the predecessor's window lease, then its marker: the lease held means the predecessor still runs (wait:
 * PredecessorLoading, retried by the state machine); the lease free and no marker means it failed, was never
 * started or was aborted (PredecessorNotLoaded, not retried). Reading in that order never misses a marker: the
 * marker is written before the lease is released.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PREDECESSOR_LOADING } from '../contracts/workflow';

export { PREDECESSOR_LOADING };

/** How long a window's "loaded" marker is kept: longer than any backfill runs. */
export const LOADED_MARKER_TTL_SECONDS = 14 * 86_400;

/** Read and write access to the lease table's items that order the loads. */
export interface LoadOrderStore {
  /** Whether lease `name` is held at `nowMs` (an item that has not expired). */
  leaseHeld(name: string, nowMs: number): Promise<boolean>;
  /** Whether `marker` exists and has not expired at `nowMs`. */
  hasMarker(marker: string, nowMs: number): Promise<boolean>;
  /** Writes `marker` (replacing an older one) with its owner and expiry. */
  putMarker(marker: string, owner: string, expiresAtSeconds: number): Promise<void>;
}

/** A window id as the plan gives it (`20260601t0900`). */
export const WINDOW_ID = /^\d{8}t\d{4}$/;

export const loadedMarker = (windowId: string): string => `loaded#${windowId}`;
const windowLease = (windowId: string): string => `window#${windowId}`;

/** `20260601t0900` → `2026-06-01T09:00Z`, as the error names it. */
const readable = (windowId: string) => windowId.replace(/^(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})$/, '$1-$2-$3T$4:$5Z');

export class PredecessorLoading extends Error {
  constructor(windowId: string) {
    super(
      `the previous window of this backfill, ${readable(windowId)}, has not finished loading the warehouse yet (its execution still runs)`,
    );
    this.name = PREDECESSOR_LOADING;
  }
}

export class PredecessorNotLoaded extends Error {
  constructor(windowId: string) {
    super(
      `the previous window of this backfill, ${readable(windowId)}, did not load the warehouse (it failed, was aborted or never started): ` +
        'loading this window first could fail its dbt tests; re-run both (backfill --only-failed)',
    );
    this.name = 'PredecessorNotLoaded';
  }
}

/** Resolves once window `predecessor` has loaded the warehouse; throws PredecessorLoading or PredecessorNotLoaded. */
export async function awaitPredecessor(store: LoadOrderStore, predecessor: string, nowMs = Date.now()): Promise<void> {
  if (await store.leaseHeld(windowLease(predecessor), nowMs)) throw new PredecessorLoading(predecessor);
  if (!(await store.hasMarker(loadedMarker(predecessor), nowMs))) throw new PredecessorNotLoaded(predecessor);
}

/** Records that window `windowId` loaded the warehouse (call before releasing its window lease). */
export function markLoaded(store: LoadOrderStore, windowId: string, owner: string, nowMs = Date.now()): Promise<void> {
  return store.putMarker(loadedMarker(windowId), owner, Math.floor(nowMs / 1000) + LOADED_MARKER_TTL_SECONDS);
}

/** The lease table on DynamoDB: strongly consistent reads, an unconditional put for the marker. */
export class DynamoLoadOrderStore implements LoadOrderStore {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  private async expiresAt(name: string): Promise<number | undefined> {
    const { Item } = await this.ddb.send(
      new GetItemCommand({ TableName: this.table, Key: { lease_name: { S: name } }, ConsistentRead: true }),
    );
    return Item?.expires_at?.N === undefined ? undefined : Number(Item.expires_at.N);
  }

  async leaseHeld(name: string, nowMs: number): Promise<boolean> {
    const expires = await this.expiresAt(name);
    // DynamoDB's TTL deletes lazily: an expired item is a free lease.
    return expires !== undefined && expires >= Math.floor(nowMs / 1000);
  }

  hasMarker(marker: string, nowMs: number): Promise<boolean> {
    return this.leaseHeld(marker, nowMs);
  }

  async putMarker(marker: string, owner: string, expiresAtSeconds: number): Promise<void> {
    await this.ddb.send(
      new PutItemCommand({
        TableName: this.table,
        Item: { lease_name: { S: marker }, owner: { S: owner }, expires_at: { N: String(expiresAtSeconds) } },
      }),
    );
  }
}

/** In memory (local run, tests): markers kept here, leases read from the in-process lease store. */
export class MemoryLoadOrderStore implements LoadOrderStore {
  private readonly markers = new Map<string, number>();

  /** `leases.holder(name)`: the owner of a held lease (local leases are released or outlive the run). */
  constructor(private readonly leases: { holder(name: string): string | undefined }) {}

  async leaseHeld(name: string): Promise<boolean> {
    return this.leases.holder(name) !== undefined;
  }

  async hasMarker(marker: string, nowMs: number): Promise<boolean> {
    return (this.markers.get(marker) ?? -Infinity) >= Math.floor(nowMs / 1000);
  }

  async putMarker(marker: string, _owner: string, expiresAtSeconds: number): Promise<void> {
    this.markers.set(marker, expiresAtSeconds);
  }
}
