/**
 * The vocabulary of the KMS readiness rules: who uses a key (a service principal or a role), for which actions and
 * request context, and the helpers the rules share to read templates and identity policies.
 */
import type { CfnResource, LoadedStack } from './templates';
import type { Deployment, RoleInfo } from './policies';

export type KeyPrincipal = { readonly kind: 'service'; readonly name: string } | { readonly kind: 'role'; readonly arn: string };

/** One use of a key that must be allowed for the resource to be created or to work. */
export interface KeyUse {
  readonly keyArn: string;
  readonly principal: KeyPrincipal;
  readonly actions: readonly string[];
  readonly context: Readonly<Record<string, string>>;
  /** What breaks without it, for the finding. */
  readonly purpose: string;
}

export interface RuleInput {
  readonly deployment: Deployment;
  readonly stack: LoadedStack;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

export interface KmsRule {
  readonly type: string;
  readonly uses: (input: RuleInput) => KeyUse[];
}

export const LOGS_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
];
export const SEND = ['kms:GenerateDataKey', 'kms:Decrypt'];

export const via = (service: string, s: LoadedStack) => ({
  'kms:ViaService': `${service}.${s.region}.amazonaws.com`,
  'kms:CallerAccount': s.account,
});
export const prop = (r: CfnResource, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], r.Properties);
export const keyOf = (s: LoadedStack, value: unknown): string | undefined => (value === undefined ? undefined : s.str(value));

/** Glob match of an IAM action or ARN pattern (`*` and `?`), case-insensitive for actions. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'i' : '',
  );
  return re.test(value);
}

/** A policy field (`Action`, `Resource`…) as a list: one value or an array; a non-string shows as its JSON. */
export const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [typeof v === 'string' ? v : JSON.stringify(v)];

/** Roles whose identity policies allow one of `actions` on a resource matching `arnPattern` (or below it). */
export function rolesGranted(d: Deployment, actions: readonly string[], arnPattern: (resource: string) => boolean): RoleInfo[] {
  return [...d.roles.values()].filter((role) =>
    role.policies.some((p) =>
      [p.policy.Statement]
        .flat()
        .some(
          (st) =>
            st.Effect === 'Allow' &&
            list(st.Action).some((a) => actions.some((x) => globMatch(a, x, true))) &&
            list(st.Resource).some((r) => r !== '*' && arnPattern(r)),
        ),
    ),
  );
}

export const roleUse = (keyArn: string, role: RoleInfo, actions: string[], context: Record<string, string>, purpose: string): KeyUse => ({
  keyArn,
  principal: { kind: 'role', arn: role.arn },
  actions,
  context,
  purpose: `${purpose} (role ${role.logicalId})`,
});

export const roleByArn = (d: Deployment, arn: string): RoleInfo | undefined => d.roles.get(arn);
