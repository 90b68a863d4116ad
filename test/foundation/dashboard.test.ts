import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Alerting } from '../../lib/constructs/alerting';
import { Monitoring } from '../../lib/constructs/monitoring';
import { allEnvironments, cdkJsonContext, stacksOf } from '../helpers/synth';

const { stages } = allEnvironments();

/** The dashboard body with tokens (account id) flattened to a placeholder. */
function dashboardBody(stack: Stack): { widgets: { type: string; properties: Record<string, any> }[] } {
  const dash = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>).find(
    (r) => r.Type === 'AWS::CloudWatch::Dashboard',
  );
  const raw = dash.Properties.DashboardBody;
  if (typeof raw === 'string') return JSON.parse(raw);
  const parts = raw['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : '123456789012')).join(''));
}

describe.each(stages.map((s) => [s.config.name, s] as const))('operations dashboard in %s', (_env, stage) => {
  const body = dashboardBody(stage.dashboard);
  const monitorings = stage.node.findAll().filter((c): c is Monitoring => c instanceof Monitoring);

  test('has a section for every component with monitoring', () => {
    const titles = body.widgets.filter((w) => w.type === 'text').map((w) => String(w.properties.markdown).split('\n')[0]);
    expect(titles).toEqual(monitorings.map((m) => `## ${m.title}`));
  });

  test('shows every registered alarm, by name, and links its runbook', () => {
    const shown = body.widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms as string[]);
    const registered = monitorings.flatMap((m) => m.registered);
    expect(registered.length).toBeGreaterThan(0);
    expect(shown.map((arn) => arn.split(':alarm:')[1]).sort()).toEqual(registered.map((r) => r.alarmName).sort());
    const text = JSON.stringify(body.widgets.filter((w) => w.type === 'text'));
    for (const r of registered) expect(text).toContain(`docs/runbooks/${r.runbook}.md`);
  });

  test('is its own stack that imports nothing from the component stacks', () => {
    expect(JSON.stringify(Template.fromStack(stage.dashboard).toJSON())).not.toContain('Fn::ImportValue');
    expect(stacksOf(stage).at(-1)).toBe(stage.dashboard);
  });
});

describe('alarm names', () => {
  test('default to <stack name>-<kebab-case id> so the notification subject says what broke', () => {
    const stage = stages.find((s) => s.config.name === 'prod')!;
    Template.fromStack(stage.operations).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dataflow-prod-operations-critical-topic-delivery-failures',
    });
  });

  test('derive from the stack name (documented default); an explicit prefix wins', () => {
    const app = new App({ context: cdkJsonContext() });
    const stack = new Stack(app, 'Generated');
    const alerting = new Alerting(stack, 'Alerting');
    const m = new Monitoring(stack, 'M', { topics: alerting, runbookBaseUrl: 'https://example.org/' });
    m.addAlarm('Errors', {
      runbook: 'alarm-delivery-failures',
      summary: 's',
      metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    // A stack without an explicit stackName still has a literal name (its id), so names are derived from it…
    expect(m.registered[0].alarmName).toBe('Generated-errors');
    // …and an explicit prefix wins.
    const m2 = new Monitoring(stack, 'M2', { topics: alerting, runbookBaseUrl: 'https://example.org/', alarmNamePrefix: 'custom' });
    m2.addAlarm('HighLatency', {
      runbook: 'alarm-delivery-failures',
      summary: 's',
      metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    expect(m2.registered[0].alarmName).toBe('custom-high-latency');
    expect(m2.title).toBe('Generated');
  });
});
