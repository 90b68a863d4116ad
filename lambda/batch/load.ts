/**
 * The warehouse load of one table and window: the warehouse's load SQL (stage → COPY … MANIFEST → latest
 * per key → merge into bronze → drop stage) submitted as ONE batch (one transaction), then polled with a bounded
 * loop. Status handling is an allow-list: SUBMITTED / PICKED / STARTED keep polling, FINISHED returns, FAILED and
 * ABORTED fail with the warehouse's own error text, and running out of polls cancels the statement and fails.
 *
 * The runner is the only engine-specific part: Redshift Data API in AWS (redshift-data-runner.ts), DuckDB in the
 * local run — the statements and the poll loop are the same code.
 */
export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface StatementDescription {
  readonly status: StatementStatus;
  /** The engine's error text (FAILED / ABORTED). */
  readonly error?: string;
  /** Rows affected per statement of the batch, in order (when FINISHED). */
  readonly rowsPerStatement?: readonly number[];
}

export interface StatementRunner {
  /** Submits statements to run in order in one transaction; returns the statement id. */
  submit(statements: readonly string[], name: string): Promise<string>;
  describe(id: string): Promise<StatementDescription>;
  cancel(id: string): Promise<void>;
}

export interface PollOptions {
  /** Wait between polls. @default 5000 */
  readonly intervalMs?: number;
  /** Polls before giving up (the loop's cap). @default 150 */
  readonly maxPolls?: number;
  /** Injectable sleep (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface LoadOutcome {
  readonly statementId: string;
  /** Rows the COPY statement loaded into the stage table. */
  readonly rowsCopied: number;
  readonly polls: number;
}

/** A load the warehouse rejected (FAILED): permanent, never retried by the state machine. */
export class LoadFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadFailed';
  }
}

/** A load that was aborted (cancelled, or the warehouse aborted the transaction). */
export class LoadAborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadAborted';
  }
}

/** The poll cap was reached; the statement was cancelled. */
export class LoadTimedOut extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadTimedOut';
  }
}

const RUNNING: ReadonlySet<StatementStatus> = new Set(['SUBMITTED', 'PICKED', 'STARTED']);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Submits a load batch and polls it to an end state; `copyIndex` is the COPY/INSERT statement's position. */
export async function runLoad(
  runner: StatementRunner,
  statements: readonly string[],
  name: string,
  copyIndex: number,
  options: PollOptions = {},
): Promise<LoadOutcome> {
  const intervalMs = options.intervalMs ?? 5_000;
  const maxPolls = options.maxPolls ?? 150;
  const sleep = options.sleep ?? defaultSleep;
  const id = await runner.submit(statements, name);
  for (let poll = 1; poll <= maxPolls; poll++) {
    await sleep(intervalMs);
    const d = await runner.describe(id);
    if (d.status === 'FINISHED') return { statementId: id, rowsCopied: d.rowsPerStatement?.[copyIndex] ?? 0, polls: poll };
    if (d.status === 'FAILED') throw new LoadFailed(`load ${name} failed in the warehouse: ${d.error ?? 'no error text'} (statement ${id})`);
    if (d.status === 'ABORTED') throw new LoadAborted(`load ${name} was aborted: ${d.error ?? 'no error text'} (statement ${id})`);
    if (!RUNNING.has(d.status)) throw new LoadFailed(`load ${name}: unexpected statement status ${String(d.status)} (statement ${id})`);
  }
  await runner.cancel(id).catch(() => undefined);
  throw new LoadTimedOut(`load ${name} still running after ${maxPolls} polls of ${intervalMs} ms; cancelled statement ${id}`);
}
