/**
 * Synthesized templates as the readiness checks see them: grouped by environment, with every CloudFormation token
 * (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::GetStackOutput, Fn::ImportValue) resolved to
 * the concrete names and ARNs the resources would get in a fixed test account and region.
 */
import { physicalRef, physicalAtt } from './arns';

/** The account used where a template leaves `AWS::AccountId` to the deploy (env-agnostic stacks). */
export const TEST_ACCOUNT = '123456789012';
/** The region used where nothing in the templates names one. */
export const TEST_REGION = 'eu-west-1';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Description?: string;
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Export?: { readonly Name: unknown } }>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

/** One stack of the deployment, with the environment it belongs to and a resolver for its tokens. */
export interface LoadedStack {
  /** Stack artifact id as given by the caller. */
  readonly id: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly template: CfnTemplate;
  /** Resolves every token in a template value; throws naming the token it cannot resolve. */
  resolve(value: unknown): unknown;
  /** Resolves a value that must become a string (an ARN, a name). */
  str(value: unknown): string;
  /** The stack's resources of one CloudFormation type, as [logicalId, resource]. */
  resources(type: string): [string, CfnResource][];
}

const DESCRIPTION_ENV = /^DataFlow ([\w-]+):/;
const ROOT_ACCOUNT = /arn:aws:iam::(\d{12}):root/;
const ARN_REGION = /arn:aws:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):/;

/** Loads a map of stack artifact id → template JSON (e.g. from `app.synth().stacksRecursively` or cdk.out). */
export function loadStacks(templates: ReadonlyMap<string, object>): LoadedStack[] {
  const entries = [...templates].map(([id, template]): { id: string; template: CfnTemplate } => ({ id, template }));
  const envOf = (t: CfnTemplate) => DESCRIPTION_ENV.exec(t.Description ?? '')?.[1] ?? 'default';
  const groups = new Map<string, { id: string; template: CfnTemplate }[]>();
  for (const e of entries) groups.set(envOf(e.template), [...(groups.get(envOf(e.template)) ?? []), e]);

  const stacks: LoadedStack[] = [];
  for (const [environment, members] of groups) {
    const text = members.map((m) => JSON.stringify(m.template)).join('\n');
    const account = ROOT_ACCOUNT.exec(text)?.[1] ?? TEST_ACCOUNT;
    const region = ARN_REGION.exec(text)?.[1] ?? TEST_REGION;
    const byId = new Map<string, LoadedStack>();
    const findOutput = (name: string, exportName = false): [LoadedStack, unknown] => {
      const hits = [...byId.values()].flatMap((s) =>
        Object.entries(s.template.Outputs ?? {})
          .filter(([k, o]) => (exportName ? o.Export !== undefined && s.str(o.Export.Name) === name : k === name))
          .map(([, o]) => [s, o.Value] as [LoadedStack, unknown]),
      );
      if (hits.length !== 1)
        throw new Error(`${exportName ? 'export' : 'output'} ${name}: ${hits.length} stacks of ${environment} provide it`);
      return hits[0];
    };
    for (const m of members) {
      const stack: LoadedStack = {
        id: m.id,
        environment,
        account,
        region,
        template: m.template,
        resolve: (value) => resolveValue(value, stack, findOutput),
        str: (value) => {
          const v = stack.resolve(value);
          if (typeof v !== 'string') throw new Error(`${m.id}: ${JSON.stringify(value)} does not resolve to a string`);
          return v;
        },
        resources: (type) => Object.entries(m.template.Resources ?? {}).filter(([, r]) => r.Type === type),
      };
      byId.set(m.id, stack);
      stacks.push(stack);
    }
  }
  return stacks;
}

type OutputFinder = (name: string, exportName?: boolean) => [LoadedStack, unknown];

function resolveValue(value: unknown, stack: LoadedStack, findOutput: OutputFinder): unknown {
  const r = (v: unknown) => resolveValue(v, stack, findOutput);
  if (Array.isArray(value)) return value.map(r);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, r(v)]));
  }
  const [fn, arg] = [keys[0], obj[keys[0]]];
  switch (fn) {
    case 'Ref':
      return ref(String(arg), stack);
    case 'Fn::GetAtt': {
      const parts: unknown[] = Array.isArray(arg) ? arg : String(arg).split('.');
      const [lid, ...attr] = parts;
      return att(String(lid), attr.join('.'), stack);
    }
    case 'Fn::Join': {
      const [sep, parts] = arg as [string, unknown[]];
      return (r(parts) as unknown[]).join(sep);
    }
    case 'Fn::Sub': {
      const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
      const resolvedVars = r(vars) as Record<string, unknown>;
      return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) =>
        String(
          name in resolvedVars
            ? resolvedVars[name]
            : name.includes('.')
              ? att(name.split('.')[0], name.split('.').slice(1).join('.'), stack)
              : ref(name, stack),
        ),
      );
    }
    case 'Fn::Select': {
      const [index, list] = arg as [unknown, unknown];
      return (r(list) as unknown[])[Number(r(index))];
    }
    case 'Fn::Split': {
      const [sep, text] = arg as [string, unknown];
      return String(r(text)).split(sep);
    }
    case 'Fn::GetStackOutput': {
      const [producer, v] = findOutput(String((arg as { OutputName: string }).OutputName));
      return producer.resolve(v);
    }
    case 'Fn::ImportValue': {
      const [producer, v] = findOutput(String(r(arg)), true);
      return producer.resolve(v);
    }
    default:
      throw new Error(`${stack.id}: cannot resolve ${fn}`);
  }
}

const PSEUDO: Record<string, (s: LoadedStack) => unknown> = {
  'AWS::AccountId': (s) => s.account,
  'AWS::Region': (s) => s.region,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (s) => s.id.replace(/[^A-Za-z0-9-]/g, '-'),
  'AWS::NoValue': () => undefined,
};

function ref(name: string, stack: LoadedStack): unknown {
  if (PSEUDO[name]) return PSEUDO[name](stack);
  const param = stack.template.Parameters?.[name];
  if (param) return param.Default;
  const res = stack.template.Resources?.[name];
  if (!res) throw new Error(`${stack.id}: Ref to unknown ${name}`);
  return physicalRef(name, res, stack);
}

function att(lid: string, attr: string, stack: LoadedStack): unknown {
  const res = stack.template.Resources?.[lid];
  if (!res) throw new Error(`${stack.id}: Fn::GetAtt of unknown ${lid}`);
  return physicalAtt(lid, attr, res, stack);
}
