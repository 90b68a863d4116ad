import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LakeStore, LakeZone } from '../contracts/lake';

/** Keys per DeleteObjects request (the S3 API's limit). */
const DELETE_BATCH = 1000;

/**
 * The lake port on S3: one bucket per zone. Encryption comes from the buckets' defaults (the lake key, bucket keys on);
 * network timeouts and retries from the client it is given (the stream processor's: lambda/stream-processor/aws-clients.ts).
 *
 * @typeParam Z the zones it has buckets for
 */
export class S3LakeStore<Z extends LakeZone = LakeZone> implements LakeStore<Z> {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: Readonly<Record<Z, string>>,
  ) {}

  public async put(zone: Z, key: string, body: string | Uint8Array, contentType = 'application/octet-stream'): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.buckets[zone], Key: key, Body: body, ContentType: contentType }));
  }

  public async get(zone: Z, key: string): Promise<Buffer | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.buckets[zone], Key: key }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  public async list(zone: Z, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.buckets[zone], Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** One DeleteObjects request per 1,000 keys; any key S3 reports failed fails the call. */
  public async delete(zone: Z, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const res = await this.s3.send(
        new DeleteObjectsCommand({ Bucket: this.buckets[zone], Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = res.Errors ?? [];
      if (failed.length) throw new Error(`S3 delete failed for ${failed.length} objects, first: ${failed[0].Key} ${failed[0].Message}`);
    }
  }

  public uri(zone: Z, key: string): string {
    return `s3://${this.buckets[zone]}/${key}`;
  }
}
