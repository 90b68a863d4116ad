import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { GUARD_DISABLED_RULES } from './guard-rules';

/**
 * The Control Tower proactive controls bundled in `@cdklabs/cdk-validator-cfnguard` (cfn-guard, offline), with
 * lib/guard-rules.ts's disabled rules switched off and every violation reported as an error.
 *
 * The plugin leaves `severity` unset; aws-cdk-lib re-derives a report's success from the severities once any of its
 * violations is acknowledged, so without this an unacknowledged violation would pass as soon as another is
 * acknowledged.
 */
export class StrictGuardValidator implements IPolicyValidationPluginBeta1 {
  public readonly name: string;
  public readonly version?: string;
  private readonly inner: CfnGuardValidator;

  constructor() {
    // The plugin disables rules by their file name, e.g. `ct-kms-pr-3` for CT.KMS.PR.3.
    this.inner = new CfnGuardValidator({
      controlTowerRulesEnabled: true,
      disabledRules: GUARD_DISABLED_RULES.map((r) => ruleFile(r.control)),
    });
    this.name = this.inner.name;
    this.version = this.inner.version;
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const report = this.inner.validate(context);
    return { ...report, violations: report.violations.map((v) => ({ ...v, severity: v.severity ?? 'error' })) };
  }
}

/** `CT.KMS.PR.3` -> `ct-kms-pr-3`, the rule file name the validator's `disabledRules` expects. */
export function ruleFile(control: string): string {
  return control.toLowerCase().replace(/\./g, '-');
}
