/**
 * Gzipped NDJSON written as bounded parts (`<base>-00000.ndjson.gz`, …) so no writer ever holds more than one
 * part in memory, and read back part by part. Part names are deterministic: a rerun that produces the same rows
 * writes the same keys; `removeStale` deletes parts a previous run wrote that the new run did not.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LakeStore, LakeZone } from '../contracts/lake';

export interface PartRef {
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
}

export class NdjsonPartWriter {
  private lines: string[] = [];
  private partsWritten: PartRef[] = [];
  private total = 0;

  /**
   * @param folder key prefix ending in `/` (a partition folder from lake-keys)
   * @param base file base name (the table)
   * @param partRows rows per part; bounds memory
   */
  constructor(
    private readonly store: LakeStore,
    private readonly zone: LakeZone,
    private readonly folder: string,
    private readonly base: string,
    private readonly partRows = 50_000,
  ) {
    if (!folder.endsWith('/')) throw new Error(`part folder "${folder}" must end with /`);
  }

  async write(record: unknown): Promise<void> {
    this.lines.push(JSON.stringify(record));
    this.total += 1;
    if (this.lines.length >= this.partRows) await this.flush();
  }

  get rows(): number {
    return this.total;
  }

  private async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const key = `${this.folder}${this.base}-${String(this.partsWritten.length).padStart(5, '0')}.ndjson.gz`;
    const body = gzipSync(this.lines.join('\n') + '\n', { level: 6 });
    await this.store.put(this.zone, key, body, 'application/x-ndjson');
    this.partsWritten.push({ key, rows: this.lines.length, bytes: body.length });
    this.lines = [];
  }

  /** Writes the last part; returns every part written. */
  async close(): Promise<PartRef[]> {
    await this.flush();
    return this.partsWritten;
  }
}

/** Parses one gzipped NDJSON part. */
export function parseNdjsonGz(body: Buffer): unknown[] {
  const text = gunzipSync(body).toString('utf8');
  const out: unknown[] = [];
  for (const line of text.split('\n')) if (line.length > 0) out.push(JSON.parse(line));
  return out;
}

/** Reads parts one at a time, yielding their records. */
export async function* readParts(store: LakeStore, zone: LakeZone, keys: readonly string[]): AsyncGenerator<unknown> {
  for (const key of keys) {
    const body = await store.get(zone, key);
    if (body === undefined) throw new Error(`missing lake object ${store.uri(zone, key)}`);
    yield* parseNdjsonGz(body);
  }
}

/**
 * Deletes every object directly in `folder` (a window's partition folder) that `keep` does not list: parts an earlier
 * attempt of the same window wrote that the current, complete attempt did not (rows gone from the source, or the
 * leftovers of an attempt that crashed before its manifest). Returns the deleted keys.
 */
export async function removeUnlisted(store: LakeStore, zone: LakeZone, folder: string, keep: readonly string[]): Promise<string[]> {
  if (!folder.endsWith('/')) throw new Error(`folder "${folder}" must end with /`);
  const listed = new Set(keep);
  const stale = (await store.list(zone, folder)).filter((k) => !listed.has(k) && !k.slice(folder.length).includes('/'));
  if (stale.length > 0) await store.delete(zone, stale);
  return stale;
}
