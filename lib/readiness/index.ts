import type { StackAssets } from './assembly';
import { checkAssets } from './assets';
import { checkGlueArguments } from './glue-arguments';
import { checkGuard } from './guard';
import { checkIam } from './iam';
import { checkKms } from './kms';
import { checkNagHonesty } from './nag-honesty';
import { checkRuntimeConfig } from './runtime-config';
import type { ReadinessResult } from './types';

export type { ReadinessFinding, ReadinessResult } from './types';
export { readAssembly, readAssemblyDir, type ReadinessInput, type StackAssets } from './assembly';

/** Checks that read the templates only. */
const TEMPLATE_CHECKS: readonly ((templates: ReadonlyMap<string, object>) => ReadinessResult)[] = [
  checkKms,
  checkIam,
  checkGuard,
  checkNagHonesty,
  checkRuntimeConfig,
];

/**
 * Every deploy-readiness check over a synthesized app: stack artifact id -> template, plus the stacks' assets
 * (Docker images and files, from the cloud assembly) for the checks that read them.
 */
export function runReadinessChecks(
  templates: ReadonlyMap<string, object>,
  assets: ReadonlyMap<string, StackAssets> = new Map(),
): ReadinessResult[] {
  return [...TEMPLATE_CHECKS.map((check) => check(templates)), checkAssets(templates, assets), checkGlueArguments(templates, assets)];
}
