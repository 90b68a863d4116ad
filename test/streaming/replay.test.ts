import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';
import { generateRecords } from '../../scripts/generator';
import { quarantineLine } from '../../lambda/stream-processor/route';
import { objectKey } from '../../lambda/contracts/lake-keys';
import { loadEnvironmentConfig } from '../../lib/config';
import { main, replayFailureQueue } from '../../scripts/replay';
import { parseFailureMessages } from '../../scripts/replay/failure-queue';
import { runScript } from '../helpers/cli';

const DEV = loadEnvironmentConfig('dev');
const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/dataflow-dev-transactions';
const ARRIVAL = Date.parse('2026-06-01T10:15:00Z');
const valid = generateRecords({
  seed: 11,
  count: 3,
  defectRate: 0,
  anomalyRate: 0,
  streamWeights: { transactions: 1, customers: 0, clickstream: 0 },
  startMs: ARRIVAL,
});
const seq = (i: number) => String(49590000000000000000000000n + BigInt(i));

let dir: string;
let lake: FsLakeStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
  lake = new FsLakeStore(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Files under a zone, relative. */
function files(zone: string): string[] {
  const base = path.join(dir, zone);
  return fs.existsSync(base) ? (fs.readdirSync(base, { recursive: true }) as string[]).filter((f) => f.endsWith('.ndjson')).sort() : [];
}

/** The quarantine replay's arguments for one hour of the transactions stream in `env`, over the test's lake. */
const argsIn = (env: string, ...extra: string[]) => [
  'quarantine',
  '--env',
  env,
  '--stream',
  'transactions',
  '--from',
  '2026-06-01T10:00Z',
  '--to',
  '2026-06-01T11:00Z',
  '--lake-dir',
  dir,
  ...extra,
];

describe('replay quarantine (filesystem lake)', () => {
  /** A quarantine object as the processor wrote it: a record an older contract rejected, and one that is not JSON. */
  async function seedQuarantine(): Promise<void> {
    const rec = (i: number, data: Buffer) => ({
      shardId: 'shardId-000000000001',
      sequenceNumber: seq(i),
      arrivalMs: ARRIVAL + i,
      data: data.toString('base64'),
    });
    const lines = [
      quarantineLine(
        'invalid_field',
        [{ path: 'currency', code: 'invalid_field', message: 'old contract' }],
        rec(1, valid[0].data),
        'transactions',
      ),
      quarantineLine(
        'invalid_field',
        [{ path: '', code: 'invalid_field', message: 'old contract' }],
        rec(2, Buffer.from('{"event_type":"order_placed"')),
        'transactions',
      ),
    ];
    const key = objectKey(
      { source: 'stream', entity: 'transactions', reason: 'invalid_field', time: new Date(ARRIVAL) },
      `shardId-000000000001-${seq(1)}-${seq(2)}.ndjson`,
    );
    await lake.put('quarantine', key, `${lines.join('\n')}\n`);
  }
  const args = (...extra: string[]) => argsIn('dev', ...extra);

  it('dry run by default: reports, writes nothing', async () => {
    await seedQuarantine();
    const lines: string[] = [];
    expect(await main(args(), (l) => void lines.push(l))).toBe(0);
    expect(files('staging')).toEqual([]);
    expect(lines.join('\n')).toMatch(/staging objects to write: 1, already staged: 0/);
    expect(lines.join('\n')).toMatch(/still quarantined: 1 \(invalid_json=1\)/);
  });

  it('--apply stages the now-valid record once under a key of its own; a second run stages nothing new', async () => {
    await seedQuarantine();
    const lines: string[] = [];
    expect(await main(args('--apply'), (l) => void lines.push(l))).toBe(0);
    const staged = files('staging').filter((f) => f.startsWith('stream/'));
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatch(
      new RegExp(`^stream/order_placed/dt=\\d{4}-\\d\\d-\\d\\d/hr=\\d\\d/shardId-000000000001-${seq(1)}-${seq(1)}\\.ndjson$`),
    );
    const event = JSON.parse(fs.readFileSync(path.join(dir, 'staging', staged[0]), 'utf8')) as {
      event_id: string;
      _sequence_number: string;
    };
    expect([event.event_id, event._sequence_number]).toEqual([valid[0].eventId, seq(1)]);
    expect(files('quarantine')).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/staging objects written: 1, already staged: 0/);

    const again: string[] = [];
    expect(await main(args('--apply'), (l) => void again.push(l))).toBe(0);
    expect(again.join('\n')).toMatch(/staging objects written: 0, already staged: 1/);
    expect(files('staging').filter((f) => f.startsWith('stream/'))).toEqual(staged);
  });

  it('only the named reason is read', async () => {
    await seedQuarantine();
    const lines: string[] = [];
    await main(args('--reason', 'missing_field'), (l) => void lines.push(l));
    expect(lines.join('\n')).toMatch(/read 0 record\(s\) from 0 quarantine object\(s\)/);
  });
});

