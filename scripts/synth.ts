/** The CDK app built in-process exactly as `cdk synth` builds it, for the local run, the benches and the tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../lib/app';

const REPO_ROOT = path.resolve(__dirname, '..');

/** The feature flags and defaults from cdk.json, so an in-process synth matches `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
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
