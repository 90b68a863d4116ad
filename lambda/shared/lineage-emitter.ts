/**
 * Emits the batch jobs' OpenLineage run events: START, then COMPLETE or FAIL around a job's work, to every transport
 * at once — the lake copy (always) and the HTTP endpoint (when configured). Emission never fails the job and never
 * holds it longer than `timeoutMs` per event: a transport that errs or is too slow is reported to `onFailure`
 * (the handlers log it and count it as the `LineageEmitFailures` metric) and the job goes on with its own result.
 */
import { createHash, randomUUID } from 'node:crypto';
import { objectKey } from '../contracts/lake-keys';
import { batchJobRun, runEvent, type BatchJob, type DatasetNamespaces, type JobRun, type RunEvent, type RunEventType } from './openlineage';

/** The `lineage` part of a batch function's runtime config (written by lib/constructs/lineage-transport.ts). */
export type { LineageRuntimeConfig } from '../contracts/lineage-config';

export interface LineageTransport {
  /** `lake` or `endpoint`: the failure metric's `Transport` dimension. */
  readonly name: string;
  send(event: RunEvent, signal: AbortSignal): Promise<void>;
}

export interface LineageEmitterOptions {
  /** OpenLineage job namespace. */
  readonly namespace: string;
  readonly datasets: DatasetNamespaces;
  readonly transports: readonly LineageTransport[];
  /** Longest one event may take on one transport. */
  readonly timeoutMs: number;
  /** One call per event a transport did not take (error or timeout), or per run that could not be described. */
  readonly onFailure: (transport: string, error: Error) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The lake copy's key of an event: `lineage/openlineage/dt=…/hr=…/<job>.<runId>.<type>.json` (one object per event). */
export function lineageEventKey(event: RunEvent): string {
  const file = `${event.job.name}.${event.run.runId}.${event.eventType.toLowerCase()}.json`;
  return objectKey({ source: 'lineage', entity: 'openlineage', time: new Date(event.eventTime) }, file);
}

/** Events as objects under `lineage/` of a lake bucket. */
export function lakeTransport(put: (key: string, body: string, signal: AbortSignal) => Promise<void>): LineageTransport {
  return { name: 'lake', send: (event, signal) => put(lineageEventKey(event), `${JSON.stringify(event)}\n`, signal) };
}

/** Events POSTed one by one to an OpenLineage HTTP endpoint, with a bearer API key when one is given. */
export function httpTransport(url: string, apiKey: () => Promise<string | undefined>, post: typeof fetch = fetch): LineageTransport {
  return {
    name: 'endpoint',
    send: async (event, signal) => {
      const key = await apiKey();
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) };
      const res = await post(url, { method: 'POST', headers, body: JSON.stringify(event), signal });
      if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    },
  };
}

/** A run id that is the same for the same parts (a job run observed again, e.g. by a retried step). */
export function stableRunId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

export class LineageEmitter {
  constructor(private readonly o: LineageEmitterOptions) {}

  /** Sends one event to every transport at once; resolves within `timeoutMs` whatever the transports do. */
  async emit(event: RunEvent): Promise<void> {
    await Promise.all(
      this.o.transports.map(async (t) => {
        const signal = AbortSignal.timeout(this.o.timeoutMs);
        const timedOut = new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error(`${t.name}: no answer within ${this.o.timeoutMs} ms`)), { once: true }),
        );
        try {
          await Promise.race([t.send(event, signal), timedOut]);
        } catch (err) {
          this.o.onFailure(t.name, asError(err));
        }
      }),
    );
  }

  /** START, `work`, then COMPLETE or FAIL (with the error's message); `work`'s result or error is passed on unchanged. */
  async around<T>(run: JobRun, work: () => Promise<T>): Promise<T> {
    const runId = randomUUID();
    const event = (type: RunEventType, error?: string) =>
      runEvent(type, run, { runId, eventTime: this.now(), namespace: this.o.namespace, error });
    await this.emit(event('START'));
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await this.emit(event('FAIL', asError(err).message));
      throw err;
    }
    await this.emit(event('COMPLETE'));
    return result;
  }

  /** Runs a batch job's `work` for one table as a lineage run (datasets from the lineage graph). */
  async batchRun<T>(job: BatchJob, table: string, work: () => Promise<T>): Promise<T> {
    const run = this.describe(job, table);
    return run ? this.around(run, work) : work();
  }

  /**
   * A COMPLETE of a job run this step did not perform but observed finished (conform, seen by the load through its
   * committed summary), with a run id stable for `runKey`: observed again, it is the same run.
   */
  async observed(job: BatchJob, table: string, runKey: string): Promise<void> {
    const run = this.describe(job, table);
    if (run)
      await this.emit(
        runEvent('COMPLETE', run, { runId: stableRunId(job, table, runKey), eventTime: this.now(), namespace: this.o.namespace }),
      );
  }

  private describe(job: BatchJob, table: string): JobRun | undefined {
    try {
      return batchJobRun(job, table, this.o.datasets);
    } catch (err) {
      this.o.onFailure('events', asError(err));
      return undefined;
    }
  }

  private now(): string {
    return (this.o.now ?? (() => new Date()))().toISOString();
  }
}

/** `work` as a lineage run of `job` when the function has an emitter; just `work` otherwise (local runs, tests). */
export function lineageRun<T>(emitter: LineageEmitter | undefined, job: BatchJob, table: string, work: () => Promise<T>): Promise<T> {
  return emitter ? emitter.batchRun(job, table, work) : work();
}
