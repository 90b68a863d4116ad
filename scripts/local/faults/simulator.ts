import { AsyncLocalStorage } from 'node:async_hooks';
import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import type { StreamHandler } from '../../../lambda/stream-processor/handler';
import type { AlertPublisher, DocumentStore, StoredDocument, StreamLake } from '../../../lambda/stream-processor/ports';
import type { StreamZone } from '../../../lambda/stream-processor/route';

/**
 * A Kinesis event source mapping, simulated closely enough to break the stream processor: one shard read in order,
 * `ReportBatchItemFailures` (re-read from the lowest reported sequence number, possibly with more or fewer records),
 * `BisectBatchOnFunctionError` (a failed invocation is split in two and each half retried, without consuming retries),
 * bounded retries; and faults injected at the processor's edges: lake PUTs that fail, that S3 stores but reports
 * failed, or that are the last thing an invocation does before it dies (timeout, out of memory); failed deletes; SNS
 * outages. A dead invocation's later calls never complete, as in a frozen Lambda sandbox.
 */

export type PutFate = 'ok' | 'fail' | 'ambiguous' | 'die';

export interface FaultPlan {
  /** Fate of the n-th lake PUT of the run (1-based), made by the given invocation (1-based). @default 'ok' */
  put?(call: { zone: StreamZone; key: string; n: number; invocation: number }): PutFate;
  /** Whether the n-th lake DELETE (of one key) succeeds. @default true */
  deleteOk?(call: { key: string; n: number; invocation: number }): boolean;
  /** Whether SNS accepts the n-th publish. @default true */
  snsUp?(call: { n: number; invocation: number }): boolean;
  /** Whether the invocation dies right after SNS accepted the n-th publish. @default false */
  dieAfterPublish?(call: { n: number; invocation: number }): boolean;
  /** Records the mapping reads next; `retry` when re-reading from a checkpoint after a failure. @default 1000 */
  batchSize?(read: { retry: boolean; n: number }): number;
  /** Where a bisected batch of `length` records is split. @default half, rounded up */
  split?(length: number): number;
}

/** Retries of a batch before the mapping skips it to the failure queue (the platform's default). */
export const MAX_RETRIES = 3;

class Invocation {
  public dead = false;
  public readonly killed: Promise<'died'>;
  private resolveKilled: (v: 'died') => void = () => undefined;
  constructor(public readonly id: number) {
    this.killed = new Promise((resolve) => (this.resolveKilled = resolve));
  }
  public kill(): void {
    this.dead = true;
    this.resolveKilled('died');
  }
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const transient = (name: string, message: string) => Object.assign(new Error(message), { name });

/** The edges of one simulated deployment: wrap the real lake, store and publisher; drive invocations. */
export class FaultRun {
  public readonly messages: string[] = [];
  /** Records the mapping skipped to the failure queue (metadata only: their data is wherever it landed before). */
  public skipped = 0;
  public invocations = 0;
  /** Simulated time (epoch ms): each invocation starts a minute after the previous one. */
  public clock = Date.UTC(2026, 10, 2, 9);
  /** The invocation whose async chain makes a call (a dead invocation's workers must not act as the next one). */
  private readonly context = new AsyncLocalStorage<Invocation>();
  private readonly outside = new Invocation(0);
  private puts = 0;
  private deletes = 0;
  private publishes = 0;

  constructor(
    private readonly plan: FaultPlan,
    private readonly maxRetries = MAX_RETRIES,
  ) {}

  private get current(): Invocation {
    return this.context.getStore() ?? this.outside;
  }