describe('replay failure-queue (mocked Kinesis)', () => {
  const kinesis = mockClient(KinesisClient);
  afterEach(() => kinesis.reset());
  const message = {
    requestContext: { condition: 'RetryAttemptsExhausted' },
    KinesisBatchInfo: {
      shardId: 'shardId-000000000002',
      startSequenceNumber: seq(10),
      endSequenceNumber: seq(12),
      streamArn: STREAM_ARN,
      batchSize: 3,
    },
  };
  const kRecord = (i: number) => ({
    SequenceNumber: seq(10 + i),
    Data: new Uint8Array(valid[i].data),
    PartitionKey: valid[i].partitionKey,
    ApproximateArrivalTimestamp: new Date(ARRIVAL + i),
  });

  it('reads the receive-message output, one message per line, or a bare body', () => {
    const body = JSON.stringify(message);
    expect(parseFailureMessages(JSON.stringify({ Messages: [{ Body: body }] }))).toEqual(
      [message.KinesisBatchInfo].map(({ batchSize: _, ...r }) => r),
    );
    expect(parseFailureMessages(`${body}\n${body}\n`)).toHaveLength(2);
    expect(() => parseFailureMessages('{"KinesisBatchInfo":{"shardId":"s"}}')).toThrow(
      /message 1: KinesisBatchInfo lacks streamArn, startSequenceNumber, endSequenceNumber/,
    );
  });

  it('reads the range by shard and sequence number up to its end and processes it through the handler', async () => {
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    kinesis
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [kRecord(0), kRecord(1)], NextShardIterator: 'it-2', MillisBehindLatest: 1000 });
    kinesis
      .on(GetRecordsCommand, { ShardIterator: 'it-2' })
      .resolves({ Records: [kRecord(2), { ...kRecord(2), SequenceNumber: seq(13) }], NextShardIterator: 'it-3', MillisBehindLatest: 0 });
    const lines: string[] = [];
    const ranges = parseFailureMessages(JSON.stringify(message));
    expect(await replayFailureQueue(ranges, new KinesisClient({ region: 'eu-west-1' }), DEV, lake, true, (l) => void lines.push(l))).toBe(
      0,
    );
    expect(kinesis.commandCalls(GetShardIteratorCommand)[0].args[0].input).toMatchObject({
      ShardId: 'shardId-000000000002',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: seq(10),
      StreamARN: STREAM_ARN,
    });
    expect(kinesis.commandCalls(GetRecordsCommand)).toHaveLength(2);
    expect(lines[0]).toBe(`shardId-000000000002 ${seq(10)} … ${seq(12)}: 3 record(s) read`);
    const staged = files('staging')
      .map((f) => fs.readFileSync(path.join(dir, 'staging', f), 'utf8'))
      .join('');
    expect(
      staged
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { _sequence_number: string })._sequence_number)
        .sort(),
    ).toEqual([seq(10), seq(11), seq(12)]);

    // A second replay of the same message writes nothing new.
    const again: string[] = [];
    await replayFailureQueue(ranges, new KinesisClient({ region: 'eu-west-1' }), DEV, lake, true, (l) => void again.push(l));
    expect(again.join('\n')).toMatch(/objects written: 0, already present: [1-9]/);
  });

  it('a range the stream no longer holds is reported incomplete (exit 1)', async () => {
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    kinesis.on(GetRecordsCommand).resolves({ Records: [kRecord(2)], NextShardIterator: 'it-2', MillisBehindLatest: 0 });
    const lines: string[] = [];
    expect(
      await replayFailureQueue(
        parseFailureMessages(JSON.stringify(message)),
        new KinesisClient({ region: 'eu-west-1' }),
        DEV,
        lake,
        false,
        (l) => void lines.push(l),
      ),
    ).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`incomplete: the stream no longer holds the records before ${seq(12)}`));
    expect(files('staging')).toEqual([]);
  });
});

describe('replay CLI (subprocess)', () => {
  it('--help exits 0; a misspelt flag and an unconfirmed prod write exit 2', async () => {
    const help = await runScript('scripts/replay.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run replay -- quarantine/);
    const typo = await runScript('scripts/replay.ts', ['quarantine', '--strem', 'transactions']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/Unknown option '--strem'/);
    const prod = await runScript('scripts/replay.ts', argsIn('prod', '--apply'));
    expect(prod.code).toBe(2);
    expect(prod.stderr).toMatch(/writes to prod: add --yes/);
  });
});
