/**
 * AWS SDK commands → the IAM authorizations AWS makes for them. One command can need several: a PutObject to an
 * SSE-KMS bucket is also a kms:GenerateDataKey on the bucket's key (made by S3 as the caller, `kms:ViaService`),
 * a Data API statement run with IAM credentials is also a redshift-serverless:GetCredentials.
 */

/** One recorded SDK call: the command class name and the input fields that name resources. */
export interface RecordedCall {
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** A request AWS authorizes: action, resource ARN, and the request context the policies' conditions read. */
export interface Authorization {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** Looks up what a call's names refer to in the deployment. */
export interface ResourceIndex {
  readonly region: string;
  readonly account: string;
  /** The CMK of a bucket / topic / secret / queue by its ARN, if it has one. */
  keyOf(resourceArn: string): string | undefined;
  /** ARN of a named resource, e.g. ('AWS::RedshiftServerless::Workgroup', 'dataflow-dev'). */
  arnByName(type: string, name: string): string;
}

const via = (service: string, ix: ResourceIndex) => ({
  'kms:ViaService': `${service}.${ix.region}.amazonaws.com`,
  'kms:CallerAccount': ix.account,
});
const withKey = (ix: ResourceIndex, resource: string, service: string, actions: string[]): Authorization[] => {
  const key = ix.keyOf(resource);
  return key ? actions.map((action) => ({ action, resource: key, context: via(service, ix) })) : [];
};
const s3Object = (i: Readonly<Record<string, unknown>>) => `arn:aws:s3:::${String(i.Bucket)}/${String(i.Key)}`;
/** The Data API authorizes statement follow-ups against the caller's user id (the statement owner). */
export const CALLER_USER_ID = 'AROAREADINESSCHECK:session';
const ownStatement = { 'redshift-data:statement-owner-iam-userid': CALLER_USER_ID };

/** Per SDK command: the authorizations it needs. */
export const COMMAND_ACTIONS: Readonly<Record<string, (input: Readonly<Record<string, unknown>>, ix: ResourceIndex) => Authorization[]>> = {
  PutObjectCommand: (i, ix) => [
    { action: 's3:PutObject', resource: s3Object(i) },
    ...withKey(ix, `arn:aws:s3:::${String(i.Bucket)}`, 's3', ['kms:GenerateDataKey']),
  ],
  // A GetObject of a missing key answers NoSuchKey only to callers allowed s3:ListBucket (else AccessDenied); the
  // lake stores read "not written yet" from NoSuchKey.
  GetObjectCommand: (i, ix) => [
    { action: 's3:GetObject', resource: s3Object(i) },
    { action: 's3:ListBucket', resource: `arn:aws:s3:::${String(i.Bucket)}`, context: { 's3:prefix': String(i.Key) } },
    ...withKey(ix, `arn:aws:s3:::${String(i.Bucket)}`, 's3', ['kms:Decrypt']),
  ],
  DeleteObjectCommand: (i) => [{ action: 's3:DeleteObject', resource: s3Object(i) }],
  DeleteObjectsCommand: (i) =>
    ((i.Delete as { Objects: { Key: string }[] }).Objects ?? []).map((o) => ({
      action: 's3:DeleteObject',
      resource: s3Object({ Bucket: i.Bucket, Key: o.Key }),
    })),
  ListObjectsV2Command: (i) => [
    {
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${String(i.Bucket)}`,
      context: { 's3:prefix': typeof i.Prefix === 'string' ? i.Prefix : '' },
    },
  ],
  PutItemCommand: (i, ix) => tableItem('dynamodb:PutItem', i, ix),
  DeleteItemCommand: (i, ix) => tableItem('dynamodb:DeleteItem', i, ix),
  GetItemCommand: (i, ix) => tableItem('dynamodb:GetItem', i, ix, ['kms:Decrypt']),
  PublishCommand: (i, ix) => [
    { action: 'sns:Publish', resource: String(i.TopicArn) },
    ...withKey(ix, String(i.TopicArn), 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']),
  ],
  SendMessageCommand: (i, ix) => {
    const [, , host, account, name] = String(i.QueueUrl).split('/');
    const arn = `arn:aws:sqs:${host.split('.')[1]}:${account}:${name}`;
    return [{ action: 'sqs:SendMessage', resource: arn }, ...withKey(ix, arn, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt'])];
  },
  GetSecretValueCommand: (i, ix) => [
    { action: 'secretsmanager:GetSecretValue', resource: String(i.SecretId) },
    ...withKey(ix, String(i.SecretId), 'secretsmanager', ['kms:Decrypt']),
  ],
  BatchExecuteStatementCommand: (i, ix) => dataApiStatement('redshift-data:BatchExecuteStatement', i, ix),
  ExecuteStatementCommand: (i, ix) => dataApiStatement('redshift-data:ExecuteStatement', i, ix),
  DescribeStatementCommand: () => [{ action: 'redshift-data:DescribeStatement', resource: '*', context: ownStatement }],
  CancelStatementCommand: () => [{ action: 'redshift-data:CancelStatement', resource: '*', context: ownStatement }],
  GetStatementResultCommand: () => [{ action: 'redshift-data:GetStatementResult', resource: '*', context: ownStatement }],
  GetNamespaceCommand: (i, ix) => [
    { action: 'redshift-serverless:GetNamespace', resource: ix.arnByName('AWS::RedshiftServerless::Namespace', String(i.namespaceName)) },
  ],
};

/** An item write (or, with `keyActions` ['kms:Decrypt'], a read) on a table; with a customer-managed table key DynamoDB uses the key as the caller. */
function tableItem(
  action: string,
  i: Readonly<Record<string, unknown>>,
  ix: ResourceIndex,
  keyActions = ['kms:Decrypt', 'kms:GenerateDataKey'],
): Authorization[] {
  const table = ix.arnByName('AWS::DynamoDB::Table', String(i.TableName));
  return [{ action, resource: table }, ...withKey(ix, table, 'dynamodb', keyActions)];
}

/** A Data API statement on a workgroup: with a secret it reads the secret, otherwise it gets IAM credentials. */
function dataApiStatement(action: string, i: Readonly<Record<string, unknown>>, ix: ResourceIndex): Authorization[] {
  const workgroup = ix.arnByName('AWS::RedshiftServerless::Workgroup', String(i.WorkgroupName));
  const secret = typeof i.SecretArn === 'string' ? i.SecretArn : '';
  const auth: Authorization[] = secret
    ? [{ action: 'secretsmanager:GetSecretValue', resource: secret }, ...withKey(ix, secret, 'secretsmanager', ['kms:Decrypt'])]
    : [{ action: 'redshift-serverless:GetCredentials', resource: workgroup }];
  return [{ action, resource: workgroup }, ...auth];
}

/** The authorizations of one recorded call; throws for a command this table does not know (so none is skipped). */
export function authorizationsOf(call: RecordedCall, ix: ResourceIndex): Authorization[] {
  const map = COMMAND_ACTIONS[call.command];
  if (!map) throw new Error(`no IAM action mapping for ${call.command}: add it to COMMAND_ACTIONS`);
  return map(call.input, ix);
}
