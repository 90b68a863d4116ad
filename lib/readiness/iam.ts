/**
 * IAM check: every request each runtime component makes is allowed by its role's policies and the resource's
 * policy (decided by the IAM policy evaluator), and every grant of those roles is used by some request
 * (least privilege both ways) or acknowledged with a reason in iam-acks.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CALLER_USER_ID, type RecordedCall } from './iam-actions';
import { GRANT_ACKS, ROLE_ACKS, WILDCARD_ACKS } from './iam-acks';
import type { Component, ComponentCall } from './iam-component';
import { buildIndex } from './iam-index';
import { hasResourceTypes } from './iam-reference';
import { LAMBDA_COMPONENTS } from './iam-lambdas';
import { SERVICE_COMPONENTS } from './iam-services';
import { globMatch, list } from './kms-rules';
import { loadDeployment, type Deployment, type RoleInfo } from './policies';
import { authorizeRequest, type Decision } from './simulate';
import type { ReadinessFinding, ReadinessResult } from './types';

export const IAM_CHECK = 'iam';
export const COMPONENTS: readonly Component[] = [...LAMBDA_COMPONENTS, ...SERVICE_COMPONENTS];
/** SDK calls recorded from the handlers by test/readiness/record-calls.test.ts, per component. */
export const RECORDED_CALLS_FILE = path.join(__dirname, 'recorded-calls.json');

/** One evaluated request: for the report of what was checked. */
export interface IamEvaluation {
  readonly stack: string;
  readonly component: string;
  readonly role: string;
  readonly call: ComponentCall;
  readonly decision: Decision;
}

export interface IamReport {
  readonly result: ReadinessResult;
  readonly evaluations: readonly IamEvaluation[];
}

/** S3 actions on objects vs on buckets: a grant pairing one with the other kind of ARN is inert, not unused. */
const S3_BUCKET_ACTIONS = /^s3:(ListBucket|ListBucketMultipartUploads|GetBucket\w*|ListBucketVersions)$/i;
function inert(action: string, resource: string): boolean {
  if (!resource.startsWith('arn:aws:s3:::') || action.includes('*')) return false;
  return S3_BUCKET_ACTIONS.test(action) === resource.includes('/');
}

/** The resource policy AWS also evaluates for a request: the bucket's for an object, else the resource's own. */
function resourcePolicyFor(d: Deployment, resource: string) {
  const bucket = resource.startsWith('arn:aws:s3:::') ? resource.split('/')[0] : resource;
  return d.resourcePolicies.get(bucket);
}

function decide(d: Deployment, role: RoleInfo, call: ComponentCall): Decision {
  const account = call.resource.split(':')[4] || role.stack.account;
  return authorizeRequest({
    principal: role.arn,
    action: call.action,
    resource: call.resource,
    resourceAccount: account,
    context: {
      'aws:SecureTransport': 'true',
      'aws:PrincipalArn': role.arn,
      'aws:PrincipalAccount': role.stack.account,
      'aws:userid': CALLER_USER_ID,
      ...call.context,
    },
    identityPolicies: role.policies,
    resourcePolicy: resourcePolicyFor(d, call.resource),
  });
}

export function evaluateIam(
  templates: ReadonlyMap<string, object>,
  recordedCalls: Readonly<Record<string, readonly RecordedCall[]>> = loadRecordedCalls(),
): IamReport {
  const d = loadDeployment(templates);
  const findings: ReadinessFinding[] = [];
  const acknowledged: (ReadinessFinding & { reason: string })[] = [];
  const evaluations: IamEvaluation[] = [];
  let evaluated = 0;
  const callsByRole = new Map<string, { component: string; calls: ComponentCall[] }>();
  const finding = (stack: string, resource: string, message: string) => ({ check: IAM_CHECK, stack, resource, message });

  for (const environment of new Set(d.stacks.map((s) => s.environment))) {
    const index = buildIndex(d, environment);
    for (const stack of d.stacks.filter((s) => s.environment === environment)) {
      for (const component of COMPONENTS) {
        const recorded = (name: string) => {
          if (!recordedCalls[name])
            throw new Error(`${RECORDED_CALLS_FILE} has no calls of ${name}: run test/readiness/record-calls.test.ts with RECORD_CALLS=1`);
          return recordedCalls[name];
        };
        for (const { role, calls } of component.instances({ deployment: d, stack, index, recorded })) {
          const entry = callsByRole.get(role.arn) ?? { component: component.name, calls: [] };
          entry.calls.push(...calls);
          callsByRole.set(role.arn, entry);
          for (const call of calls) {
            evaluated++;
            const decision = decide(d, role, call);
            evaluations.push({ stack: stack.id, component: component.name, role: role.logicalId, call, decision });
            if (decision !== 'Allowed') {
              findings.push(
                finding(stack.id, role.logicalId, `${component.name}: ${call.action} on ${call.resource} is ${decision} (${call.source})`),
              );
            }
          }
        }
      }
    }
  }

  for (const role of d.roles.values()) {
    const used = callsByRole.get(role.arn);
    if (!used) {
      const ack = ROLE_ACKS.find((a) => role.logicalId.startsWith(a.role));
      const f = finding(role.stack.id, role.logicalId, 'no modelled component runs as this role, so its grants are unchecked');
      if (ack) acknowledged.push({ ...f, reason: ack.reason });
      else findings.push(f);
      continue;
    }
    // Managed policies are AWS's; only the statements written in the templates are held to least privilege.
    for (const policy of role.policies.filter((p) => !p.name.startsWith('arn:'))) {
      for (const st of [policy.policy.Statement].flat()) {
        if (st.Effect !== 'Allow') continue;
        for (const action of list(st.Action)) {
          // `*` without a condition, for an action that could name its resources.
          if (list(st.Resource).includes('*') && st.Condition === undefined && !action.includes('*') && hasResourceTypes(action)) {
            evaluated++;
            const f = finding(
              role.stack.id,
              role.logicalId,
              `${used.component}: ${action} is granted on * (${policy.name}) but supports resource-level permissions`,
            );
            const ack = WILDCARD_ACKS.find((a) => role.logicalId.startsWith(a.role) && a.action === action);
            if (ack) acknowledged.push({ ...f, reason: ack.reason });
            else findings.push(f);
          }
          for (const resource of list(st.Resource)) {
            if (inert(action, resource)) continue;
            evaluated++;
            if (used.calls.some((c) => globMatch(action, c.action, true) && globMatch(resource, c.resource))) continue;
            const f = finding(
              role.stack.id,
              role.logicalId,
              `${used.component}: ${action} on ${resource} is granted (${policy.name}) but no call uses it`,
            );
            const ack = GRANT_ACKS.find(
              (a) => role.logicalId.startsWith(a.role) && a.action === action && (!a.resource || a.resource.test(resource)),
            );
            if (ack) acknowledged.push({ ...f, reason: ack.reason });
            else findings.push(f);
          }
        }
      }
    }
  }
  return { result: { check: IAM_CHECK, evaluated, findings, acknowledged }, evaluations };
}

export function loadRecordedCalls(): Record<string, RecordedCall[]> {
  return JSON.parse(fs.readFileSync(RECORDED_CALLS_FILE, 'utf8')) as Record<string, RecordedCall[]>;
}

export function checkIam(templates: ReadonlyMap<string, object>): ReadinessResult {
  return evaluateIam(templates).result;
}
