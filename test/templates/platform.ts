import { Template } from 'aws-cdk-lib/assertions';
import type { EnvironmentConfig } from '../../lib/config';
import type { PlatformStacks } from '../../lib/data-platform-stage';
import { loadStacks, type LoadedStack } from '../../lib/readiness/templates';
import { stacksOf, synthApp } from '../helpers/synth';

/** A template as JSON, with the parts the template tests read. */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  [section: string]: unknown;
}
export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: unknown;
}

/** One environment's stacks as templates, keyed by stack path (`DataPlatform-prod/Batch-prod`). */
export interface EnvironmentTemplates {
  readonly config: EnvironmentConfig;
  readonly templates: ReadonlyMap<string, CfnTemplate>;
}

/** The component stacks, in the order the stage builds them. */
export const STACK_KEYS = [
  'operations',
  'storage',
  'warehouse',
  'streaming',
  'batch',
  'dashboard',
] as const satisfies readonly (keyof PlatformStacks)[];
export type StackKey = (typeof STACK_KEYS)[number];

/**
 * Synthesizes `env` (`dev`, `staging`, `prod` or `all`) as `cdk synth` does, without the app's policy validation
 * (cdk-nag and the Guard rules have their own tests; skipping them makes this several times faster).
 */
export function synthEnvironments(env: string): EnvironmentTemplates[] {
  const { stages } = synthApp({ context: { env } });
  return stages.map((stage) => ({
    config: stage.config,
    templates: new Map(stacksOf(stage).map((stack) => [stack.node.path, Template.fromStack(stack).toJSON() as CfnTemplate])),
  }));
}

/** The template of one component stack of an environment. */
export function templateOf(env: EnvironmentTemplates, stack: StackKey): CfnTemplate {
  const component = stack.charAt(0).toUpperCase() + stack.slice(1);
  const found = [...env.templates].filter(([path]) => path.endsWith(`/${component}-${env.config.name}`));
  if (found.length !== 1) throw new Error(`${found.length} stacks ${component} in ${env.config.name}`);
  return found[0][1];
}

/** The stacks with a resolver that turns every Ref, Fn::GetAtt, Fn::Join or cross-stack reference into a name or ARN. */
export function resolvable(templates: ReadonlyMap<string, CfnTemplate>): LoadedStack[] {
  return loadStacks(templates);
}

/** True when the environment deletes data with its stacks: the removal policy says destroy and data deletion is allowed. */
export function destroysData(config: EnvironmentConfig): boolean {
  return config.removal.policy === 'destroy' && config.removal.allowDataDeletion;
}
