/**
 * The policies of a deployment, resolved to concrete ARNs: each role's identity policies and each resource's
 * policy (KMS key policies, bucket policies, queue and topic policies), indexed by ARN across all its stacks.
 */
import type { PolicyDocument } from './simulate';
import { loadStacks, type LoadedStack } from './templates';

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

export interface RoleInfo {
  readonly stack: LoadedStack;
  readonly logicalId: string;
  readonly arn: string;
  readonly policies: readonly NamedPolicy[];
}

export interface Deployment {
  readonly stacks: readonly LoadedStack[];
  /** Roles by ARN. */
  readonly roles: ReadonlyMap<string, RoleInfo>;
  /** Resource policies by resource ARN (keys, buckets, queues, topics). */
  readonly resourcePolicies: ReadonlyMap<string, NamedPolicy>;
  /** Every policy document (identity and resource) with where it comes from, for syntax validation. */
  readonly allPolicies: readonly {
    readonly stack: string;
    readonly resource: string;
    readonly kind: 'identity' | 'resource';
    readonly policy: PolicyDocument;
  }[];
}

/** AWS managed policies CDK attaches, written out (the evaluator has no access to AWS's copies). */
const MANAGED: Record<string, PolicyDocument> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

export function loadDeployment(templates: ReadonlyMap<string, object>): Deployment {
  const stacks = loadStacks(templates);
  const roles = new Map<string, RoleInfo>();
  const resourcePolicies = new Map<string, NamedPolicy>();
  const allPolicies: Deployment['allPolicies'][number][] = [];
  for (const s of stacks) {
    const attached = new Map<string, NamedPolicy[]>();
    for (const [lid, p] of s.resources('AWS::IAM::Policy')) {
      const doc = s.resolve(p.Properties!.PolicyDocument) as PolicyDocument;
      allPolicies.push({ stack: s.id, resource: lid, kind: 'identity', policy: doc });
      for (const r of (p.Properties!.Roles as { Ref: string }[] | undefined) ?? []) {
        attached.set(r.Ref, [...(attached.get(r.Ref) ?? []), { name: lid, policy: doc }]);
      }
    }
    for (const [lid, r] of s.resources('AWS::IAM::Role')) {
      const props = r.Properties ?? {};
      const inline = ((props.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []).map((p) => ({
        name: `${lid}/${p.PolicyName}`,
        policy: s.resolve(p.PolicyDocument) as PolicyDocument,
      }));
      const managed = ((props.ManagedPolicyArns as unknown[] | undefined) ?? []).map((a) => {
        const arn = s.str(a);
        if (!MANAGED[arn]) throw new Error(`${s.id}/${lid}: managed policy ${arn} is not written out in the readiness evaluator`);
        return { name: arn, policy: MANAGED[arn] };
      });
      inline.forEach((p) => allPolicies.push({ stack: s.id, resource: lid, kind: 'identity', policy: p.policy }));
      const arn = s.str({ 'Fn::GetAtt': [lid, 'Arn'] });
      roles.set(arn, { stack: s, logicalId: lid, arn, policies: [...(attached.get(lid) ?? []), ...inline, ...managed] });
    }
    const addResourcePolicy = (arn: string, name: string, policy: PolicyDocument) => {
      resourcePolicies.set(arn, { name, policy });
      allPolicies.push({ stack: s.id, resource: name, kind: 'resource', policy });
    };
    for (const [lid, k] of s.resources('AWS::KMS::Key')) {
      addResourcePolicy(s.str({ 'Fn::GetAtt': [lid, 'Arn'] }), lid, s.resolve(k.Properties!.KeyPolicy) as PolicyDocument);
    }
    for (const [lid, p] of s.resources('AWS::S3::BucketPolicy')) {
      addResourcePolicy(`arn:aws:s3:::${s.str(p.Properties!.Bucket)}`, lid, s.resolve(p.Properties!.PolicyDocument) as PolicyDocument);
    }
    for (const [lid, p] of s.resources('AWS::SQS::QueuePolicy')) {
      for (const q of p.Properties!.Queues as unknown[]) {
        const url = s.str(q);
        const [, , host, account, name] = url.split('/');
        addResourcePolicy(
          `arn:aws:sqs:${host.split('.')[1]}:${account}:${name}`,
          lid,
          s.resolve(p.Properties!.PolicyDocument) as PolicyDocument,
        );
      }
    }
    for (const [lid, p] of s.resources('AWS::SNS::TopicPolicy')) {
      for (const t of p.Properties!.Topics as unknown[])
        addResourcePolicy(s.str(t), lid, s.resolve(p.Properties!.PolicyDocument) as PolicyDocument);
    }
  }
  return { stacks, roles, resourcePolicies, allPolicies };
}
