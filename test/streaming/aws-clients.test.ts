import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CLIENT_TIMEOUTS, s3Client, snsClient } from '../../lambda/stream-processor/aws-clients';

/** A server that accepts requests and never answers: a stalled S3 connection. */
let server: http.Server;
let endpoint: string;
beforeAll(async () => {
  server = http.createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const put = (client: S3Client) => client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }));
/** What the request did within `ms`: answered, failed (the error's name), or still waiting. */
async function within<T>(ms: number, p: Promise<T>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<string>((r) => (timer = setTimeout(() => r('still waiting'), ms)));
  try {
    return await Promise.race([
      p.then(
        () => 'answered',
        (e: Error) => e.name,
      ),
      waited,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('AWS clients have finite network timeouts', () => {
  test('the production settings: connect 3 s, request 15 s, 3 attempts (worst case well inside the 120 s function timeout)', () => {
    expect(CLIENT_TIMEOUTS).toEqual({ connectionTimeout: 3_000, requestTimeout: 15_000, maxAttempts: 3 });
    expect(CLIENT_TIMEOUTS.maxAttempts * (CLIENT_TIMEOUTS.connectionTimeout + CLIENT_TIMEOUTS.requestTimeout)).toBeLessThan(120_000 / 2);
  });

  test('a stalled request fails with TimeoutError after requestTimeout instead of holding the invocation', async () => {
    const client = s3Client(
      { connectionTimeout: 200, requestTimeout: 300, maxAttempts: 1 },
      { region: 'eu-west-1', credentials, endpoint, forcePathStyle: true },
    );
    expect(await within(3_000, put(client))).toBe('TimeoutError');
    client.destroy();
  });

  test('the same timeout without throwOnRequestTimeout only warns: the request keeps waiting (why the flag is set)', async () => {
    const client = new S3Client({
      region: 'eu-west-1',
      credentials,
      endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300 },
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    expect(await within(1_500, put(client))).toBe('still waiting');
    client.destroy();
  });

  test('the SNS client gets the same settings', async () => {
    const handler = snsClient().config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> };
    expect(await handler.configProvider).toMatchObject({ connectionTimeout: 3_000, requestTimeout: 15_000, throwOnRequestTimeout: true });
  });
});
