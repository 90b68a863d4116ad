import { ENVIRONMENT_NAMES, endpointPort, loadEnvironmentConfig, parseEnvironmentConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';

/** dev's config with a `lineage` section. */
const withLineage = (lineage: Record<string, unknown>) => () =>
  parseEnvironmentConfig({ ...structuredClone(ENVIRONMENTS.dev), lineage }, 'dev');
const endpoint = (patch: Record<string, unknown>) => withLineage({ endpoint: { url: 'https://marquez.lineage.internal:5000', ...patch } });

describe('lineage configuration', () => {
  test.each(ENVIRONMENT_NAMES)('%s: lake only by default, a 2 s emission bound', (name) => {
    expect(loadEnvironmentConfig(name).lineage).toEqual({ timeoutMs: 2000 });
  });

  test('an https endpoint with a secret name or ARN is accepted, its path and port derived', () => {
    const config = endpoint({ apiKeySecret: 'dataflow-prod/openlineage-api-key' })();
    expect(config.lineage.endpoint).toEqual({
      url: 'https://marquez.lineage.internal:5000',
      path: 'api/v1/lineage',
      apiKeySecret: 'dataflow-prod/openlineage-api-key',
    });
    expect(endpointPort(config.lineage.endpoint!)).toBe(5000);
    expect(endpointPort({ url: 'https://lineage.internal' })).toBe(443);
    expect(() => endpoint({ apiKeySecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dataflow/ol-key-AbCdEf' })()).not.toThrow();
  });

  test('plain http, a bad URL, credentials or a query in the URL are refused, naming the field', () => {
    expect(endpoint({ url: 'http://marquez.lineage.internal:5000' })).toThrow(/lineage\.endpoint\.url: must use https \(got http\)/);
    expect(endpoint({ url: 'marquez:5000' })).toThrow(
      /lineage\.endpoint\.url: must use https|lineage\.endpoint\.url: must be an absolute URL/,
    );
    expect(endpoint({ url: 'not a url' })).toThrow(/lineage\.endpoint\.url: must be an absolute URL/);
    expect(endpoint({ url: 'https://user:secret@marquez.internal' })).toThrow(/lineage\.endpoint\.url: must not carry credentials/);
    expect(endpoint({ url: 'https://marquez.internal/?api_key=x' })).toThrow(/lineage\.endpoint\.url: must not have a query/);
  });

  test('a literal API key in place of the secret reference is refused', () => {
    for (const key of ['q8Zt3kL0pW9xR2vN7mB4cY6d', 'sk-live-4f9a', 'eyJhbGciOiJIUzI1NiJ9.e30.abc']) {
      expect(endpoint({ apiKeySecret: key })).toThrow(/lineage\.endpoint\.apiKeySecret: looks like a literal API key/);
    }
    expect(endpoint({ apiKeySecret: 'has spaces in it' })).toThrow(
      /lineage\.endpoint\.apiKeySecret: must be a Secrets Manager secret name/,
    );
    expect(endpoint({ apiKeySecret: 'arn:aws:s3:::bucket' })).toThrow(
      /lineage\.endpoint\.apiKeySecret: must be a Secrets Manager secret ARN/,
    );
  });

  test('namespace, path, network and timeout are validated', () => {
    expect(withLineage({ namespace: 'has space' })).toThrow(/lineage\.namespace: must be 1–128/);
    expect(endpoint({ path: '/api/v1/lineage' })).toThrow(/lineage\.endpoint\.path: must be a relative URL path/);
    expect(endpoint({ cidr: '0.0.0.0/0' })).toThrow(/lineage\.endpoint\.cidr: must be \/8 or narrower/);
    expect(withLineage({ timeoutMs: 30_000 })).toThrow(/lineage\.timeoutMs: must be ≤ 5000 ms/);
    expect(withLineage({ url: 'https://x.internal' })).toThrow(/Unrecognized key|url/);
  });
});
