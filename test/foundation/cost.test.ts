import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { estimateMonthlyCost, formatEstimate } from '../../lib/cost/estimate';
import type { DeclaredLoad, EstimateSettings } from '../../lib/cost/inputs';
import { PRICE_TABLES, pricesFor } from '../../lib/cost/prices';
import { shapeFromTemplates, type PlatformShape } from '../../lib/cost/shape';
import { allEnvironments, REPO_ROOT } from '../helpers/synth';

/** The cost estimate on fixed inputs, the shape it reads from the templates, the CLI and the budget resources. */

const prices = pricesFor('eu-west-1');
const lake = {
  rawInfrequentAccessDays: 30,
  rawGlacierDays: 90,
  rawExpirationDays: 365,
  stagingInfrequentAccessDays: 30,
  stagingExpirationDays: 90,
  quarantineExpirationDays: 30,
  noncurrentVersionExpirationDays: 14,
  accessLogExpirationDays: 90,
};
const settings: EstimateSettings = {
  batchSize: 500,
  maxBatchingWindowSeconds: 5,
  firehoseBufferSeconds: 300,
  batchRunsPerDay: 24,
  lake,
  monthlyUsageLimitRpuHours: 100_000,
  usageLimitBreachAction: 'emit-metric',
};
const shape: PlatformShape = {
  streams: [{ mode: 'provisioned', shards: 2 }],
  deliveryStreams: 1,
  streamProcessorMemoryMb: 1024,
  otherFunctionMemoryMb: [1024],
  glueJobDpus: [2],
  warehouseBaseRpu: 8,
  fargateTask: { vcpu: 1, memoryGb: 2 },
  stateMachineStates: 10,
  kmsKeys: 3,
  alarms: 10,
  dashboards: 1,
  logGroups: 5,
  interfaceEndpointAzs: 6,
  natGateways: 0,
  secrets: 1,
  dynamoTables: 1,
};
const idle: DeclaredLoad = { eventsPerDay: 0, avgEventBytes: 1000, oltpRowsPerDay: 0, analystQueryHoursPerDay: 0 };
const line = (est: ReturnType<typeof estimateMonthlyCost>, service: string) => est.lines.find((l) => l.service === service)?.monthlyUsd;

