import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import type { DataPlatformStage } from '../../lib/data-platform-stage';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The feature flags and defaults from cdk.json, so tests synthesize exactly what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

export interface SynthOptions {
  /** Extra context (e.g. `env`, `account`). */
  readonly context?: Record<string, unknown>;
  /** Bundle Lambda assets (slow); off by default since asset hashes are normalised anyway. */
  readonly bundle?: boolean;
}

/** Builds the app like `cdk synth` with cdk.json's context. */
export function synthApp(options: SynthOptions = {}) {
  return buildApp({
    context: {
      ...cdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
}

/** Every stack of a stage. */
export function stacksOf(stage: DataPlatformStage): Stack[] {
  return stage.node.children.filter((c): c is Stack => (c as Stack).templateOptions !== undefined);
}

let cached: ReturnType<typeof synthApp> | undefined;
/** All three environments, synthesized once per test file (aspects such as tags have run). */
export function allEnvironments() {
  if (!cached) {
    cached = synthApp({ context: { env: 'all' } });
    cached.app.synth();
  }
  return cached;
}
