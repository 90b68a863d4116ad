import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { chunkEntries, MAX_RECORDS_PER_CALL, parseArgs, putAll } from '../../scripts/produce';

const kinesis = mockClient(KinesisClient);
afterEach(() => kinesis.reset());
const entries = (n: number, size = 10) => Array.from({ length: n }, (_, i) => ({ Data: Buffer.alloc(size, 97), PartitionKey: `k${i}` }));
const noSleep = async () => undefined;

describe('producer CLI', () => {
  test('chunks within 500 records and 5 MiB per PutRecords call', () => {
    expect(chunkEntries(entries(1_201)).map((c) => c.length)).toEqual([500, 500, 201]);
    const big = chunkEntries(entries(12, 900 * 1024));
    expect(big.map((c) => c.length)).toEqual([5, 5, 2]);
    expect(() => chunkEntries(entries(1, 1024 * 1024 + 1))).toThrow(/1 MiB/);
    expect(MAX_RECORDS_PER_CALL).toBe(500);
  });

  test('retries only the partially failed records, with backoff, and counts sent/failed/retried', async () => {
    let call = 0;
    kinesis.on(PutRecordsCommand).callsFake(async (input: { Records: unknown[] }) => {
      call++;
      // First call: records 1 and 3 throttled; retry: all succeed.
      const Records = input.Records.map((_, i) =>
        call === 1 && (i === 1 || i === 3)
          ? { ErrorCode: 'ProvisionedThroughputExceededException' }
          : { SequenceNumber: '1', ShardId: 's' },
      );
      return { FailedRecordCount: Records.filter((r) => 'ErrorCode' in r).length, Records };
    });
    const delays: number[] = [];
    const stats = await putAll(new KinesisClient({ region: 'eu-west-1' }), 's', entries(5), { sleep: async (ms) => void delays.push(ms) });
    expect(stats).toEqual({ sent: 5, failed: 0, retried: 2 });
    const calls = kinesis.commandCalls(PutRecordsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input.Records?.map((r) => r.PartitionKey)).toEqual(['k1', 'k3']);
    expect(delays).toHaveLength(1);
  });

  test('gives up after maxAttempts and reports the records as failed', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolves({ FailedRecordCount: 2, Records: [{ ErrorCode: 'InternalFailure' }, { ErrorCode: 'InternalFailure' }] });
    const stats = await putAll(new KinesisClient({ region: 'eu-west-1' }), 's', entries(2), { maxAttempts: 3, sleep: noSleep });
    expect(stats).toEqual({ sent: 0, failed: 2, retried: 4 });
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(3);
  });

  test('a non-retryable error (e.g. missing stream) is thrown, not retried', async () => {
    kinesis.on(PutRecordsCommand).rejects(Object.assign(new Error('Stream not found'), { name: 'ResourceNotFoundException' }));
    await expect(putAll(new KinesisClient({ region: 'eu-west-1' }), 's', entries(1), { sleep: noSleep })).rejects.toThrow(
      /Stream not found/,
    );
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(1);
  });

  test('argument parsing validates stream, rate and duration', () => {
    expect(parseArgs(['--env', 'dev', '--stream', 'clickstream', '--rate', '200', '--duration', '60', '--seed', '3'])).toMatchObject({
      env: 'dev',
      stream: 'clickstream',
      rate: 200,
      duration: 60,
      seed: 3,
    });
    expect(() => parseArgs(['--stream', 'orders'])).toThrow(/--stream must be one of/);
    expect(() => parseArgs(['--stream', 'customers', '--rate', '0'])).toThrow(/--rate/);
  });
});
