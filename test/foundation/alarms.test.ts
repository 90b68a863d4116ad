import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Alerting } from '../../lib/constructs/alerting';
import { Monitoring } from '../../lib/constructs/monitoring';
import { allEnvironments, cdkJsonContext, REPO_ROOT, stacksOf } from '../helpers/synth';

const { stages } = allEnvironments();
const RUNBOOK_LINK = /Runbook: https:\/\/\S+\/(docs\/runbooks\/[a-z0-9-]+\.md)$/;

/** Resolves an alarm action (Ref, ImportValue or Fn::GetAtt of a topic) to the topic it names, if any. */
function isTopicRef(action: unknown, stackTopics: Set<string>): boolean {
  if (typeof action !== 'object' || action === null) return false;
  const a = action as Record<string, unknown>;
  if (typeof a.Ref === 'string') return stackTopics.has(a.Ref);
  // Cross-stack reference to the Operations stack's topics.
  if ('Fn::ImportValue' in a) return /Alerting(Critical|Warning)/.test(JSON.stringify(a['Fn::ImportValue']));
  // Weak cross-stack references (`@aws-cdk/core:defaultCrossStackReferences: weak`) resolve to Fn::GetStackOutput.
  if ('Fn::GetStackOutput' in a) return /Alerting(Critical|Warning)/.test(JSON.stringify(a['Fn::GetStackOutput']));
  return false;
}

const alarms = stages.flatMap((stage) =>
  stacksOf(stage).flatMap((stack) => {
    const template = Template.fromStack(stack).toJSON();
    const topics = new Set(
      Object.entries(template.Resources as Record<string, any>)
        .filter(([, r]) => r.Type === 'AWS::SNS::Topic')
        .map(([id]) => id),
    );
    return Object.entries(template.Resources as Record<string, any>)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id, r]) => ({ name: `${stack.stackName}/${id}`, props: r.Properties, topics }));
  }),
);

describe('every alarm in every stack', () => {
  test('there are alarms to check', () => {
    expect(alarms.length).toBeGreaterThan(0);
  });

  test.each(alarms.map((a) => [a.name, a] as const))('%s notifies SNS on ALARM and OK and links an existing runbook', (_n, alarm) => {
    expect(alarm.props.ActionsEnabled).toBe(true);
    expect(alarm.props.AlarmActions?.length).toBeGreaterThan(0);
    expect(alarm.props.OKActions?.length).toBeGreaterThan(0);
    for (const action of [...alarm.props.AlarmActions, ...alarm.props.OKActions]) expect(isTopicRef(action, alarm.topics)).toBe(true);
    const link = RUNBOOK_LINK.exec(alarm.props.AlarmDescription);
    expect(link).not.toBeNull();
    expect(fs.existsSync(path.join(REPO_ROOT, link![1]))).toBe(true);
  });
});

describe('Monitoring', () => {
  const setup = () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'M');
    const alerting = new Alerting(stack, 'Alerting');
    const monitoring = new Monitoring(stack, 'Monitoring', { topics: alerting, runbookBaseUrl: 'https://example.org/repo/' });
    const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors' });
    return { stack, alerting, monitoring, metric };
  };

  test('refuses an alarm whose runbook file does not exist', () => {
    const { monitoring, metric } = setup();
    expect(() =>
      monitoring.addAlarm('A', { runbook: 'no-such-runbook', summary: 's', metric, threshold: 1, evaluationPeriods: 1 }),
    ).toThrow(/runbook docs\/runbooks\/no-such-runbook\.md does not exist/);
  });

  test('default severity is critical; warning goes to the warning topic', () => {
    const { stack, alerting, monitoring, metric } = setup();
    monitoring.addAlarm('Crit', { runbook: 'alarm-delivery-failures', summary: 'Crit.', metric, threshold: 1, evaluationPeriods: 1 });
    monitoring.addAlarm('Warn', {
      runbook: 'alarm-delivery-failures',
      summary: 'Warn.',
      severity: 'warning',
      metric,
      threshold: 1,
      evaluationPeriods: 1,
    });
    const t = Template.fromStack(stack);
    const ref = (topic: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(topic.node.defaultChild as CfnElement) });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Crit. Runbook: https://example.org/repo/docs/runbooks/alarm-delivery-failures.md',
      AlarmActions: [ref(alerting.critical)],
      OKActions: [ref(alerting.critical)],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Warn. Runbook: https://example.org/repo/docs/runbooks/alarm-delivery-failures.md',
      AlarmActions: [ref(alerting.warning)],
      OKActions: [ref(alerting.warning)],
    });
    expect(monitoring.alarms).toHaveLength(2);
  });

  test('anomaly-band alarms are registered the same way', () => {
    const { stack, alerting, monitoring, metric } = setup();
    monitoring.addAnomalyAlarm('Volume', {
      runbook: 'alarm-delivery-failures',
      summary: 'Volume.',
      metric,
      evaluationPeriods: 3,
      stdDevs: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      ThresholdMetricId: 'expr_1',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: stack.getLogicalId(alerting.critical.node.defaultChild as CfnElement) }],
    });
  });
});

describe('Alerting', () => {
  test('defaults: two KMS-encrypted TLS-only topics, no subscriptions, key retained and usable by CloudWatch', () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'A');
    new Alerting(stack, 'Alerting');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 2);
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    const keyId = Object.keys(t.findResources('AWS::KMS::Key'))[0];
    t.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    const keyPolicy = JSON.stringify(Object.values(t.findResources('AWS::KMS::Key'))[0]);
    expect(keyPolicy).toContain('cloudwatch.amazonaws.com');
    const topicPolicies = t.findResources('AWS::SNS::TopicPolicy');
    expect(JSON.stringify(topicPolicies)).toContain('aws:SecureTransport');
  });

  test('e-mail subscriptions come from config', () => {
    const prod = stages.find((s) => s.config.name === 'prod')!;
    const t = Template.fromStack(prod.operations);
    t.resourceCountIs('AWS::SNS::Subscription', prod.config.alarms.criticalEmails.length + prod.config.alarms.warningEmails.length);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: prod.config.alarms.criticalEmails[0] });
  });
});
