import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { S3LakeStore } from '../../lambda/shared/s3-lake-store';
import { createStreamHandler, type StreamHandler } from '../../lambda/stream-processor/handler';
import type { BatchReport } from '../../lambda/stream-processor/ports';
import { S3DocumentStore } from '../../lambda/stream-processor/s3-document-store';
import { SnsAlertPublisher } from '../../lambda/stream-processor/sns-alerts';
import { CONTRACTS, SETTINGS, silentLogger } from './fixtures';

/**
 * The real handler wired to the real S3 and SNS adapters, whose clients are mocked with aws-sdk-client-mock and backed
 * by an in-memory bucket map, so tests can inject faults per call and inspect what the lake finally holds.
 */
export interface MockedLake {
  readonly handler: StreamHandler;
  /** `<bucket>/<key>` → body. */
  readonly objects: Map<string, string>;
  readonly published: { subject: string; message: string }[];
  readonly reports: BatchReport[];
  /** Return an error to fail this S3 call (evaluated per call). */
  failS3: (command: 'put' | 'delete' | 'get' | 'list', key: string) => Error | undefined;
  /** True: store this PUT, then fail it anyway (the response was lost). */
  ambiguousPut: (key: string) => boolean;
  failSns: () => Error | undefined;
  /** Every line in objects under a bucket and key prefix. */
  lines(bucket: string, prefix: string): string[];
  restore(): void;
}

export const BUCKETS = { staging: 'staging-bucket', quarantine: 'quarantine-bucket' } as const;

export function throttled(): Error {
  const e = new Error('Please reduce your request rate.');
  e.name = 'SlowDown';
  return e;
}

export function mockedLake(): MockedLake {
  const s3 = mockClient(S3Client);
  const sns = mockClient(SNSClient);
  const lake: MockedLake = {
    handler: undefined as unknown as StreamHandler,
    objects: new Map(),
    published: [],
    reports: [],
    failS3: () => undefined,
    ambiguousPut: () => false,
    failSns: () => undefined,
    lines(bucket, prefix) {
      const out: string[] = [];
      for (const [k, body] of lake.objects) if (k.startsWith(`${bucket}/${prefix}`)) out.push(...body.split('\n').filter(Boolean));
      return out;
    },
    restore() {
      s3.restore();
      sns.restore();
    },
  };
  const etags = new Map<string, string>();
  let versions = 0;
  s3.on(PutObjectCommand).callsFake(
    async (input: { Bucket: string; Key: string; Body: string; IfMatch?: string; IfNoneMatch?: string }) => {
      const err = lake.failS3('put', input.Key);
      if (err) throw err;
      const path = `${input.Bucket}/${input.Key}`;
      const exists = lake.objects.has(path);
      if ((input.IfNoneMatch === '*' && exists) || (input.IfMatch !== undefined && etags.get(path) !== input.IfMatch)) {
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      }
      lake.objects.set(path, input.Body);
      etags.set(path, `"${++versions}"`);
      if (lake.ambiguousPut(input.Key)) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      return { ETag: etags.get(path) };
    },
  );
  s3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    const err = lake.failS3('get', input.Key);
    if (err) throw err;
    const body = lake.objects.get(`${input.Bucket}/${input.Key}`);
    if (body === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToString: async () => body }, ETag: etags.get(`${input.Bucket}/${input.Key}`) };
  });
  s3.on(ListObjectsV2Command).callsFake(async (input: { Bucket: string; Prefix: string; MaxKeys: number }) => {
    const err = lake.failS3('list', input.Prefix);
    if (err) throw err;
    const keys = [...lake.objects.keys()]
      .filter((k) => k.startsWith(`${input.Bucket}/${input.Prefix}`))
      .sort()
      .slice(0, input.MaxKeys);
    return { Contents: keys.map((k) => ({ Key: k.slice(input.Bucket.length + 1) })) };
  });
  const remove = (bucket: string, key: string) => {
    const err = lake.failS3('delete', key);
    if (err) throw err;
    lake.objects.delete(`${bucket}/${key}`);
    etags.delete(`${bucket}/${key}`);
  };
  // Lake objects are deleted with DeleteObjects, the alert outbox's documents with DeleteObject.
  s3.on(DeleteObjectsCommand).callsFake(async (input: { Bucket: string; Delete: { Objects: { Key: string }[] } }) => {
    for (const o of input.Delete.Objects) remove(input.Bucket, o.Key);
    return {};
  });
  s3.on(DeleteObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    remove(input.Bucket, input.Key);
    return {};
  });
  sns.on(PublishCommand).callsFake(async (input: { Subject: string; Message: string }) => {
    const err = lake.failSns();
    if (err) throw err;
    lake.published.push({ subject: input.Subject, message: input.Message });
    return { MessageId: String(lake.published.length) };
  });
  const client = new S3Client({ region: 'eu-west-1' });
  (lake as { handler: StreamHandler }).handler = createStreamHandler({
    settings: SETTINGS,
    contracts: CONTRACTS,
    lake: new S3LakeStore(client, BUCKETS),
    outboxStore: new S3DocumentStore(client, BUCKETS.staging),
    outbox: { retryDelayMs: 0 },
    sweepEveryMs: 0,
    alerts: new SnsAlertPublisher(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:123456789012:warning'),
    metrics: { record: (r) => void lake.reports.push(r) },
    logger: silentLogger,
  });
  return lake;
}
