import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { GUARD_ACKNOWLEDGEMENTS, guardPath, type GuardAcknowledgement } from '../guard-rules';
import { StrictGuardValidator } from '../guard-validator';
import { pathOf, resourcesOf } from './template';
import type { ReadinessFinding, ReadinessResult } from './types';

const CHECK = 'guard';

/**
 * The Control Tower proactive controls (cfn-guard, offline) over the templates, the same rules the app's policy
 * validation plugin runs at synth: each violation is acknowledged when lib/guard-rules.ts covers its resource's
 * construct path (template metadata `aws:cdk:path`), else it is a finding.
 */
export function checkGuard(
  templates: ReadonlyMap<string, object>,
  acknowledgements: readonly GuardAcknowledgement[] = GUARD_ACKNOWLEDGEMENTS,
): ReadinessResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-guard-'));
  try {
    const files = new Map<string, string>();
    [...templates].forEach(([stack, template], i) => {
      const file = path.join(dir, `t${i}.template.json`);
      fs.writeFileSync(file, JSON.stringify(template));
      files.set(file, stack);
    });
    // The validator reads only the template files (the app construct is for plugins that walk the tree).
    const report = new StrictGuardValidator().validate({ templatePaths: [...files.keys()], appConstruct: new App() });
    const findings: ReadinessFinding[] = [];
    const acknowledged: (ReadinessFinding & { reason: string })[] = [];
    for (const v of report.violations) {
      const rule = v.ruleName;
      for (const r of v.violatingResources) {
        const stack = files.get(r.templatePath) ?? r.templatePath;
        const resource = Object.fromEntries(resourcesOf(templates.get(stack) ?? {}))[r.resourceLogicalId];
        const at = resource ? pathOf(r.resourceLogicalId, resource) : r.resourceLogicalId;
        const f = { check: CHECK, stack, resource: at, message: `${rule}: ${v.description.split('\n')[0]}` };
        const ack = acknowledgements.find((a) => a.rule === rule && a.where.test(guardPath(at)));
        if (ack) acknowledged.push({ ...f, reason: `${ack.control}: ${ack.reason}` });
        else findings.push(f);
      }
    }
    const evaluated = [...templates.values()].reduce((n, t) => n + resourcesOf(t).length, 0);
    return { check: CHECK, evaluated, findings, acknowledged };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
