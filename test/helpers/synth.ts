import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import type { DataPlatformStage } from '../../lib/data-platform-stage';
import { synthApp } from '../../scripts/synth';

export { cdkJsonContext, synthApp } from '../../scripts/synth';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

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
