import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedStack } from '../../lib/readiness/templates';
import { REPO_ROOT } from '../helpers/synth';
import { resourceNamed, withDefect, type Resource } from '../readiness/templates';
import { resolvable, synthEnvironments, type CfnTemplate } from './platform';

/** The severity a runbook states on its alarm line (`(severity: warning)`, `(critical)`), if it states one. */
function statedSeverity(runbook: string): 'critical' | 'warning' | undefined {
  const line = runbook.split('\n').find((l) => l.startsWith('**Alarm:**'));
  return /\((?:severity: )?(critical|warning)\b/.exec(line ?? '')?.[1] as 'critical' | 'warning' | undefined;
}

const severities = new Map(
  fs
    .readdirSync(path.join(REPO_ROOT, 'docs', 'runbooks'))
    .map((f) => [f.replace(/\.md$/, ''), statedSeverity(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'runbooks', f), 'utf8'))] as const),
);

/**
 * Every alarm of an environment sends ALARM and OK to one and the same topic of that environment's alerting (the
 * critical or the warning topic), and to the one its runbook's severity names where the runbook states one.
 * Returns the findings and how many alarms were matched against a stated severity.
 */
function misroutedAlarms(
  stacks: LoadedStack[],
  severityOf: (runbook: string) => string | undefined,
): { findings: string[]; bySeverity: number } {
  const topics = new Map(
    stacks.flatMap((s) =>
      s.resources('AWS::SNS::Topic').flatMap(([id]) => {
        const severity = /^Alerting(Critical|Warning)/.exec(id)?.[1].toLowerCase();
        return severity ? [[s.str({ Ref: id }), severity] as const] : [];
      }),
    ),
  );
  let bySeverity = 0;
  const findings = stacks.flatMap((s) =>
    s.resources('AWS::CloudWatch::Alarm').flatMap(([id, r]) => {
      const name = `${s.id.split('/').pop()}/${id}`;
      const props = r.Properties as { AlarmActions?: unknown[]; OKActions?: unknown[]; AlarmDescription?: unknown };
      const targets = [...(props.AlarmActions ?? []), ...(props.OKActions ?? [])].map((a) => s.str(a));
      const runbook = /docs\/runbooks\/([a-z0-9-]+)\.md/.exec(s.str(props.AlarmDescription ?? ''))?.[1] ?? '';
      const wanted = severityOf(runbook);
      if (wanted) bySeverity++;
      if (props.AlarmActions?.length !== 1 || props.OKActions?.length !== 1 || targets[0] !== targets[1])
        return [`${name}: ALARM and OK do not go to one topic`];
      const severity = topics.get(targets[0]);
      if (!severity) return [`${name}: notifies ${targets[0]}, not an alerting topic of this environment`];
      return wanted && wanted !== severity ? [`${name}: goes to the ${severity} topic, its runbook ${runbook} says ${wanted}`] : [];
    }),
  );
  return { findings, bySeverity };
}

const environments = synthEnvironments('all');
const check = (templates: ReadonlyMap<string, object>) =>
  misroutedAlarms(resolvable(templates as ReadonlyMap<string, CfnTemplate>), (r) => severities.get(r));

test.each(environments.map((e) => [e.config.name, e.templates] as const))(
  '%s: every alarm goes to its environment’s topic of its runbook’s severity',
  (_name, templates) => {
    const { findings, bySeverity } = check(templates);
    expect(findings).toEqual([]);
    expect(bySeverity).toBeGreaterThanOrEqual(8);
  },
);

test('the runbook severity reader takes both ways of stating it', () => {
  expect(statedSeverity('# R\n\n**Alarm:** `x` (severity: warning)\n')).toBe('warning');
  expect(statedSeverity('# R\n\n**Alarm:** `x` or `y` (critical)\n')).toBe('critical');
  expect(statedSeverity('# R\n\n**What it means.** critical things (critical)\n')).toBeUndefined();
});

test('the check finds an alarm on the other severity, one whose OK goes elsewhere, one on another environment’s topic', () => {
  const prod = environments.find((e) => e.config.name === 'prod')!.templates;
  const critical = (resources: Record<string, Resource>) => ({
    Ref: Object.keys(resources).find((id) => id.startsWith('AlertingCritical') && resources[id].Type === 'AWS::SNS::Topic')!,
  });
  const broken = withDefect(prod, 'Operations-prod', (resources) => {
    const delivery = resourceNamed(resources, '', 'AWS::CloudWatch::Alarm').Properties as Record<string, unknown>;
    delivery.AlarmActions = [critical(resources)];
    delivery.OKActions = [critical(resources)];
  });
  const withOk = withDefect(broken, 'Warehouse-prod', (resources) => {
    const alarm = Object.values(resources).find((r) => r.Type === 'AWS::CloudWatch::Alarm')!.Properties as Record<string, unknown[]>;
    alarm.OKActions = ['arn:aws:sns:eu-west-1:333333333333:someone-else'];
  });
  const elsewhere = withDefect(withOk, 'Streaming-prod', (resources) => {
    const alarm = Object.values(resources).find((r) => r.Type === 'AWS::CloudWatch::Alarm')!.Properties as Record<string, unknown[]>;
    alarm.AlarmActions = ['arn:aws:sns:eu-west-1:111111111111:dataflow-dev-critical'];
    alarm.OKActions = ['arn:aws:sns:eu-west-1:111111111111:dataflow-dev-critical'];
  });
  expect(check(elsewhere).findings).toEqual([
    expect.stringMatching(/^Operations-prod\/\w+: goes to the critical topic, its runbook alarm-delivery-failures says warning$/),
    expect.stringMatching(/^Warehouse-prod\/\w+: ALARM and OK do not go to one topic$/),
    expect.stringMatching(
      /^Streaming-prod\/\w+: notifies arn:aws:sns:eu-west-1:111111111111:dataflow-dev-critical, not an alerting topic of this environment$/,
    ),
  ]);
});
