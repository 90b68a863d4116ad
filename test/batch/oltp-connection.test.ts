import * as path from 'node:path';
import { copyFiles } from '../../lib/constructs/platform-function';
import { oltpExtractSettings } from '../../lib/constructs/oltp-extract';
import { BUNDLED_CA_FILE, type OltpConnectionSettings } from '../../lambda/contracts/batch-config';
import { caBundle, clientConfig } from '../../lambda/batch/oltp-connection';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBprivateCA\n-----END CERTIFICATE-----\n';
const secret = { host: 'oltp.corp.internal', port: 5432, dbname: 'shop', username: 'dataflow_extract', password: 'pw', caPem: PEM };
const timeouts = { connectTimeoutMs: 10_000, statementTimeoutMs: 600_000, queryTimeoutMs: 660_000 };

describe('pg client options of the extract', () => {
  test('timeouts are set: connect, server-side statement, client-side query; TLS is verified', () => {
    const c = clientConfig({ ...timeouts, ca: { source: 'rds' } }, secret);
    expect(c).toMatchObject({
      connectionTimeoutMillis: 10_000,
      statement_timeout: 600_000,
      query_timeout: 660_000,
      host: 'oltp.corp.internal',
      database: 'shop',
      user: 'dataflow_extract',
    });
    expect(c.ssl).toEqual({ rejectUnauthorized: true });
  });

  test('the CA comes from the configured source: a secret field or the bundled file', () => {
    const fromSecret = clientConfig({ ...timeouts, ca: { source: 'secret-field', field: 'caPem' } }, secret);
    expect(fromSecret.ssl).toEqual({ rejectUnauthorized: true, ca: PEM });
    const read: string[] = [];
    const fromFile = clientConfig({ ...timeouts, ca: { source: 'file' } }, secret, (p) => (read.push(p), PEM), '/var/task');
    expect(read).toEqual([`/var/task/${BUNDLED_CA_FILE}`]);
    expect(fromFile.ssl).toEqual({ rejectUnauthorized: true, ca: PEM });
  });

  test('a missing or non-PEM CA fails naming where it was looked for', () => {
    const settings: OltpConnectionSettings = { ...timeouts, ca: { source: 'secret-field', field: 'caBundle' } };
    expect(() => caBundle(settings, secret)).toThrow('OLTP secret field "caBundle" does not hold a PEM certificate');
    expect(() => caBundle({ ...timeouts, ca: { source: 'file' } }, secret, () => 'not a pem', '/var/task')).toThrow(
      `bundled ${BUNDLED_CA_FILE} does not hold a PEM certificate`,
    );
  });
});

describe('a CA bundle from the repository travels with the extract', () => {
  test('tls.ca file: the PEM is copied next to the handler by the bundling hook, and the runtime reads it there', () => {
    const settings = oltpExtractSettings({
      network: { mode: 'transit-gateway', transitGatewayId: 'tgw-0123456789abcdef0', cidr: '172.16.8.0/24' },
      port: 5432,
      tls: { ca: 'file', path: 'certs/oltp-ca.pem' },
      timeouts: { connectSeconds: 10, statementSeconds: 600, querySeconds: 660 },
    });
    expect(settings.runtime.ca).toEqual({ source: 'file' });
    expect(settings.environment).toEqual({});
    const source = path.resolve(__dirname, '..', '..', 'certs', 'oltp-ca.pem');
    expect(settings.bundledFiles).toEqual({ [BUNDLED_CA_FILE]: source });
    const hooks = copyFiles(settings.bundledFiles);
    expect(hooks.afterBundling('/in', '/asset-output')).toEqual([`cp ${JSON.stringify(source)} "/asset-output/${BUNDLED_CA_FILE}"`]);
  });
});
