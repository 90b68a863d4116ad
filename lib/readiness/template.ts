/** Reading synthesized CloudFormation templates for the deploy-readiness checks. */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

/** The resources of a template, optionally of one type, as [logicalId, resource] pairs. */
export function resourcesOf(template: object, type?: string): [string, CfnResource][] {
  return Object.entries((template as CfnTemplate).Resources ?? {}).filter(([, r]) => type === undefined || r.Type === type);
}

/** Every (stack, logicalId, resource) of some type across templates. */
export function allResources(templates: ReadonlyMap<string, object>, type: string): { stack: string; id: string; resource: CfnResource }[] {
  return [...templates].flatMap(([stack, template]) => resourcesOf(template, type).map(([id, resource]) => ({ stack, id, resource })));
}

/** The construct path CDK records on a resource (`aws:cdk:path`), or the logical id. */
export function pathOf(id: string, resource: CfnResource): string {
  const cdkPath = resource.Metadata?.['aws:cdk:path'];
  return typeof cdkPath === 'string' ? cdkPath : id;
}

/** Placeholder account and region used when a token is resolved to text. */
export const PLACEHOLDER = { account: '123456789012', region: 'eu-west-1', partition: 'aws' } as const;

/** Resource types whose `Ref` is an ARN. */
const ARN_REFS = new Set(['AWS::SecretsManager::Secret', 'AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine', 'AWS::IAM::ManagedPolicy']);
/** Pseudo parameters. */
const pseudo: Record<string, string> = {
  'AWS::AccountId': PLACEHOLDER.account,
  'AWS::Region': PLACEHOLDER.region,
  'AWS::Partition': PLACEHOLDER.partition,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'placeholder-stack',
};

const arnFor = (name: string) => `arn:${PLACEHOLDER.partition}:placeholder:${PLACEHOLDER.region}:${PLACEHOLDER.account}:${name}`;

/**
 * Resolves CloudFormation intrinsics to text the way they would deploy, with placeholders where the value is only
 * known at deploy time: `Ref` to a resource gives its `Name` (if set) or an ARN for types whose Ref is an ARN, else a
 * placeholder name; `Fn::GetAtt …Arn` and cross-stack outputs named `…Arn…` give ARNs.
 */
export function resolveText(value: unknown, template: object): string {
  const resources = (template as CfnTemplate).Resources ?? {};
  const go = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v) || v === null || typeof v !== 'object') return JSON.stringify(v);
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') {
      if (pseudo[o.Ref]) return pseudo[o.Ref];
      const r = resources[o.Ref];
      if (r && ARN_REFS.has(r.Type)) return arnFor(o.Ref);
      if (r && typeof r.Properties?.Name === 'string') return r.Properties.Name;
      return `placeholder-${o.Ref.toLowerCase()}`;
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [id, attr] = o['Fn::GetAtt'] as [string, string];
      return /Arn$/.test(attr) ? arnFor(id) : `placeholder-${id.toLowerCase()}-${attr.toLowerCase()}`;
    }
    if (Array.isArray(o['Fn::Join'])) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(go).join(sep);
    }
    if (o['Fn::Sub'] !== undefined) {
      const [text, vars] = (Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'] : [o['Fn::Sub'], {}]) as [string, Record<string, unknown>];
      return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) =>
        vars[name] !== undefined ? go(vars[name]) : go({ Ref: name.split('.')[0] }),
      );
    }
    const output =
      (o['Fn::GetStackOutput'] as { OutputName?: string } | undefined)?.OutputName ??
      (typeof o['Fn::ImportValue'] === 'string' ? o['Fn::ImportValue'] : undefined);
    if (typeof output === 'string') return /Arn/.test(output) ? arnFor(output) : `placeholder-${output.toLowerCase()}`;
    return JSON.stringify(v);
  };
  return go(value);
}
