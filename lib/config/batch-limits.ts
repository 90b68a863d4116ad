/**
 * Concurrency limits of the hourly batch, shared by the stacks (Glue `MaxConcurrentRuns`) and the backfill CLI
 * (its `--concurrency` cap).
 */

/** Concurrent runs each batch Glue job (conform, customer_features) accepts. */
export const GLUE_MAX_CONCURRENT_RUNS = 3;

/**
 * The most batch executions a backfill may start at once. Every execution runs each Glue job once, so more would
 * only queue on `Glue.ConcurrentRunsExceededException` (which the state machine waits out, at the cost of time).
 */
export const MAX_BACKFILL_CONCURRENCY: number = GLUE_MAX_CONCURRENT_RUNS;