describe('monthly cost estimate', () => {
  test('fixed inputs give the hand-computed figures', () => {
    const est = estimateMonthlyCost(shape, settings, idle, prices);
    expect(line(est, 'Kinesis Data Streams')).toBe(24.09); // 2 shards × 730 h × $0.0165
    expect(line(est, 'VPC (endpoints, NAT)')).toBe(48.18); // 6 AZs × 730 h × $0.011
    expect(line(est, 'Secrets Manager')).toBe(0.4);
    expect(line(est, 'Glue')).toBe(32.12); // 730 runs × 2 DPU × 3 min = 73 DPU-h × $0.44
    expect(line(est, 'Redshift Serverless')).toBe(292); // 8 RPU × 730 runs × 8 min = 778.67 RPU-h × $0.375
    expect(line(est, 'Step Functions')).toBe(0.37); // 730 runs × 20 transitions × $0.025 / 1000
    expect(est.totalUsd).toBeCloseTo(
      est.lines.reduce((n, l) => n + l.monthlyUsd, 0),
      2,
    );
    expect(est.pricesRecorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('more load never lowers a line, and raises the load-driven ones', () => {
    const base: DeclaredLoad = { eventsPerDay: 1_000_000, avgEventBytes: 700, oltpRowsPerDay: 100_000, analystQueryHoursPerDay: 1 };
    const low = estimateMonthlyCost(shape, settings, base, prices);
    const high = estimateMonthlyCost(
      shape,
      settings,
      { ...base, eventsPerDay: 4_000_000, oltpRowsPerDay: 400_000, analystQueryHoursPerDay: 4 },
      prices,
    );
    for (const l of low.lines)
      expect({ service: l.service, lower: (line(high, l.service) ?? 0) < l.monthlyUsd }).toEqual({ service: l.service, lower: false });
    for (const service of ['Kinesis Data Streams', 'Data Firehose', 'S3 (lake)', 'Redshift Serverless'])
      expect(line(high, service)).toBeGreaterThan(line(low, service) ?? 0);
    expect(high.totalUsd).toBeGreaterThan(low.totalUsd);
  });

  test('a warehouse above its usage limit is noted, and capped when the limit deactivates it', () => {
    const busy: DeclaredLoad = { ...idle, analystQueryHoursPerDay: 10 };
    const warned = estimateMonthlyCost(shape, { ...settings, monthlyUsageLimitRpuHours: 500 }, busy, prices);
    expect(warned.notes).toEqual([expect.stringContaining('above warehouse.monthlyUsageLimitRpuHours (500)')]);
    const capped = estimateMonthlyCost(
      shape,
      { ...settings, monthlyUsageLimitRpuHours: 500, usageLimitBreachAction: 'deactivate' },
      busy,
      prices,
    );
    expect(line(capped, 'Redshift Serverless')).toBe(187.5); // 500 RPU-h × $0.375
    expect(formatEstimate('test', capped, busy)).toMatch(/note: .*deactivate/);
  });

  test('a region without a price table is refused by name', () => {
    expect(() => pricesFor('ap-south-2')).toThrow(/no price table for region ap-south-2 \(have: eu-west-1\)/);
    for (const table of Object.values(PRICE_TABLES)) expect(table.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('platform shape from the synthesized templates', () => {
  const { stages } = allEnvironments();
  test.each(stages.map((s) => [s.config.name, s] as const))('%s: streams, warehouse, Glue and endpoints as configured', (_name, stage) => {
    const s = shapeFromTemplates(stage.synth().stacks.map((t) => t.template));
    const config = stage.config;
    const expected = Object.values(config.streaming.streams).map((c) =>
      c.mode === 'provisioned' ? { mode: 'provisioned', shards: c.shards } : { mode: 'on-demand', shards: 0 },
    );
    expect([...s.streams].sort((a, b) => a.mode.localeCompare(b.mode) || a.shards - b.shards)).toEqual(
      expected.sort((a, b) => a.mode.localeCompare(b.mode) || a.shards - b.shards),
    );
    expect(s.warehouseBaseRpu).toBe(config.warehouse.baseCapacityRpu);
    expect(s.glueJobDpus.length).toBeGreaterThanOrEqual(2);
    expect(s.streamProcessorMemoryMb).toBeGreaterThan(0);
    expect(s.stateMachineStates).toBeGreaterThan(10);
    expect(s.interfaceEndpointAzs).toBeGreaterThan(0);
  });

  test('budget per environment alerting the warning topic, which AWS Budgets may use; anomaly detection where configured', () => {
    for (const stage of stages) {
      const ops = stage.node.findAll().find((c) => c.node.id === `Operations-${stage.config.name}`);
      const t = Template.fromStack(ops as never);
      t.hasResourceProperties('AWS::Budgets::Budget', {
        Budget: {
          BudgetLimit: { Amount: stage.config.cost.monthlyBudgetUsd, Unit: 'USD' },
          CostFilters: { TagKeyValue: [`user:environment$${stage.config.name}`] },
          TimeUnit: 'MONTHLY',
          BudgetType: 'COST',
        },
      });
      const budget = Object.values(t.findResources('AWS::Budgets::Budget'))[0];
      const warning = Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.includes('Warning'));
      for (const n of budget.Properties.NotificationsWithSubscribers)
        expect(n.Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: { Ref: warning } }]);
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish' })]),
        },
      });
      const keyPolicy = JSON.stringify(t.findResources('AWS::KMS::Key'));
      expect(keyPolicy).toContain('AllowBudgetAlertsToEncryptedTopic');
      t.resourceCountIs('AWS::CE::AnomalyMonitor', stage.config.cost.anomalyAlertUsd === undefined ? 0 : 1);
    }
  });
});

describe('npm run cost', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--require', 'ts-node/register/transpile-only', path.join(REPO_ROOT, 'scripts', 'cost.ts'), ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });

  test('--help prints usage and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run cost -- --env/);
  });

  test('unknown flags and environments exit 2 naming them', () => {
    const unknown = run('--envv', 'prod');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--envv/);
    const bad = run('--env=qa');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--env must be one of dev, staging, prod \(got 'qa'\)/);
  });

  test('prints the table with a total for an environment', () => {
    const r = run('--env', 'prod');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Monthly cost estimate: prod \(eu-west-1, list prices recorded \d{4}-\d{2}-\d{2}\)/);
    expect(r.stdout).toMatch(/^Redshift Serverless +\$[\d,]+\.\d\d/m);
    expect(r.stdout).toMatch(/^total +\$[\d,]+\.\d\d$/m);
  });
});

describe('make cost', () => {
  test('ENV is checked before anything runs, and never evaluated by make or the shell', () => {
    const marker = path.join(REPO_ROOT, '.local', `cost-make-${process.pid}`);
    for (const value of [`$(shell touch ${marker})`, `x; touch ${marker}`, '']) {
      const r = spawnSync('make', ['--no-print-directory', 'cost', `ENV=${value}`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`make cost: ENV must be dev, staging or prod (got '${value}')`);
    }
    expect(fs.existsSync(marker)).toBe(false);
  });
});
