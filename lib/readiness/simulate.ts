/**
 * One IAM authorization decision, made by `@cloud-copilot/iam-simulate`'s policy engine (the same `authorize`
 * its `runSimulation` ends in). The engine is called directly because the package's two entry points each lose
 * something this suite needs: `runSimulation` (async) drops colon-separated variable context keys such as
 * `kms:EncryptionContext:aws:logs:arn`, and `runUnsafeSimulation` fails on any resource policy (it loads it
 * without the name the engine reads). Policies are syntax-checked with `@cloud-copilot/iam-policy` first.
 */
import * as path from 'node:path';
import { loadPolicy } from '@cloud-copilot/iam-policy';
// The engine modules are not in the package's export map: they are loaded by file, and typed by their declaration
// files, which `import type` cannot reach through the package name either.
import type * as DiscoveryKeys from '../../node_modules/@cloud-copilot/iam-simulate/dist/cjs/context_keys/discoveryContextKeyConstraints.js';
import type * as Engine from '../../node_modules/@cloud-copilot/iam-simulate/dist/cjs/core_engine/CoreSimulatorEngine.js';
import type * as Request from '../../node_modules/@cloud-copilot/iam-simulate/dist/cjs/request/request.js';
import type * as Context from '../../node_modules/@cloud-copilot/iam-simulate/dist/cjs/requestContext.js';

const dist = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by file, see above
const engineFile = (file: string): unknown => require(path.join(dist, file));
const { authorize } = engineFile('core_engine/CoreSimulatorEngine.js') as typeof Engine;
const { RequestContextImpl } = engineFile('requestContext.js') as typeof Context;
const { AwsRequestImpl } = engineFile('request/request.js') as typeof Request;
const { DiscoveryContextKeyConstraints } = engineFile('context_keys/discoveryContextKeyConstraints.js') as typeof DiscoveryKeys;

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[] | Record<string, unknown>;
}

export interface AuthorizationQuery {
  /** A role ARN or a service principal such as `logs.eu-west-1.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account owning the resource. */
  readonly resourceAccount: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The principal's identity policies (none for a service principal). */
  readonly identityPolicies?: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  /** The resource's policy: key policy, bucket policy, queue or topic policy. */
  readonly resourcePolicy?: { readonly name: string; readonly policy: PolicyDocument };
}

export function authorizeRequest(q: AuthorizationQuery): Decision {
  const request = new AwsRequestImpl(
    q.principal,
    { resource: q.resource, accountId: q.resourceAccount },
    q.action,
    new RequestContextImpl({ ...q.context }),
  );
  const analysis = authorize({
    request,
    sessionPolicy: undefined,
    identityPolicies: (q.identityPolicies ?? []).map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: q.resourcePolicy ? loadPolicy(q.resourcePolicy.policy, { name: q.resourcePolicy.name }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: {} },
  });
  return analysis.result;
}
