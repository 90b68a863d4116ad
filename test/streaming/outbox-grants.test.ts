import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AlertOutbox } from '../../lambda/stream-processor/alert-outbox';
import { S3DocumentStore } from '../../lambda/stream-processor/s3-document-store';
import { processorWithDefaults } from './processor-construct';

/**
 * The outbox's S3 calls against the processor role's grants: every call the adapter makes (recorded from a real
 * enqueue / failed send / sweep against a mocked client) must be allowed by a statement of the synthesized policy,
 * and every S3 action granted on the outbox prefix must be used by some call.
 */

const BUCKET = 'staging-bucket';
type Call = { action: string; resource: string; prefix?: string };

/** The S3 requests the outbox makes, as IAM sees them. */
async function outboxCalls(): Promise<Call[]> {
  const calls: Call[] = [];
  const docs = new Map<string, string>();
  const s3 = mockClient(S3Client);
  s3.on(ListObjectsV2Command).callsFake(async (i: { Bucket: string; Prefix: string }) => {
    calls.push({ action: 's3:ListBucket', resource: `arn:aws:s3:::${i.Bucket}`, prefix: i.Prefix });
    return { Contents: [...docs.keys()].filter((k) => k.startsWith(i.Prefix)).map((Key) => ({ Key })) };
  });
  s3.on(GetObjectCommand).callsFake(async (i: { Bucket: string; Key: string }) => {
    calls.push({ action: 's3:GetObject', resource: `arn:aws:s3:::${i.Bucket}/${i.Key}` });
    const body = docs.get(i.Key) ?? '';
    return { Body: { transformToString: async () => body }, ETag: '"1"' };
  });
  s3.on(PutObjectCommand).callsFake(async (i: { Bucket: string; Key: string; Body: string }) => {
    calls.push({ action: 's3:PutObject', resource: `arn:aws:s3:::${i.Bucket}/${i.Key}` });
    docs.set(i.Key, i.Body);
    return { ETag: '"1"' };
  });
  s3.on(DeleteObjectCommand).callsFake(async (i: { Bucket: string; Key: string }) => {
    calls.push({ action: 's3:DeleteObject', resource: `arn:aws:s3:::${i.Bucket}/${i.Key}` });
    docs.delete(i.Key);
    return {};
  });
  let up = false;
  const outbox = new AlertOutbox(
    new S3DocumentStore(new S3Client({ region: 'eu-west-1' }), BUCKET),
    {
      publish: async () => {
        if (!up) throw new Error('SNS unavailable');
      },
    },
    'dev',
    { retryDelayMs: 0, attempts: 1 },
  );
  const entry = {
    anomaly_type: 'high_amount' as const,
    event_id: 'e',
    shard_id: 'shardId-000000000000',
    sequence_number: '1',
    score: 2,
    threshold: 1,
    arrivalMs: 0,
  };
  const [ledger] = await outbox.enqueue('transactions', [entry]);
  await outbox.send(ledger);
  up = true;
  await outbox.sweep(5);
  s3.restore();
  return calls;
}

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
};

/** Template values with the partition filled in (`Fn::Join` of strings and `Ref: AWS::Partition`); other tokens match nothing. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as Record<string, unknown>;
  if (o.Ref === 'AWS::Partition') return 'aws';
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(sep);
  }
  return `<unresolved ${JSON.stringify(v)}>`;
}
const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function allows(statements: readonly Statement[], call: Call): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow' || !list(s.Action).includes(call.action)) return false;
    if (!list(s.Resource).some((r) => glob(text(r), call.resource))) return false;
    for (const [op, conditions] of Object.entries(s.Condition ?? {})) {
      for (const [key, values] of Object.entries(conditions)) {
        if (op !== 'StringLike' || key !== 's3:prefix') return false;
        if (call.prefix === undefined || !list(values).some((p) => glob(p, call.prefix as string))) return false;
      }
    }
    return true;
  });
}

function processorStatements(): Statement[] {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Grants', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  const key = new kms.Key(stack, 'K');
  const staging = s3.Bucket.fromBucketName(stack, 'Staging', BUCKET);
  processorWithDefaults(stack, key, { staging, quarantine: s3.Bucket.fromBucketName(stack, 'Q', 'quarantine-bucket') });
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('alert outbox: S3 calls vs the processor role', () => {
  let calls: Call[];
  let statements: Statement[];
  beforeAll(async () => {
    calls = await outboxCalls();
    statements = processorStatements();
  });

  test('the outbox makes every kind of call it needs (the check below has something to check)', () => {
    expect(new Set(calls.map((c) => c.action))).toEqual(new Set(['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject']));
  });

  test('every call is allowed by the synthesized policy', () => {
    expect(calls.filter((c) => !allows(statements, c))).toEqual([]);
  });

  test('every S3 action granted on the outbox prefix is used (no unused grant)', () => {
    const outboxStatements = statements.filter((s) => list(s.Resource).some((r) => /alerts\/\*$|:::staging-bucket$/.test(text(r))));
    const granted = new Set(outboxStatements.flatMap((s) => list(s.Action)));
    expect([...granted].sort()).toEqual([...new Set(calls.map((c) => c.action))].sort());
  });

  test('the evaluator refuses what the policy does not grant', () => {
    expect(allows(statements, { action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}`, prefix: 'stream/' })).toBe(false);
    expect(allows(statements, { action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}` })).toBe(false);
    expect(allows(statements, { action: 's3:GetObject', resource: `arn:aws:s3:::${BUCKET}/stream/x.ndjson` })).toBe(false);
    expect(
      allows(
        statements.filter((s) => !list(s.Action).includes('s3:ListBucket')),
        calls.find((c) => c.action === 's3:ListBucket') as Call,
      ),
    ).toBe(false);
  });
});
