import { readAssembly, type ReadinessInput } from '../../lib/readiness/assembly';
import { synthApp } from '../helpers/synth';

/**
 * All three environments synthesized as `cdk synth` does (construct paths in the template metadata, which the
 * Guard acknowledgements match), read back from the cloud assembly. Synthesis runs the app's policy validation
 * (cdk-nag and the Guard plugin), so it throws on an unacknowledged finding.
 */
export function synthesizedApp(): ReadinessInput {
  const { app } = synthApp({ context: { env: 'all', 'aws:cdk:enable-path-metadata': true } });
  return readAssembly(app.synth());
}

/** A deep copy of the templates with one template changed. */
export function withTemplate(
  input: ReadinessInput,
  stackPattern: RegExp,
  change: (template: Record<string, any>) => void,
): Map<string, object> {
  const copy = new Map<string, object>();
  for (const [stack, template] of input.templates) {
    const t = JSON.parse(JSON.stringify(template));
    if (stackPattern.test(stack)) change(t);
    copy.set(stack, t);
  }
  return copy;
}

/** The logical ids of a template's resources of one type whose id starts with a prefix. */
export function idsOf(template: Record<string, any>, type: string, prefix: string): string[] {
  return Object.entries(template.Resources as Record<string, { Type: string }>)
    .filter(([id, r]) => r.Type === type && id.startsWith(prefix))
    .map(([id]) => id);
}
