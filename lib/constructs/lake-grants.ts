import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { nagText } from '../nag-text';
import type { LakeZone } from '../../lambda/contracts/lake';

/** Some object actions on some prefixes of one lake zone. */
export interface LakeGrant {
  readonly zone: LakeZone;
  /** Key prefixes ending in `/`; the grant covers every key below them. */
  readonly prefixes: readonly string[];
  readonly actions: readonly ('get' | 'put' | 'delete')[];
}

const S3_ACTIONS = { get: 's3:GetObject', put: 's3:PutObject', delete: 's3:DeleteObject' } as const;

/**
 * Object access to some prefixes of some lake zones, with the lake key through S3 only: `get` (with ListBucket on
 * the prefixes, so a missing key is NoSuchKey — "not written yet" — rather than AccessDenied), `put`, `delete`.
 */
export function grantLakeObjects(
  role: iam.Role,
  zones: Readonly<Record<LakeZone, s3.IBucket>>,
  lakeKey: kms.IKey,
  grants: readonly LakeGrant[],
): void {
  const stack = Stack.of(role);
  const reason =
    'Object access is limited to the batch-owned prefix of the zone; keys below it are table / dt / hr partitions and part files.';
  for (const g of grants) {
    const bucket = zones[g.zone];
    const objects = g.prefixes.map((p) => bucket.arnForObjects(`${p}*`));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: g.actions.map((a) => S3_ACTIONS[a]), resources: objects }));
    // Reading a prefix, or finding the stale parts to delete in it, lists it.
    if (g.actions.includes('get') || g.actions.includes('delete')) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': g.prefixes.map((p) => `${p}*`) } },
        }),
      );
    }
    Validations.of(role).acknowledge(...objects.map((o) => ({ id: `AwsSolutions-IAM5[Resource::${nagText(stack, o)}]`, reason })));
  }
  const all = grants.flatMap((g) => g.actions);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...(all.includes('put') ? ['kms:GenerateDataKey'] : []), ...(all.includes('get') ? ['kms:Decrypt'] : [])],
      resources: [lakeKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }),
  );
}
