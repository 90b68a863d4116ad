import { distinctLines, lineIdentity } from '../../lambda/shared/stream-record-identity';

const q = (seq: string, shard = 'shardId-000000000000', stream = 'transactions') =>
  JSON.stringify({
    reason: 'invalid_json',
    issues: [],
    raw_base64: 'e30=',
    shard_id: shard,
    sequence_number: seq,
    arrival_time: '2026-11-02T08:00:00.000Z',
    stream,
  });

describe('stream line identity (what readers count)', () => {
  test('quarantine: the same record written twice counts once; another shard, stream or sequence number is another record', () => {
    const lines = [q('1'), q('2'), q('1'), q('1', 'shardId-000000000001'), q('1', 'shardId-000000000000', 'customers')];
    expect(distinctLines('quarantine', lines)).toEqual([
      q('1'),
      q('2'),
      q('1', 'shardId-000000000001'),
      q('1', 'shardId-000000000000', 'customers'),
    ]);
  });

  test('staging: one per event_id, as conform keeps it', () => {
    const a = JSON.stringify({ event_id: 'a', _shard_id: 's', _sequence_number: '1' });
    const a2 = JSON.stringify({ event_id: 'a', _shard_id: 's', _sequence_number: '9' });
    expect(distinctLines('staging', [a, a2])).toEqual([a]);
  });

  test('anomalies: one per type, shard and sequence number', () => {
    const line = (type: string, seq: string) => JSON.stringify({ anomaly_type: type, event_id: 'e', shard_id: 's', sequence_number: seq });
    expect(lineIdentity('anomalies', line('velocity', '1'))).toBe('velocity|s|1');
    expect(
      distinctLines('anomalies', [line('velocity', '1'), line('velocity', '1'), line('high_amount', '1'), line('velocity', '2')]),
    ).toHaveLength(3);
  });
});
