/** Names → ARNs and resources → their CMK across one environment's stacks, for turning recorded calls into requests. */
import type { ResourceIndex } from './iam-actions';
import type { Deployment } from './policies';
import type { CfnResource, LoadedStack } from './templates';

const prop = (r: CfnResource, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], r.Properties);

/** The Redshift-managed admin secret of a namespace (its ARN is known only at deploy; this is its stand-in). */
export const adminSecretArn = (s: LoadedStack, namespace: string) =>
  `arn:aws:secretsmanager:${s.region}:${s.account}:secret:redshift!${namespace}-admin-AbCdEf`;

export function buildIndex(d: Deployment, environment: string): ResourceIndex {
  const stacks = d.stacks.filter((s) => s.environment === environment);
  const keys = new Map<string, string>();
  const names = new Map<string, string>();
  const ref = (s: LoadedStack, id: string) => s.str({ Ref: id });
  const arn = (s: LoadedStack, id: string) => s.str({ 'Fn::GetAtt': [id, 'Arn'] });
  for (const s of stacks) {
    for (const [id, r] of s.resources('AWS::S3::Bucket')) {
      const sse = (
        [prop(r, 'BucketEncryption.ServerSideEncryptionConfiguration')].flat() as {
          ServerSideEncryptionByDefault?: { KMSMasterKeyID?: unknown };
        }[]
      )[0];
      if (sse?.ServerSideEncryptionByDefault?.KMSMasterKeyID) keys.set(arn(s, id), s.str(sse.ServerSideEncryptionByDefault.KMSMasterKeyID));
    }
    for (const [id, r] of s.resources('AWS::SNS::Topic'))
      if (prop(r, 'KmsMasterKeyId')) keys.set(ref(s, id), s.str(prop(r, 'KmsMasterKeyId')));
    for (const [id, r] of s.resources('AWS::SQS::Queue'))
      if (prop(r, 'KmsMasterKeyId')) keys.set(arn(s, id), s.str(prop(r, 'KmsMasterKeyId')));
    for (const [id, r] of s.resources('AWS::SecretsManager::Secret'))
      if (prop(r, 'KmsKeyId')) keys.set(ref(s, id), s.str(prop(r, 'KmsKeyId')));
    for (const [id, r] of s.resources('AWS::Kinesis::Stream'))
      if (prop(r, 'StreamEncryption.KeyId')) keys.set(arn(s, id), s.str(prop(r, 'StreamEncryption.KeyId')));
    for (const [id, r] of s.resources('AWS::DynamoDB::Table')) {
      names.set(`AWS::DynamoDB::Table/${ref(s, id)}`, arn(s, id));
      if (prop(r, 'SSESpecification.KMSMasterKeyId')) keys.set(arn(s, id), s.str(prop(r, 'SSESpecification.KMSMasterKeyId')));
    }
    for (const [id] of s.resources('AWS::RedshiftServerless::Workgroup')) {
      names.set(`AWS::RedshiftServerless::Workgroup/${ref(s, id)}`, s.str({ 'Fn::GetAtt': [id, 'Workgroup.WorkgroupArn'] }));
    }
    for (const [id, r] of s.resources('AWS::RedshiftServerless::Namespace')) {
      const name = ref(s, id);
      names.set(`AWS::RedshiftServerless::Namespace/${name}`, s.str({ 'Fn::GetAtt': [id, 'Namespace.NamespaceArn'] }));
      if (prop(r, 'ManageAdminPassword') && prop(r, 'AdminPasswordSecretKmsKeyId'))
        keys.set(adminSecretArn(s, name), s.str(prop(r, 'AdminPasswordSecretKmsKeyId')));
    }
  }
  const first = stacks[0];
  return {
    region: first.region,
    account: first.account,
    keyOf: (resourceArn) => keys.get(resourceArn),
    arnByName: (type, name) => {
      const hit = names.get(`${type}/${name}`);
      if (!hit) throw new Error(`${environment}: no ${type} named ${name}`);
      return hit;
    },
  };
}
