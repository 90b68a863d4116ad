import { allEnvironments } from '../helpers/synth';

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

let cached: ReadonlyMap<string, object> | undefined;
/** Every stack of every environment: stack artifact path (`DataPlatform-dev/Batch-dev`) → template JSON. */
export function synthTemplates(): ReadonlyMap<string, object> {
  if (!cached) {
    const assembly = allEnvironments().app.synth();
    cached = new Map(assembly.stacksRecursively.map((s) => [s.hierarchicalId, s.template as object]));
  }
  return cached;
}

/** The stacks of one environment. */
export function environmentTemplates(env: string): Map<string, object> {
  return new Map([...synthTemplates()].filter(([id]) => id.startsWith(`DataPlatform-${env}/`)));
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
export interface Resource {
  Type: string;
  Properties: Record<string, unknown> & { PolicyDocument?: { Statement: Statement[] }; KeyPolicy?: { Statement: Statement[] } };
}

/** A deep copy of the templates with `edit` applied to the resources of the stacks whose id contains `stack`. */
export function withDefect(
  templates: ReadonlyMap<string, object>,
  stack: string,
  edit: (resources: Record<string, Resource>) => void,
): Map<string, object> {
  const copy = new Map<string, object>([...templates].map(([id, t]) => [id, structuredClone(t)]));
  const targets = [...copy].filter(([id]) => id.includes(stack));
  if (targets.length === 0) throw new Error(`no stack matches ${stack}`);
  for (const [, t] of targets) edit((t as { Resources: Record<string, Resource> }).Resources);
  return copy;
}

/** The one resource whose logical id starts with `prefix` and has `type`. */
export function resourceNamed(resources: Record<string, Resource>, prefix: string, type: string): Resource {
  const hits = Object.entries(resources).filter(([id, r]) => id.startsWith(prefix) && r.Type === type);
  if (hits.length !== 1) throw new Error(`${hits.length} resources ${prefix}* of type ${type}`);
  return hits[0][1];
}
