import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { RecordedCall } from '../../lib/readiness/iam-actions';

/** What the recorder needs of a client mock. */
interface Stub {
  calls(): { readonly args: readonly unknown[] }[];
  resetHistory(): void;
  restore(): void;
}

/** The input fields that name resources (what IAM authorizes against); the rest (bodies, SQL) is left out. */
const RESOURCE_FIELDS = [
  'Bucket',
  'Key',
  'Prefix',
  'TableName',
  'TopicArn',
  'SecretId',
  'SecretArn',
  'WorkgroupName',
  'Database',
  'namespaceName',
  'QueueUrl',
];

/**
 * Every AWS SDK client the runtime code uses, mocked; S3 is an in-memory bucket map so handlers can run their
 * main paths end to end (write, read back, list, delete stale parts).
 */
export class SdkRecorder {
  readonly objects = new Map<string, Buffer>();
  /** Return an error to fail a PutObject of this key (fault paths such as the stream processor's rollback). */
  failPut: (key: string) => Error | undefined = () => undefined;
  readonly s3 = mockClient(S3Client);
  readonly sns = mockClient(SNSClient);
  readonly dynamodb = mockClient(DynamoDBClient);
  readonly secrets = mockClient(SecretsManagerClient);
  readonly redshiftData = mockClient(RedshiftDataClient);
  readonly redshiftServerless = mockClient(RedshiftServerlessClient);
  private readonly all: Stub[] = [this.s3, this.sns, this.dynamodb, this.secrets, this.redshiftData, this.redshiftServerless];

  constructor() {
    this.s3.on(PutObjectCommand).callsFake(async (i: { Bucket: string; Key: string; Body: string | Buffer }) => {
      const err = this.failPut(i.Key);
      if (err) throw err;
      this.objects.set(`${i.Bucket}/${i.Key}`, Buffer.from(i.Body));
      return {};
    });
    this.s3.on(GetObjectCommand).callsFake(async (i: { Bucket: string; Key: string }) => {
      const body = this.objects.get(`${i.Bucket}/${i.Key}`);
      if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: { transformToByteArray: async () => new Uint8Array(body), transformToString: async () => body.toString('utf8') } };
    });
    this.s3.on(ListObjectsV2Command).callsFake(async (i: { Bucket: string; Prefix: string }) => ({
      Contents: [...this.objects.keys()]
        .filter((k) => k.startsWith(`${i.Bucket}/${i.Prefix}`))
        .map((k) => ({ Key: k.slice(i.Bucket.length + 1) })),
    }));
    this.s3.on(DeleteObjectsCommand).callsFake(async (i: { Bucket: string; Delete: { Objects: { Key: string }[] } }) => {
      for (const o of i.Delete.Objects) this.objects.delete(`${i.Bucket}/${o.Key}`);
      return {};
    });
    this.s3.on(DeleteObjectCommand).callsFake(async (i: { Bucket: string; Key: string }) => {
      this.objects.delete(`${i.Bucket}/${i.Key}`);
      return {};
    });
  }

  private readonly unrecorded = new Map<Stub, [number, number][]>();

  /** Forgets the calls so far (objects stay). */
  resetCalls(): void {
    for (const stub of this.all) stub.resetHistory();
    this.unrecorded.clear();
  }

  /** Runs set-up work (e.g. another component's writes) whose calls are not recorded. */
  async unrecordedDuring(work: () => Promise<unknown>): Promise<void> {
    const before = this.all.map((s) => s.calls().length);
    await work();
    this.all.forEach((s, i) => this.unrecorded.set(s, [...(this.unrecorded.get(s) ?? []), [before[i], s.calls().length]]));
  }

  /** The calls since the last reset, each once, in first-call order. */
  calls(): RecordedCall[] {
    const out = new Map<string, RecordedCall>();
    for (const stub of this.all) {
      const skipped = this.unrecorded.get(stub) ?? [];
      for (const [n, call] of stub.calls().entries()) {
        if (skipped.some(([from, to]) => n >= from && n < to)) continue;
        const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
        const input: Record<string, unknown> = {};
        for (const f of RESOURCE_FIELDS) if (command.input[f] !== undefined) input[f] = command.input[f];
        const objects = (command.input.Delete as { Objects?: { Key: string }[] } | undefined)?.Objects;
        if (objects) input.Delete = { Objects: objects.map((o) => ({ Key: o.Key })) };
        const rec = { command: command.constructor.name, input };
        out.set(JSON.stringify(rec), rec);
      }
    }
    return [...out.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }

  restore(): void {
    for (const stub of this.all) stub.restore();
  }
}
