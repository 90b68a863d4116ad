import { RUNTIME_CONFIG_METADATA, RUNTIME_CONFIGS, type RuntimeConfigName } from '../../lambda/contracts/runtime-config';
import { allResources, pathOf } from './template';
import { loadStacks } from './templates';
import type { ReadinessFinding, ReadinessResult } from './types';

const CHECK = 'runtime-config';
/** Variables that carry a JSON runtime config somewhere in the app. */
const CONFIG_VARIABLES = new Set<string>(Object.values(RUNTIME_CONFIGS).map((c) => c.variable));

/**
 * Every Lambda function whose resource names a runtime-config entry (metadata `DataFlow::RuntimeConfig`): the
 * variable the entry names is written, and its value — tokens resolved to placeholder names/ARNs — parses with the
 * very parser the handler uses at start. Cross-stack references resolve through the producing stack's output, as they
 * deploy (a topic imported from the operations stack becomes a topic ARN). A function that writes a config variable without naming its entry is a
 * finding too (nothing would check it).
 */
export function checkRuntimeConfig(templates: ReadonlyMap<string, object>): ReadinessResult {
  const findings: ReadinessFinding[] = [];
  let evaluated = 0;
  const loaded = new Map(loadStacks(templates).map((s) => [s.id, s]));
  for (const { stack, id, resource } of allResources(templates, 'AWS::Lambda::Function')) {
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const name = resource.Metadata?.[RUNTIME_CONFIG_METADATA] as RuntimeConfigName | undefined;
    const at = pathOf(id, resource);
    const finding = (message: string) => findings.push({ check: CHECK, stack, resource: at, message });
    if (name === undefined) {
      for (const v of Object.keys(variables).filter((k) => CONFIG_VARIABLES.has(k)))
        finding(`writes ${v} but names no runtime-config entry`);
      continue;
    }
    const entry = RUNTIME_CONFIGS[name];
    evaluated++;
    if (!entry) {
      finding(`names unknown runtime-config entry '${name}'`);
      continue;
    }
    const raw = variables[entry.variable];
    if (raw === undefined) {
      finding(`${entry.variable} is not set (variables: ${Object.keys(variables).sort().join(', ') || 'none'})`);
      continue;
    }
    try {
      entry.parse(loaded.get(stack)!.str(raw));
    } catch (err) {
      finding(`${entry.variable} does not parse as '${name}': ${(err as Error).message}`);
    }
  }
  return { check: CHECK, evaluated, findings, acknowledged: [] };
}