  public lake(inner: StreamLake): StreamLake {
    return {
      put: async (zone, key, body, contentType) => {
        const inv = this.current;
        if (inv.dead) return never();
        const fate = this.plan.put?.({ zone, key, n: ++this.puts, invocation: inv.id }) ?? 'ok';
        if (fate === 'fail') throw transient('SlowDown', 'Please reduce your request rate.');
        await inner.put(zone, key, body, contentType);
        if (fate === 'ambiguous') throw transient('TimeoutError', 'socket hang up after the request was sent');
        if (fate === 'die') {
          inv.kill();
          return never();
        }
      },
      delete: async (zone, keys) => {
        const inv = this.current;
        if (inv.dead) return never();
        const ok = (key: string) => this.plan.deleteOk?.({ key, n: ++this.deletes, invocation: inv.id }) ?? true;
        if (!keys.every(ok)) throw transient('SlowDown', 'Please reduce your request rate.');
        await inner.delete(zone, keys);
      },
    };
  }

  public store(inner: DocumentStore): DocumentStore {
    const guard = <T>(f: () => Promise<T>): Promise<T> => (this.current.dead ? never<T>() : f());
    return {
      read: (key): Promise<StoredDocument | undefined> => guard(() => inner.read(key)),
      write: (key, body, expected) => guard(() => inner.write(key, body, expected)),
      list: (prefix, max) => guard(() => inner.list(prefix, max)),
      remove: (key) => guard(() => inner.remove(key)),
    };
  }

  public publisher(): AlertPublisher {
    return {
      publish: async (_subject, message) => {
        const inv = this.current;
        if (inv.dead) return never();
        const call = { n: ++this.publishes, invocation: inv.id };
        if (!(this.plan.snsUp?.(call) ?? true)) throw transient('InternalErrorException', 'SNS unavailable');
        this.messages.push(message);
        if (this.plan.dieAfterPublish?.(call)) {
          inv.kill();
          return never();
        }
      },
    };
  }

  /** One invocation; `died` when it timed out, ran out of memory or threw. */
  public async invoke(handler: StreamHandler, records: readonly KinesisStreamRecord[]): Promise<KinesisStreamBatchResponse | 'died'> {
    const inv = new Invocation(++this.invocations);
    this.clock += 60_000;
    try {
      return await Promise.race([this.context.run(inv, () => handler({ Records: [...records] })), inv.killed]);
    } catch {
      inv.kill();
      return 'died';
    }
  }

  /** Consumes one shard's records as the event source mapping would. */
  public async consume(handler: StreamHandler, records: readonly KinesisStreamRecord[]): Promise<void> {
    let pos = 0;
    let reads = 0;
    let retry = false;
    let retries = 0;
    while (pos < records.length) {
      const size = Math.max(1, this.plan.batchSize?.({ retry, n: ++reads }) ?? 1000);
      const batch = records.slice(pos, pos + size);
      const done = await this.deliver(handler, batch);
      if (done === batch.length) {
        pos += done;
        retry = false;
        retries = 0;
        continue;
      }
      retry = true;
      if (done > 0) {
        pos += done;
        retries = 0;
      } else if (++retries > this.maxRetries) {
        this.skipped += batch.length;
        pos += batch.length;
        retries = 0;
      }
    }
  }

  /** Records of `batch` processed from its start: all, a checkpoint (item failures), or what bisecting got through. */
  private async deliver(handler: StreamHandler, batch: readonly KinesisStreamRecord[]): Promise<number> {
    const res = await this.invoke(handler, batch);
    if (res === 'died') {
      if (batch.length === 1) return 0;
      const mid = Math.min(batch.length - 1, Math.max(1, this.plan.split?.(batch.length) ?? Math.ceil(batch.length / 2)));
      const left = await this.deliver(handler, batch.slice(0, mid));
      return left < mid ? left : mid + (await this.deliver(handler, batch.slice(mid)));
    }
    if (res.batchItemFailures.length === 0) return batch.length;
    const lowest = Math.min(...res.batchItemFailures.map((f) => batch.findIndex((r) => r.kinesis.sequenceNumber === f.itemIdentifier)));
    if (lowest < 0) throw new Error('the handler reported a sequence number that is not in the batch');
    return lowest;
  }
}
