import type { AnomalyType } from '../contracts/events-anomalies';
import { ALERT_PREFIX, timePartition } from '../contracts/lake-keys';
import { alertMessage } from './alert-message';
import type { AlertPublisher, DocumentStore } from './ports';

/**
 * The alert outbox: anomaly alerts are recorded in a ledger before they are published, so an SNS outage never holds
 * stream data back and a redelivered record is never announced twice.
 *
 * One ledger per stream, shard and arrival hour (`alerts/ledger/<stream>/<shard>/dt=…/hr=….json`) lists the anomaly
 * entries already sent and those pending, each identified by (sequence number, anomaly type). A batch adds only
 * entries the ledger does not hold yet (a redelivery, however it is split, adds nothing new), then publishes the
 * ledger's pending entries (claimed first, so concurrent senders never publish the same ones) and moves them to
 * `sent`. Entries that cannot be published stay pending under a marker
 * (`alerts/pending/…`) that a later invocation's sweep finds and sends. Writes are conditional on the version read, so
 * concurrent invocations of one shard (parallelization factor > 1) never overwrite each other's entries.
 *
 * The one window left: an invocation that dies after SNS accepted a summary and before the ledger records it as sent
 * makes the next sender publish those entries again (SNS standard topics have no de-duplication).
 */

export const ALERT_LEDGER_PREFIX = `${ALERT_PREFIX}ledger/`;
export const ALERT_PENDING_PREFIX = `${ALERT_PREFIX}pending/`;
/** Entries per SNS message (keeps every message well under the 256 KB limit). */
export const MAX_ENTRIES_PER_MESSAGE = 500;
const HOUR_MS = 3_600_000;

export interface AlertEntry {
  readonly anomaly_type: AnomalyType;
  readonly event_id: string;
  readonly shard_id: string;
  readonly sequence_number: string;
  readonly score: number;
  readonly threshold: number;
}

/** A pending entry, possibly claimed by a sender until `claimed_until` (epoch ms). */
type PendingEntry = AlertEntry & { readonly claimed_until?: number };

interface Ledger {
  readonly stream: string;
  readonly sent: string[];
  readonly pending: PendingEntry[];
}

/** A ledger and the version it was read or written as (`undefined`: it does not exist yet). */
interface LedgerState {
  readonly ledger: Ledger;
  readonly version: string | undefined;
}

const unclaimed = ({ claimed_until: _claim, ...e }: PendingEntry): AlertEntry => e;

export interface SendResult {
  readonly sent: number;
  /** Entries left pending. */
  readonly deferred: number;
  /** Messages that could not be published. */
  readonly failures: number;
}

export interface AlertOutboxOptions {
  /** Publish attempts per message. @default 3 */
  readonly attempts?: number;
  /** Delay before the n-th retry: n × this (ms). @default 200 */
  readonly retryDelayMs?: number;
  /** Version conflicts tolerated per ledger update. @default 8 */
  readonly maxConflicts?: number;
  /** How long a sender's claim on entries holds (longer than the function timeout). @default 600_000 */
  readonly leaseMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export const entryId = (e: Pick<AlertEntry, 'sequence_number' | 'anomaly_type'>): string => `${e.sequence_number}|${e.anomaly_type}`;

/** The ledger file of a stream, shard and arrival hour (relative to the ledger and pending prefixes). */
export function ledgerName(stream: string, shardId: string, arrivalMs: number): string {
  return `${stream}/${shardId}/${timePartition(new Date(Math.floor(arrivalMs / HOUR_MS) * HOUR_MS))}.json`;
}

export class AlertOutbox {
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly maxConflicts: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  /** Ledger states the last `enqueue` left, used once by `send`. */
  private readonly recent = new Map<string, LedgerState>();

  constructor(
    private readonly store: DocumentStore,
    private readonly publisher: AlertPublisher,
    private readonly environment: string,
    options: AlertOutboxOptions = {},
  ) {
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxConflicts = options.maxConflicts ?? 8;
    this.leaseMs = options.leaseMs ?? 600_000;
    this.now = options.now ?? Date.now;
  }

  /** Adds the entries no ledger holds yet as pending; returns the ledgers touched. Throws when a ledger cannot be written. */
  public async enqueue(stream: string, entries: readonly (AlertEntry & { readonly arrivalMs: number })[]): Promise<string[]> {
    const byLedger = new Map<string, AlertEntry[]>();
    for (const { arrivalMs, ...entry } of entries) {
      const name = ledgerName(stream, entry.shard_id, arrivalMs);
      const list = byLedger.get(name);
      if (list) list.push(entry);
      else byLedger.set(name, [entry]);
    }
    this.recent.clear();
    for (const [name, batch] of byLedger) {
      let added = false;
      const state = await this.update(name, stream, (l) => {
        const known = new Set([...l.sent, ...l.pending.map(entryId)]);
        const fresh = batch.filter((e) => !known.has(entryId(e)));
        added = fresh.length > 0;
        return added ? { ...l, pending: [...l.pending, ...fresh] } : undefined;
      });
      this.recent.set(name, state);
      if (added) await this.store.write(`${ALERT_PENDING_PREFIX}${name}`, '', undefined);
    }
    return [...byLedger.keys()];
  }

