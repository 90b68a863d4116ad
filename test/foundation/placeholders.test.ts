import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadEnvironmentConfig, parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { findPlaceholders, placeholder } from '../../lib/config/placeholders';
import { DataPlatformStage } from '../../lib/data-platform-stage';
import { failingAssertions } from '../helpers/cfn-rules';
import { allEnvironments, cdkJsonContext, stacksOf } from '../helpers/synth';

/** Parameter values CloudFormation resolves at deploy (the bootstrap version from SSM). */
const deployParams = { BootstrapVersion: '30' };

const realValues = (name: 'staging' | 'prod') => {
  const raw = structuredClone(ENVIRONMENTS[name]) as Record<string, any>;
  raw.account = '123456789012';
  raw.runbookBaseUrl = 'https://git.internal.corp/data/dataflow/-/blob/main/';
  raw.alarms = { criticalEmails: ['data-oncall@corp.internal'], warningEmails: ['data-platform@corp.internal'] };
  raw.oltp = { ...raw.oltp, network: { mode: 'transit-gateway', transitGatewayId: 'tgw-0a1b2c3d4e5f60718', cidr: '172.16.8.0/24' } };
  return raw;
};

describe('example values never reach an account', () => {
  test('every example field of staging and prod is found, by path', () => {
    expect(findPlaceholders(loadEnvironmentConfig('prod')).map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'account',
        'runbookBaseUrl',
        'alarms.criticalEmails.0',
        'alarms.warningEmails.0',
        'oltp.network.transitGatewayId',
      ]),
    );
    expect(findPlaceholders(loadEnvironmentConfig('staging')).map((f) => f.path)).toEqual(
      expect.arrayContaining(['account', 'runbookBaseUrl', 'alarms.criticalEmails.0', 'oltp.network.peerVpcId']),
    );
  });

  test('reserved example domains, marked values and an unattended critical topic are found; real values are not', () => {
    const marked = placeholder('tgw-0example000000000');
    const cfg = {
      name: 'prod',
      a: 'ops@team.example',
      b: 'https://docs.example.com/x/',
      c: marked,
      d: 'ops@corp.internal',
      alarms: { criticalEmails: [] },
    };
    expect(findPlaceholders(cfg).map((f) => `${f.path}: ${f.reason}`)).toEqual([
      'a: uses the reserved example domain team.example',
      'b: uses the reserved example domain docs.example.com',
      'c: is an example value (placeholder)',
      'alarms.criticalEmails: is empty: the critical topic would page nobody',
    ]);
    expect(findPlaceholders({ name: 'dev', alarms: { criticalEmails: [] } })).toEqual([]);
    expect(findPlaceholders(parseEnvironmentConfig(realValues('prod'), 'prod'))).toEqual([]);
  });

  test.each(['staging', 'prod'] as const)('every %s stack synthesizes, and CloudFormation would refuse each naming every field', (name) => {
    const stage = allEnvironments().stages.find((s) => s.config.name === name)!;
    const stacks = stacksOf(stage);
    expect(stacks.length).toBe(6);
    for (const stack of stacks) {
      const refusals = failingAssertions(Template.fromStack(stack).toJSON(), deployParams);
      expect(refusals).toHaveLength(1);
      for (const field of ['account', 'runbookBaseUrl', 'alarms.criticalEmails.0']) expect(refusals[0]).toContain(field);
    }
  });

  test('an environment without example values deploys: no refusal, and CDK’s own bootstrap rule still passes', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const stage = new DataPlatformStage(app, { config: parseEnvironmentConfig(realValues('prod'), 'prod') });
    for (const stack of stacksOf(stage)) {
      const template = Template.fromStack(stack).toJSON();
      expect(Object.keys(template.Rules)).toEqual(['CheckBootstrapVersion']);
      expect(failingAssertions(template, deployParams)).toEqual([]);
    }
  });
});
