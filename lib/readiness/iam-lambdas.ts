/**
 * The Lambda components: their SDK calls are recorded by driving the handlers with mocked clients
 * (test/readiness/record-calls.test.ts writes recorded-calls.json), configured with the placeholders below; the
 * check binds each placeholder to the value the template gives that function.
 */
import type { LakeZone } from '../../lambda/contracts/lake';
import { RUNTIME_CONFIG_METADATA, RUNTIME_CONFIGS, type RuntimeConfigName } from '../../lambda/contracts/runtime-config';
import { authorizationsOf } from './iam-actions';
import { bind, lambdaRuntimeCalls, prop, single, roleOf, type Component, type ComponentCall, type ComponentInput } from './iam-component';
import { adminSecretArn } from './iam-index';

/** Values the recording configures the handlers with; each stands for one deployed name. */
export const PLACEHOLDERS = {
  rawBucket: 'placeholder-raw-bucket',
  stagingBucket: 'placeholder-staging-bucket',
  quarantineBucket: 'placeholder-quarantine-bucket',
  leaseTable: 'placeholder-lease-table',
  oltpSecret: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:placeholder-oltp',
  workgroup: 'placeholder-workgroup',
  namespace: 'placeholder-namespace',
  adminSecret: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:placeholder-admin',
  alertTopic: 'arn:aws:sns:eu-west-1:000000000000:placeholder-alerts',
  copyRole: 'arn:aws:iam::000000000000:role/placeholder-copy',
  lineageKey: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:placeholder-lineage-key',
} as const;

type Config = {
  buckets?: Record<LakeZone, string>;
  resources?: { buckets: Record<'staging' | 'quarantine', string>; alertTopicArn: string };
  [k: string]: unknown;
};

/** The function's JSON runtime config (the variable its resource names in `DataFlow::RuntimeConfig`), resolved and parsed. */
function configOf(input: ComponentInput, functionId: string): Config {
  const fn = input.stack.template.Resources![functionId];
  const vars = (input.stack.resolve(prop(fn, 'Environment.Variables') ?? {}) ?? {}) as Record<string, string>;
  const entry = fn.Metadata?.[RUNTIME_CONFIG_METADATA] as RuntimeConfigName | undefined;
  const json = entry ? vars[RUNTIME_CONFIGS[entry].variable] : undefined;
  return json ? (JSON.parse(json) as Config) : {};
}

const bucketBindings = (c: Config): Record<string, string> =>
  c.buckets
    ? {
        [PLACEHOLDERS.rawBucket]: c.buckets.raw,
        [PLACEHOLDERS.stagingBucket]: c.buckets.staging,
        [PLACEHOLDERS.quarantineBucket]: c.buckets.quarantine,
      }
    : {};

/**
 * The lineage API-key secret the function reads (a name or partial ARN stands for the full ARN, with Secrets
 * Manager's suffix). Without one the recorded reads of the placeholder are dropped: the function makes none.
 */
const lineageKeyBinding = (input: ComponentInput, c: Config): Record<string, string> => {
  const id = (c.lineage as { endpoint?: { apiKeySecretId?: string } } | undefined)?.endpoint?.apiKeySecretId;
  if (id === undefined) return {};
  const arn = id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${input.stack.region}:${input.stack.account}:secret:${id}`;
  return { [PLACEHOLDERS.lineageKey]: /-[A-Za-z0-9]{6}$/.test(arn.split(':secret:')[1]) ? arn : `${arn}-AbCdEf` };
};
const batchBindings = (input: ComponentInput, c: Config): Record<string, string> => ({
  ...bucketBindings(c),
  ...lineageKeyBinding(input, c),
});

interface LambdaSpec {
  readonly name: string;
  /** Logical id prefix of the function. */
  readonly function: string;
  readonly bindings: (input: ComponentInput, config: Config) => Record<string, string>;
}

const LAMBDAS: readonly LambdaSpec[] = [
  { name: 'batch-control', function: 'ControlFunction', bindings: (_, c) => ({ [PLACEHOLDERS.leaseTable]: String(c.leaseTable) }) },
  { name: 'batch-release', function: 'ReleaseFunction', bindings: (_, c) => ({ [PLACEHOLDERS.leaseTable]: String(c.leaseTable) }) },
  {
    name: 'batch-extract',

    function: 'ExtractFunction',
    bindings: (i, c) => ({ ...batchBindings(i, c), [PLACEHOLDERS.oltpSecret]: String(c.oltpSecretArn) }),
  },
  { name: 'batch-quality', function: 'QualityFunction', bindings: (i, c) => batchBindings(i, c) },
  {
    name: 'batch-load',

    function: 'LoadFunction',
    bindings: (i, c) => ({
      ...batchBindings(i, c),
      [PLACEHOLDERS.workgroup]: String(c.workgroupName),
      [PLACEHOLDERS.copyRole]: String(c.copyRoleArn),
    }),
  },
  {
    name: 'stream-processor',

    function: 'ProcessorFunction',
    bindings: (_, { resources }) => ({
      [PLACEHOLDERS.stagingBucket]: String(resources?.buckets.staging),
      [PLACEHOLDERS.quarantineBucket]: String(resources?.buckets.quarantine),
      [PLACEHOLDERS.alertTopic]: String(resources?.alertTopicArn),
    }),
  },
  {
    name: 'warehouse-setup',

    function: 'SetupFunction',
    bindings: ({ stack: s }) => {
      const [, setup] = single(s, 'Custom::WarehouseSetup', 'Setup')!;
      const namespace = s.str(prop(setup, 'NamespaceName'));
      return {
        [PLACEHOLDERS.namespace]: namespace,
        [PLACEHOLDERS.workgroup]: s.str(prop(setup, 'WorkgroupName')),
        [PLACEHOLDERS.adminSecret]: adminSecretArn(s, namespace),
      };
    },
  },
];

export const LAMBDA_COMPONENTS: readonly Component[] = LAMBDAS.map((spec) => ({
  name: spec.name,
  instances: (input) => {
    const found = single(input.stack, 'AWS::Lambda::Function', spec.function);
    if (!found) return [];
    const [functionId, fn] = found;
    const recorded = bind(input.recorded(spec.name), spec.bindings(input, configOf(input, functionId))).filter(
      (c) => !JSON.stringify(c.input).includes(PLACEHOLDERS.lineageKey),
    );
    const sdkCalls: ComponentCall[] = recorded.flatMap((c) =>
      authorizationsOf(c, input.index).map((a) => ({ ...a, source: `sdk ${c.command}` })),
    );
    return [{ role: roleOf(input, prop(fn, 'Role')), calls: [...sdkCalls, ...lambdaRuntimeCalls(input, functionId)] }];
  },
}));
