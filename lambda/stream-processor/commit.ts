import { NDJSON_CONTENT_TYPE } from '../contracts/lake';
import type { StreamLake } from './ports';
import type { PlannedObject } from './route';

/**
 * Commit: writes the planned objects and, when some fail, makes the lake hold exactly the records before the lowest
 * failed record. Lambda redelivers from the lowest reported sequence number, so every record from there on will be
 * processed again: objects that were written but also hold such records are rewritten without them (or deleted), so
 * redelivery neither loses nor duplicates an event.
 */

/** Runs `fn` over `items` with at most `limit` in flight; returns per-item success. */
export async function settleAll<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<(Error | undefined)[]> {
  const results = new Array<Error | undefined>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        await fn(items[i]);
        results[i] = undefined;
      } catch (err) {
        results[i] = err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Writes every object; returns which failed and the lowest unpersisted index. */
export async function writeObjects(objects: readonly PlannedObject[], lake: StreamLake, concurrency: number) {
  const results = await settleAll(objects, concurrency, (o) => lake.put(o.zone, o.key, o.body(), NDJSON_CONTENT_TYPE));
  let failedFrom: number | undefined;
  const errors: string[] = [];
  results.forEach((err, i) => {
    if (!err) return;
    errors.push(`${objects[i].key}: ${err.name}: ${err.message}`);
    failedFrom = Math.min(failedFrom ?? Infinity, objects[i].indexes[0]);
  });
  return { results, failedFrom, errors };
}

/**
 * Removes records at or after `failedFrom` from every object holding any: rewrite with the earlier records kept, or
 * delete when none remain. Objects whose write was reported failed are included: S3 may have stored a PUT whose
 * response was lost (an ambiguous failure).
 */
export async function rollBackFrom(
  objects: readonly PlannedObject[],
  failedFrom: number,
  lake: StreamLake,
  concurrency: number,
): Promise<{ failures: number; errors: string[] }> {
  const touched = objects.filter((o) => o.indexes[o.indexes.length - 1] >= failedFrom);
  const results = await settleAll(touched, concurrency, (o) => {
    let keep = 0;
    while (keep < o.indexes.length && o.indexes[keep] < failedFrom) keep++;
    return keep ? lake.put(o.zone, o.key, o.body(keep), NDJSON_CONTENT_TYPE) : lake.delete(o.zone, [o.key]);
  });
  const errors: string[] = [];
  results.forEach((err, i) => err && errors.push(`rollback ${touched[i].key}: ${err.name}: ${err.message}`));
  return { failures: errors.length, errors };
}
