/**
 * The batch's view of the lake: put / get / list / delete by zone and key. `S3LakeStore` is the AWS edge;
 * `FsLakeStore` is the local run's `.local/lake/<zone>/<key>` directory. Both honour the same key layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export type Zone = 'raw' | 'staging' | 'quarantine';

export interface LakeStore {
  put(zone: Zone, key: string, body: Buffer | string, contentType?: string): Promise<void>;
  /** The object's bytes, or `undefined` if it does not exist. */
  get(zone: Zone, key: string): Promise<Buffer | undefined>;
  /** Keys under a prefix, sorted. */
  list(zone: Zone, prefix: string): Promise<string[]>;
  delete(zone: Zone, keys: readonly string[]): Promise<void>;
  /** Human-readable location, e.g. `s3://bucket/key`. */
  uri(zone: Zone, key: string): string;
}

export class S3LakeStore implements LakeStore {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: Readonly<Record<Zone, string>>,
  ) {}

  async put(zone: Zone, key: string, body: Buffer | string, contentType = 'application/octet-stream'): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.buckets[zone], Key: key, Body: body, ContentType: contentType }));
  }

  async get(zone: Zone, key: string): Promise<Buffer | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.buckets[zone], Key: key }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async list(zone: Zone, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.buckets[zone], Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(zone: Zone, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const res = await this.s3.send(
        new DeleteObjectsCommand({ Bucket: this.buckets[zone], Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (res.Errors?.length) throw new Error(`S3 delete failed for ${res.Errors.length} objects, first: ${res.Errors[0].Key} ${res.Errors[0].Message}`);
    }
  }

  uri(zone: Zone, key: string): string {
    return `s3://${this.buckets[zone]}/${key}`;
  }
}

export class FsLakeStore implements LakeStore {
  /** @param root the local lake directory holding one folder per zone */
  constructor(public readonly root: string) {}

  private file(zone: Zone, key: string): string {
    if (key.split('/').some((s) => s === '..' || s === '')) throw new Error(`lake key "${key}" is not a clean relative key`);
    return path.join(this.root, zone, key);
  }

  async put(zone: Zone, key: string, body: Buffer | string): Promise<void> {
    const file = this.file(zone, key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    await fs.promises.writeFile(tmp, body);
    await fs.promises.rename(tmp, file);
  }

  async get(zone: Zone, key: string): Promise<Buffer | undefined> {
    try {
      return await fs.promises.readFile(this.file(zone, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(zone: Zone, prefix: string): Promise<string[]> {
    const base = path.join(this.root, zone);
    const dir = prefix.endsWith('/') ? prefix : path.posix.dirname(prefix) + '/';
    const start = path.join(base, dir);
    if (!fs.existsSync(start)) return [];
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (!e.name.includes('.tmp-')) {
          const key = path.relative(base, p).split(path.sep).join('/');
          if (key.startsWith(prefix)) out.push(key);
        }
      }
    };
    walk(start);
    return out.sort();
  }

  async delete(zone: Zone, keys: readonly string[]): Promise<void> {
    for (const key of keys) await fs.promises.rm(this.file(zone, key), { force: true });
  }

  uri(zone: Zone, key: string): string {
    return path.join(this.root, zone, key);
  }
}
