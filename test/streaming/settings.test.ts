import { ConfigError, loadEnvironmentConfig, parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { settingsFromConfig, streamNameOf } from '../../lib/config/stream-settings';
import { parseProcessorConfig } from '../../lambda/contracts/processor-settings';
import { BENCH_RESOURCES, processorSettingsVariable } from '../../scripts/generator/stream-fixture';

describe('processor settings', () => {
  test('derived from the environment config and accepted by the processor’s own validation', () => {
    const config = loadEnvironmentConfig('prod');
    const settings = settingsFromConfig(config);
    expect(settings.streams).toEqual({
      'dataflow-prod-transactions': 'transactions',
      'dataflow-prod-customers': 'customers',
      'dataflow-prod-clickstream': 'clickstream',
    });
    expect(streamNameOf(config, 'clickstream')).toBe('dataflow-prod-clickstream');
    expect(settings.anomaly).toEqual({
      highAmount: config.anomaly.highAmount,
      madZThreshold: config.anomaly.madZThreshold,
      madMinSamples: config.anomaly.madMinSamples,
      velocityMaxOrders: config.anomaly.velocityMaxOrders,
      maxClockSkewSeconds: config.anomaly.maxClockSkewSeconds,
      maxLatenessSeconds: config.anomaly.maxLatenessSeconds,
    });
    expect(parseProcessorConfig(processorSettingsVariable(settings))).toEqual({ ...settings, resources: BENCH_RESOURCES });
  });

  test('the processor rejects missing or invalid settings naming the field', () => {
    expect(() => parseProcessorConfig(undefined)).toThrow(/PROCESSOR_SETTINGS is not set/);
    expect(() => parseProcessorConfig('{')).toThrow(/not valid JSON/);
    const settings = settingsFromConfig(loadEnvironmentConfig('dev'));
    const parse = (value: object) => () => parseProcessorConfig(JSON.stringify(value));
    expect(parse({ ...settings, currencies: ['usd'], resources: BENCH_RESOURCES })).toThrow(/currencies\.0/);
    expect(parse({ ...settings, anomaly: { ...settings.anomaly, velocityMaxOrders: 0 }, resources: BENCH_RESOURCES })).toThrow(
      /anomaly\.velocityMaxOrders/,
    );
  });

  test('the processor rejects missing or invalid resources naming the field', () => {
    const settings = settingsFromConfig(loadEnvironmentConfig('dev'));
    const parse = (value: object) => () => parseProcessorConfig(JSON.stringify(value));
    expect(parse(settings)).toThrow(/PROCESSOR_SETTINGS is invalid: resources: /);
    expect(parse({ ...settings, resources: { ...BENCH_RESOURCES, alertTopicArn: 'alerts' } })).toThrow(/resources\.alertTopicArn/);
    const { quarantine: _, ...stagingOnly } = BENCH_RESOURCES.buckets;
    expect(parse({ ...settings, resources: { ...BENCH_RESOURCES, buckets: stagingOnly } })).toThrow(/resources\.buckets\.quarantine/);
  });

  test('config: a clock-skew threshold that could never fire (≥ the 5-minute future limit) fails naming the field', () => {
    const raw = { ...ENVIRONMENTS.dev, anomaly: { ...ENVIRONMENTS.dev.anomaly, maxClockSkewSeconds: 300 } };
    expect(() => parseEnvironmentConfig(raw, 'dev')).toThrow(ConfigError);
    expect(() => parseEnvironmentConfig(raw, 'dev')).toThrow(/anomaly\.maxClockSkewSeconds: must be < 300 seconds/);
  });
});
