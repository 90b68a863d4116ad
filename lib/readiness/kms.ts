/**
 * KMS check: every resource encrypted with a customer-managed key can be created and used, i.e. the principal AWS
 * uses for it (a service principal through the key policy, a role through its identity policy and the key policy)
 * is allowed the key operations it needs, decided by the IAM policy evaluator.
 */
import { KMS_RULES, type KeyUse } from './kms-rules';
import { STATE_MACHINE_RULE } from './kms-rules-states';
import { loadDeployment, type Deployment } from './policies';
import { authorizeRequest } from './simulate';
import type { ReadinessFinding, ReadinessResult } from './types';

export const KMS_CHECK = 'kms';

/** The key uses the rules derive from a deployment, with the stack and resource they belong to. */
export function keyUses(d: Deployment): { stack: string; resource: string; use: KeyUse }[] {
  return d.stacks.flatMap((stack) =>
    [...KMS_RULES, STATE_MACHINE_RULE].flatMap((rule) =>
      stack
        .resources(rule.type)
        .flatMap(([logicalId, resource]) =>
          rule.uses({ deployment: d, stack, logicalId, resource }).map((use) => ({ stack: stack.id, resource: logicalId, use })),
        ),
    ),
  );
}

export function checkKms(templates: ReadonlyMap<string, object>): ReadinessResult {
  const d = loadDeployment(templates);
  const findings: ReadinessFinding[] = [];
  let evaluated = 0;
  for (const { stack, resource, use } of keyUses(d)) {
    const keyPolicy = d.resourcePolicies.get(use.keyArn);
    if (!keyPolicy) {
      findings.push({
        check: KMS_CHECK,
        stack,
        resource,
        message: `key ${use.keyArn} is not a key of this deployment; cannot verify: ${use.purpose}`,
      });
      continue;
    }
    const keyAccount = use.keyArn.split(':')[4];
    const role = use.principal.kind === 'role' ? d.roles.get(use.principal.arn) : undefined;
    const denied = use.actions.filter((action) => {
      evaluated++;
      return (
        authorizeRequest({
          principal: use.principal.kind === 'role' ? use.principal.arn : use.principal.name,
          action,
          resource: use.keyArn,
          resourceAccount: keyAccount,
          context: { 'aws:SecureTransport': 'true', ...use.context },
          identityPolicies: role?.policies,
          resourcePolicy: keyPolicy,
        }) !== 'Allowed'
      );
    });
    if (denied.length) {
      const who =
        use.principal.kind === 'role' ? `role ${role?.logicalId ?? use.principal.arn}` : `service principal ${use.principal.name}`;
      findings.push({
        check: KMS_CHECK,
        stack,
        resource,
        message: `${who} is not allowed ${denied.join(', ')} on key ${keyPolicy.name}${Object.keys(use.context).length ? ` with ${JSON.stringify(use.context)}` : ''}: ${use.purpose}`,
      });
    }
  }
  return { check: KMS_CHECK, evaluated, findings, acknowledged: [] };
}