  /**
   * Publishes the pending entries of one ledger (bounded retries per message) and records them as sent. Each message's
   * entries are first claimed in the ledger (a lease), so concurrent senders never publish the same entries; a claim
   * left by a sender that died expires after `leaseMs` and the entries are sent by a later sweep.
   */
  public async send(name: string): Promise<SendResult> {
    let sent = 0;
    // The ledger as this instance's enqueue just left it saves a read; every write is still conditional on it.
    let state = this.recent.get(name);
    this.recent.delete(name);
    for (;;) {
      const now = this.now();
      let chunk: AlertEntry[] = [];
      let stream = '';
      state = await this.update(
        name,
        '',
        (l) => {
          stream = l.stream;
          chunk = l.pending
            .filter((e) => !((e.claimed_until ?? 0) > now))
            .slice(0, MAX_ENTRIES_PER_MESSAGE)
            .map(unclaimed);
          const ids = new Set(chunk.map(entryId));
          return chunk.length
            ? { ...l, pending: l.pending.map((e) => (ids.has(entryId(e)) ? { ...e, claimed_until: now + this.leaseMs } : e)) }
            : undefined;
        },
        state,
      );
      if (chunk.length === 0) break;
      const ids = new Set(chunk.map(entryId));
      if (!(await this.publish(stream, name, chunk))) {
        let deferred = 0;
        await this.update(
          name,
          stream,
          (l) => {
            deferred = l.pending.length;
            return { ...l, pending: l.pending.map((e) => (ids.has(entryId(e)) ? unclaimed(e) : e)) };
          },
          state,
        );
        return { sent, deferred, failures: 1 };
      }
      state = await this.update(
        name,
        stream,
        (l) => ({ ...l, sent: [...l.sent, ...ids], pending: l.pending.filter((e) => !ids.has(entryId(e))) }),
        state,
      );
      sent += chunk.length;
    }
    await this.clearMarker(name);
    return { sent, deferred: 0, failures: 0 };
  }

  /** Sends up to `max` ledgers that still hold pending entries (except `skip`); `depth` is how many were found. */
  public async sweep(max: number, skip: ReadonlySet<string> = new Set()): Promise<SendResult & { depth: number }> {
    const keys = await this.store.list(ALERT_PENDING_PREFIX, max);
    const total = { sent: 0, deferred: 0, failures: 0, depth: keys.length };
    for (const key of keys) {
      const name = key.slice(ALERT_PENDING_PREFIX.length);
      if (skip.has(name)) continue;
      const r = await this.send(name);
      total.sent += r.sent;
      total.deferred += r.deferred;
      total.failures += r.failures;
    }
    return total;
  }

  /** Removes the pending marker, then puts it back if another invocation added entries meanwhile. */
  private async clearMarker(name: string): Promise<void> {
    await this.store.remove(`${ALERT_PENDING_PREFIX}${name}`);
    const doc = await this.store.read(`${ALERT_LEDGER_PREFIX}${name}`);
    if (doc && (JSON.parse(doc.body) as Ledger).pending.length) await this.store.write(`${ALERT_PENDING_PREFIX}${name}`, '', undefined);
  }

  private async publish(stream: string, name: string, entries: readonly AlertEntry[]): Promise<boolean> {
    const { subject, message } = alertMessage(this.environment, stream, `${ALERT_LEDGER_PREFIX}${name}`, entries);
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        await this.publisher.publish(subject, message);
        return true;
      } catch {
        if (attempt < this.attempts && this.retryDelayMs > 0) await new Promise((r) => setTimeout(r, this.retryDelayMs * attempt));
      }
    }
    return false;
  }

  /**
   * Read-modify-write of one ledger, conditional on the version read (first on `known`, a state this instance saw,
   * when given); `change` returns undefined for "no change". Returns the ledger's state afterwards.
   */
  private async update(name: string, stream: string, change: (l: Ledger) => Ledger | undefined, known?: LedgerState): Promise<LedgerState> {
    const key = `${ALERT_LEDGER_PREFIX}${name}`;
    let state = known;
    for (let conflicts = 0; conflicts <= this.maxConflicts; conflicts++) {
      if (!state) {
        const doc = await this.store.read(key);
        state = doc
          ? { ledger: JSON.parse(doc.body) as Ledger, version: doc.version }
          : { ledger: { stream, sent: [], pending: [] }, version: undefined };
      }
      const next = change(state.ledger);
      if (!next) return state;
      const version = await this.store.write(key, JSON.stringify(next), state.version);
      if (version !== false) return { ledger: next, version };
      state = undefined;
    }
    throw new Error(`alert ledger ${key}: more than ${this.maxConflicts} concurrent updates`);
  }
}
