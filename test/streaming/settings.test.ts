import { ConfigError, loadEnvironmentConfig, parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { settingsFromConfig, streamNameOf } from '../../lib/config/stream-settings';
import { parseProcessorSettings } from '../../lambda/contracts/processor-settings';

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
    expect(parseProcessorSettings(JSON.stringify(settings))).toEqual(settings);
  });

  test('the processor rejects missing or invalid settings naming the field', () => {
    expect(() => parseProcessorSettings(undefined)).toThrow(/PROCESSOR_SETTINGS is not set/);
    expect(() => parseProcessorSettings('{')).toThrow(/not valid JSON/);
    const settings = settingsFromConfig(loadEnvironmentConfig('dev'));
    expect(() => parseProcessorSettings(JSON.stringify({ ...settings, currencies: ['usd'] }))).toThrow(/currencies\.0/);
    expect(() => parseProcessorSettings(JSON.stringify({ ...settings, anomaly: { ...settings.anomaly, velocityMaxOrders: 0 } }))).toThrow(
      /anomaly\.velocityMaxOrders/,
    );
  });

  test('config: a clock-skew threshold that could never fire (≥ the 5-minute future limit) fails naming the field', () => {
    const raw = { ...ENVIRONMENTS.dev, anomaly: { ...ENVIRONMENTS.dev.anomaly, maxClockSkewSeconds: 300 } };
    expect(() => parseEnvironmentConfig(raw, 'dev')).toThrow(ConfigError);
    expect(() => parseEnvironmentConfig(raw, 'dev')).toThrow(/anomaly\.maxClockSkewSeconds: must be < 300 seconds/);
  });
});
