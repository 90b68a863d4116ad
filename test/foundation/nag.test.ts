import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allEnvironments, stacksOf } from '../helpers/synth';

const { app, stages } = allEnvironments();
const stacks = stages.flatMap((stage) => stacksOf(stage));

describe('cdk-nag AwsSolutions', () => {
  test('the checker reports a real finding (so a clean result means something)', () => {
    const probeApp = new App();
    const stack = new Stack(probeApp, 'Probe');
    new s3.Bucket(stack, 'Unlogged');
    const report = new AwsSolutionsChecks(probeApp).validateScope(stack);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1/)]));
  });

  test.each(stacks.map((s) => [s.node.path, s] as const))('%s has zero unacknowledged errors or warnings', (_p, stack) => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}: ${v.description.split('\n')[0]}`),
    );
    expect(findings).toEqual([]);
  });

  test('every acknowledgement names a rule and gives a specific reason', () => {
    const acks: { path: string; id: string; reason: string }[] = [];
    for (const stack of stacks)
      for (const node of stack.node.findAll())
        for (const entry of node.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
            // aws-cdk-lib itself acknowledges some cfn-lint rules (W3010 when a stack reads its AZs, F3002 in VPC flow logs).
            if (!id.startsWith('CloudFormation-Validate::'))
              acks.push({ path: node.node.path, id: id.replace(/^Annotation::/, ''), reason });
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      // cdk-nag rules, or Control Tower Guard rules acknowledged from lib/guard-rules.ts.
      expect(a.id).toMatch(/^(AwsSolutions-[A-Za-z]+\d+(\[.+\])?|cdk-validator-cfnguard::[a-z0-9_]+)$/);
      expect(a.reason.length).toBeGreaterThanOrEqual(30);
    }
  });
});
