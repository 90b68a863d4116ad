import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore, StoredDocument } from './ports';

/**
 * The alert ledger's store on S3: JSON objects under one prefix of a lake bucket (encrypted by the bucket's default,
 * the lake CMK). Optimistic concurrency with S3 conditional writes: `If-Match: <ETag>` to replace the version read,
 * `If-None-Match: *` to create; a 412 (or 409 for a concurrent conditional write) is a conflict. Every S3 call the
 * outbox makes is in this class (the function's role grants exactly these: Get/Put/DeleteObject under the outbox
 * prefix, ListBucket with that prefix).
 */
export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Lists the key first: without a bucket-wide ListBucket grant, S3 answers a GET of a missing key with 403, not 404. */
  public async read(key: string): Promise<StoredDocument | undefined> {
    if (!(await this.list(key, 1)).includes(key)) return undefined;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: (await out.Body?.transformToString('utf-8')) ?? '', version: out.ETag ?? '' };
    } catch (err) {
      if ((err as Error).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  public async write(key: string, body: string, expected: string | undefined): Promise<string | false> {
    const condition = expected === undefined ? { IfNoneMatch: '*' } : { IfMatch: expected };
    try {
      const out = await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', ...condition }),
      );
      return out.ETag ?? '';
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((err as Error).name === 'PreconditionFailed' || status === 412 || status === 409) return false;
      throw err;
    }
  }

  public async list(prefix: string, max: number): Promise<string[]> {
    const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: max }));
    return (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
  }

  public async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
