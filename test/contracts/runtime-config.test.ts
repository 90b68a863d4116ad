/**
 * The runtime-config contract: one parser and one issue format for every function, and the bounds the environment
 * config and the runtime share.
 */
import * as z from 'zod/mini';
import { readBatchConfig } from '../../lambda/contracts/batch-config';
import { formatIssues, parseJsonConfig } from '../../lambda/contracts/config-parse';
import { MAD_MIN_SAMPLES_FLOOR, parseProcessorConfig } from '../../lambda/contracts/processor-settings';
import { RUNTIME_CONFIGS } from '../../lambda/contracts/runtime-config';
import { ConfigError, loadEnvironmentConfig, parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { settingsFromConfig } from '../../lib/config/stream-settings';
import { processorSettingsVariable } from '../../scripts/generator/stream-fixture';

describe('config parser', () => {
  const schema = z.strictObject({ table: z.string().check(z.minLength(3)), ttl: z.int().check(z.gte(60)) });

  test('names the variable when it is missing or not JSON', () => {
    expect(() => parseJsonConfig('X_CONFIG', schema, undefined)).toThrow('X_CONFIG is not set');
    expect(() => parseJsonConfig('X_CONFIG', schema, '{')).toThrow('X_CONFIG is not valid JSON');
  });

  test('names every bad field, in one message', () => {
    expect(() => parseJsonConfig('X_CONFIG', schema, JSON.stringify({ table: 'ab', ttl: 5, extra: 1 }))).toThrow(
      /^X_CONFIG is invalid: table: .*>=3.*; ttl: .*>=60.*; \(root\): Unrecognized key: "extra"$/,
    );
    expect(parseJsonConfig('X_CONFIG', schema, JSON.stringify({ table: 'abc', ttl: 60 }))).toEqual({ table: 'abc', ttl: 60 });
  });

  test('issue paths are joined under an optional root', () => {
    expect(
      formatIssues(
        [
          { path: ['end'], message: 'bad' },
          { path: [], message: 'worse' },
        ],
        ['window'],
      ),
    ).toBe('window.end: bad; window: worse');
    expect(
      formatIssues([
        { path: ['a', 0], message: 'bad' },
        { path: [], message: 'worse' },
      ]),
    ).toBe('a.0: bad; (root): worse');
  });

  test('batch and stream configs go through it, naming the field', () => {
    expect(() => readBatchConfig('control', JSON.stringify({ leaseTable: 'leases', leaseTtlSeconds: 10 }))).toThrow(
      /^BATCH_CONFIG is invalid: leaseTtlSeconds: /,
    );
    expect(() => readBatchConfig('release', undefined)).toThrow('BATCH_CONFIG is not set');
    expect(() => RUNTIME_CONFIGS['stream-processor'].parse('[]')).toThrow(/^PROCESSOR_SETTINGS is invalid: \(root\): /);
  });
});

describe('anomaly sample floor', () => {
  const settings = settingsFromConfig(loadEnvironmentConfig('dev'));
  const withSamples = (n: number) => processorSettingsVariable({ ...settings, anomaly: { ...settings.anomaly, madMinSamples: n } });

  test('the runtime refuses what the environment config refuses', () => {
    const raw = (n: number) => ({ ...ENVIRONMENTS.dev, anomaly: { ...ENVIRONMENTS.dev.anomaly, madMinSamples: n } });
    expect(() => parseEnvironmentConfig(raw(MAD_MIN_SAMPLES_FLOOR - 1), 'dev')).toThrow(ConfigError);
    expect(() => parseEnvironmentConfig(raw(MAD_MIN_SAMPLES_FLOOR - 1), 'dev')).toThrow(/anomaly\.madMinSamples: must be ≥ 5/);
    expect(() => parseProcessorConfig(withSamples(MAD_MIN_SAMPLES_FLOOR - 1))).toThrow(/anomaly\.madMinSamples/);
    expect(parseEnvironmentConfig(raw(MAD_MIN_SAMPLES_FLOOR), 'dev').anomaly.madMinSamples).toBe(MAD_MIN_SAMPLES_FLOOR);
    expect(parseProcessorConfig(withSamples(MAD_MIN_SAMPLES_FLOOR)).anomaly.madMinSamples).toBe(MAD_MIN_SAMPLES_FLOOR);
  });
});
