import { ConfigError, ENVIRONMENT_NAMES, loadEnvironmentConfig, parseEnvironmentConfig, selectEnvironments } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';

const withOverride = (env: 'dev' | 'staging' | 'prod', patch: (c: Record<string, any>) => void) => {
  const raw = structuredClone(ENVIRONMENTS[env]) as Record<string, any>;
  patch(raw);
  return () => parseEnvironmentConfig(raw, env);
};

describe('environment configuration', () => {
  test.each(ENVIRONMENT_NAMES)('%s validates', (name) => {
    expect(loadEnvironmentConfig(name).name).toBe(name);
  });

  test('an unknown environment lists the valid ones', () => {
    expect(() => loadEnvironmentConfig('qa')).toThrow(
      new ConfigError('Unknown environment "qa". Valid environments: dev, staging, prod (or "all").'),
    );
    expect(() => selectEnvironments('production')).toThrow(/Valid environments: dev, staging, prod/);
  });

  test('env selector: default dev, all = three environments', () => {
    expect(selectEnvironments(undefined)).toEqual(['dev']);
    expect(selectEnvironments('all')).toEqual(['dev', 'staging', 'prod']);
    expect(selectEnvironments('prod')).toEqual(['prod']);
  });

  test('prod can never be set to destroy data', () => {
    const destroy = withOverride('prod', (c) => (c.removal = { policy: 'destroy', allowDataDeletion: true }));
    expect(destroy).toThrow(ConfigError);
    expect(destroy).toThrow(/removal: prod can never destroy data/);
    expect(withOverride('prod', (c) => (c.removal = { policy: 'retain', allowDataDeletion: true }))).toThrow(/prod can never destroy data/);
    expect(withOverride('prod', (c) => (c.removal = { policy: 'destroy', allowDataDeletion: false }))).toThrow(
      /prod can never destroy data/,
    );
  });

  test('invalid values name the field, the rule and the value', () => {
    expect(withOverride('dev', (c) => (c.logRetentionDays = 42))).toThrow(/logRetentionDays: must be one of 1, 3, 5, 7.* \(got 42\)/);
    expect(withOverride('dev', (c) => (c.prefix = 'Data_Flow'))).toThrow(/prefix: must be 3–16 chars .* \(got "Data_Flow"\)/);
    expect(withOverride('dev', (c) => (c.alarms.criticalEmails = ['not-an-email']))).toThrow(
      /alarms\.criticalEmails\.0: must be an e-mail address/,
    );
    expect(withOverride('dev', (c) => (c.streaming.batchSize = 20_000))).toThrow(
      /streaming\.batchSize: must be ≤ 10000 \(Kinesis limit\) \(got 20000\)/,
    );
    expect(withOverride('dev', (c) => (c.quality.validity = 1.5))).toThrow(/quality\.validity: must be between 0 and 1/);
    expect(withOverride('dev', (c) => (c.warehouse.baseCapacityRpu = 12))).toThrow(
      /warehouse\.baseCapacityRpu: must be 4 or a multiple of 8/,
    );
    expect(withOverride('dev', (c) => ((c.warehouse.maxCapacityRpu = 8), (c.warehouse.baseCapacityRpu = 16)))).toThrow(
      /warehouse\.maxCapacityRpu: must be ≥ baseCapacityRpu/,
    );
    expect(withOverride('dev', (c) => (c.lake.rawGlacierDays = 30))).toThrow(
      /lake\.rawGlacierDays: must be greater than rawInfrequentAccessDays/,
    );
    expect(withOverride('dev', (c) => (c.schedule.expression = 'hourly'))).toThrow(
      /schedule\.expression: must be a cron\(\.\.\.\), rate\(\.\.\.\) or at\(\.\.\.\) expression/,
    );
    expect(withOverride('dev', (c) => (c.streaming.streams.transactions = { mode: 'provisioned', shards: 0 }))).toThrow(
      /streaming\.streams\.transactions\.shards: must be ≥ 1 shard/,
    );
    expect(withOverride('dev', (c) => (c.unexpected = true))).toThrow(/unexpected|Unrecognized key/);
  });

  test('warehouse availability zones: at least three, distinct, in the region', () => {
    const dev = loadEnvironmentConfig('dev');
    expect(dev.warehouse.availabilityZones).toBeUndefined();
    const azs = [`${dev.region}b`, `${dev.region}c`, `${dev.region}d`];
    expect(withOverride('dev', (c) => (c.warehouse.availabilityZones = azs))().warehouse.availabilityZones).toEqual(azs);
    expect(withOverride('dev', (c) => (c.warehouse.availabilityZones = azs.slice(0, 2)))).toThrow(
      /warehouse\.availabilityZones: needs at least three/,
    );
    expect(withOverride('dev', (c) => (c.warehouse.availabilityZones = [...azs.slice(0, 2), 'ap-south-9a']))).toThrow(
      new RegExp(`warehouse\\.availabilityZones\\.2: must be in the region ${dev.region}`),
    );
    expect(withOverride('dev', (c) => (c.warehouse.availabilityZones = [azs[0], azs[1], azs[0]]))).toThrow(
      /warehouse\.availabilityZones\.2: must not repeat/,
    );
  });

  test('every issue is reported, not just the first', () => {
    const both = withOverride('dev', (c) => ((c.logRetentionDays = 0), (c.region = 'mars')));
    expect(both).toThrow(/logRetentionDays[\s\S]*region|region[\s\S]*logRetentionDays/);
  });

  test('staging and prod need an account; dev may be environment-agnostic', () => {
    expect(loadEnvironmentConfig('dev').account).toBeUndefined();
    expect(withOverride('staging', (c) => delete c.account)).toThrow(/account: is required for staging/);
    expect(() => loadEnvironmentConfig('prod', { account: '12345' })).toThrow(/account: must be a 12-digit AWS account id/);
    expect(loadEnvironmentConfig('prod', { account: '123456789012', region: 'us-east-2' })).toMatchObject({
      account: '123456789012',
      region: 'us-east-2',
    });
  });
});

describe('cost configuration', () => {
  test('budget and load are validated with the field named', () => {
    expect(withOverride('dev', (c) => (c.cost.monthlyBudgetUsd = 0))).toThrow(/cost\.monthlyBudgetUsd: must be > 0/);
    expect(withOverride('dev', (c) => (c.cost.load.avgEventBytes = 2_000_000))).toThrow(/cost\.load\.avgEventBytes: must be ≤ 1 MiB/);
    expect(withOverride('dev', (c) => (c.cost.load.analystQueryHoursPerDay = 25))).toThrow(
      /cost\.load\.analystQueryHoursPerDay: must be ≤ 24 hours/,
    );
  });

  test('cost anomaly alerts need a warning address to go to', () => {
    expect(withOverride('dev', (c) => (c.cost.anomalyAlertUsd = 50))).toThrow(
      /cost\.anomalyAlertUsd: needs at least one alarms\.warningEmails address/,
    );
    expect(
      withOverride('dev', (c) => ((c.cost.anomalyAlertUsd = 50), (c.alarms.warningEmails = ['team@dataflow.example'])))(),
    ).toMatchObject({ cost: { anomalyAlertUsd: 50 } });
  });
});
