import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { runScript } from '../helpers/cli';
import { createEventContracts } from '../../lambda/contracts/events';
import { generateRecords } from '../../scripts/generator';
import { markSynthetic, parseArgs } from '../../scripts/produce';

/** A stand-in Kinesis endpoint (the SDK's Kinesis client speaks HTTP/2): accepts every PutRecords, remembers it. */
function fakeKinesis() {
  const requests: { auth: string; body: { StreamName: string; Records: { Data: string }[] } }[] = [];
  const server = http2.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as (typeof requests)[number]['body'];
      requests.push({ auth: String(req.headers.authorization), body });
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({
          FailedRecordCount: 0,
          Records: body.Records.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-000000000000' })),
        }),
      );
    });
  });
  return { server, requests };
}

const NO_AWS = {
  AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_MAX_ATTEMPTS: '1',
};

describe('produce CLI (subprocess)', () => {
  it('--help prints usage and exits 0 without producing', async () => {
    const r = await runScript('scripts/produce.ts', ['--help'], NO_AWS);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run produce/);
    expect(r.stdout).not.toMatch(/producing to/);
  });

  it.each([
    [['--strem', 'customers'], /Unknown option '--strem'/],
    [['--stream', 'customers', '--rate', 'abc'], /--rate must be/],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const r = await runScript('scripts/produce.ts', args, NO_AWS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--env=prod without --yes and without a terminal refuses before sending', async () => {
    const r = await runScript('scripts/produce.ts', ['--env=prod', '--stream', 'customers'], NO_AWS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/writes to prod: add --yes/);
  });

  it('honours -c region=, marks events synthetic and prints progress and a summary', async () => {
    const { server, requests } = fakeKinesis();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await runScript(
        'scripts/produce.ts',
        [
          '--stream',
          'clickstream',
          '--rate',
          '20',
          '--duration',
          '3',
          '--progress-seconds',
          '1',
          '--defect-rate',
          '0',
          '-c',
          'region=us-east-2',
          '--seed',
          '7',
        ],
        {
          ...NO_AWS,
          AWS_ENDPOINT_URL_KINESIS: `http://127.0.0.1:${port}`,
        },
      );
      expect(r.stderr).not.toMatch(/^produce:/m);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/producing to dataflow-dev-clickstream \(dev, us-east-2\)/);
      expect(r.stdout).toMatch(/sent \d+\/60 \(\d+\/s\), failed 0, retried 0, ETA/);
      expect(r.stdout).toMatch(/sent 60, failed 0, retried 0/);
      expect(requests[0].auth).toContain('/us-east-2/kinesis/aws4_request');
      const events = requests.flatMap((q) =>
        q.body.Records.map((x) => JSON.parse(Buffer.from(x.Data, 'base64').toString()) as { source: string }),
      );
      expect(events).toHaveLength(60);
      expect(new Set(events.map((e) => e.source))).toEqual(new Set(['synthetic']));
    } finally {
      server.close();
    }
  });
});

describe('produce helpers', () => {
  it.each([
    [['--stream', 'customers', '--rate', '0'], /--rate must be/],
    [['--stream', 'customers', '--duration', '1.5'], /--duration must be a whole number/],
    [['--stream', 'orders'], /--stream must be one of/],
    [['--rate', '10'], /--stream is required/],
    [['--stream', 'customers', 'extra'], /extra/],
    [['--stream'], /--stream/],
  ])('%j is a usage error naming the flag', (args, message) => {
    expect(() => parseArgs(args)).toThrow(message);
  });

  it('parses --env=prod and --env prod alike', () => {
    expect(parseArgs(['--env=prod', '--stream', 'customers']).env).toBe('prod');
    expect(parseArgs(['--env', 'prod', '--stream', 'customers']).env).toBe('prod');
  });

  it('marked generated events pass the contracts as synthetic; defects stay defects', () => {
    const contracts = createEventContracts({ currencies: ['USD', 'EUR', 'GBP', 'CAD', 'AUD'] });
    for (const r of generateRecords({ seed: 5, count: 400, defectRate: 0.1 })) {
      const data = markSynthetic(r.data);
      let value: unknown;
      try {
        value = JSON.parse(data.toString());
      } catch {
        continue;
      }
      const result = contracts.validate(value, r.stream, r.arrivalMs);
      expect(result.ok).toBe(r.label.kind === 'valid');
      if (result.ok) expect(result.event.source).toBe('synthetic');
    }
  });

  it('replaces a real source only', () => {
    expect(markSynthetic(Buffer.from('{"a":1,"source":"web"}')).toString()).toBe('{"a":1,"source":"synthetic"}');
    expect(markSynthetic(Buffer.from('{"source":"kiosk"}')).toString()).toBe('{"source":"kiosk"}');
  });
});
