/**
 * The one way runtime code runs SQL in the warehouse: statements submitted as ONE transaction, then a bounded poll
 * loop. Status handling is an allow-list: SUBMITTED / PICKED / STARTED keep polling, FINISHED returns, FAILED and
 * ABORTED fail with the engine's own error text, anything else fails, and running out of polls cancels the
 * statement and fails. The engine is a port: the Redshift Data API in AWS (redshift-data.ts), DuckDB in the local
 * run — the statements and the poll loop are the same code.
 */
export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface StatementDescription {
  readonly status: StatementStatus;
  /** The engine's error text (FAILED / ABORTED). */
  readonly error?: string;
  /** Rows affected per statement of the batch, in order (when FINISHED). */
  readonly rowsPerStatement?: readonly number[];
}

/** A warehouse engine that runs statements asynchronously. */
export interface StatementRunner {
  /** Submits statements to run in order in one transaction; returns the statement id. */
  submit(statements: readonly string[], name: string): Promise<string>;
  describe(id: string): Promise<StatementDescription>;
  cancel(id: string): Promise<void>;
}

export interface PollOptions {
  /** Wait before each poll. @default 5000 */
  readonly intervalMs?: number;
  /** Polls before giving up (the loop's cap). @default 150 */
  readonly maxPolls?: number;
  /** Injectable sleep (tests). @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface StatementOutcome {
  readonly statementId: string;
  /** Rows affected per statement, in order. */
  readonly rowsPerStatement: readonly number[];
  readonly polls: number;
}

/** How a statement ended when it did not finish: the engine's verdict, or TIMEOUT when the poll cap was reached. */
export type StatementEnd = 'FAILED' | 'ABORTED' | 'TIMEOUT' | 'UNEXPECTED';

export class StatementError extends Error {
  constructor(
    /** The statement's name (as submitted). */
    public readonly statementName: string,
    public readonly statementId: string,
    public readonly end: StatementEnd,
    /** The engine's error text, or what was seen instead of a known status. */
    public readonly detail: string | undefined,
  ) {
    super(`statement ${statementName} (${statementId}) ${end}${detail ? `: ${detail}` : ''}`);
    this.name = 'StatementError';
  }
}

const RUNNING: ReadonlySet<StatementStatus> = new Set(['SUBMITTED', 'PICKED', 'STARTED']);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls a submitted statement to an end state; cancels it when the cap is reached. */
export async function waitForStatement(
  runner: StatementRunner,
  id: string,
  name: string,
  options: PollOptions = {},
): Promise<StatementOutcome> {
  const intervalMs = options.intervalMs ?? 5_000;
  const maxPolls = options.maxPolls ?? 150;
  const sleep = options.sleep ?? defaultSleep;
  for (let poll = 1; poll <= maxPolls; poll++) {
    await sleep(intervalMs);
    const d = await runner.describe(id);
    if (d.status === 'FINISHED') return { statementId: id, rowsPerStatement: d.rowsPerStatement ?? [], polls: poll };
    if (d.status === 'FAILED' || d.status === 'ABORTED') throw new StatementError(name, id, d.status, d.error);
    if (!RUNNING.has(d.status)) throw new StatementError(name, id, 'UNEXPECTED', `unexpected statement status ${String(d.status)}`);
  }
  await runner.cancel(id).catch(() => undefined);
  throw new StatementError(name, id, 'TIMEOUT', `still running after ${maxPolls} polls of ${intervalMs} ms; cancelled`);
}

/** Submits statements as one transaction and waits for them. */
export async function runStatements(
  runner: StatementRunner,
  statements: readonly string[],
  name: string,
  options: PollOptions = {},
): Promise<StatementOutcome> {
  return waitForStatement(runner, await runner.submit(statements, name), name, options);
}
