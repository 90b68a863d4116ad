import { createHandler } from '../../lambda/batch/handlers/release';
import { DynamoLeaseStore, MemoryLeaseStore, type LeaseStore } from '../../lambda/batch/leases';
import { leasesOf } from '../../lambda/batch/release';
import { RELEASE_ON_STATUS } from '../../lambda/contracts/workflow';
import { FakeLeaseTable } from '../helpers/fake-lease-table';

const SM = 'arn:aws:states:eu-west-1:111111111111:stateMachine:dataflow-dev-hourly-batch';
const exec = (n: number) => `arn:aws:states:eu-west-1:111111111111:execution:dataflow-dev-hourly-batch:run-${n}`;
const INPUT = { scheduledTime: '2026-06-01T11:05:00Z' };
const LEASES = ['window#20260601t1000', 'warehouse', 'features#2026-06-01'];
const ended = (executionArn: string, status: string, input: unknown = INPUT) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '111111111111',
  time: '2026-06-01T13:05:00Z',
  region: 'eu-west-1',
  resources: [executionArn],
  detail: {
    executionArn,
    stateMachineArn: SM,
    name: executionArn.split(':').pop(),
    status,
    startDate: 1,
    stopDate: 2,
    input: input === null ? null : JSON.stringify(input),
    output: null,
  },
});

/** Both stores the batch uses: DynamoDB (through a table that evaluates the conditions) and the local one. */
const stores: [string, () => { leases: LeaseStore; owner: (name: string) => string | undefined }][] = [
  [
    'dynamodb',
    () => {
      const table = new FakeLeaseTable();
      return { leases: new DynamoLeaseStore(table.client, 'leases'), owner: (n) => table.owner(n) };
    },
  ],
  [
    'memory',
    () => {
      const leases = new MemoryLeaseStore();
      return { leases, owner: (n) => leases.holder(n) };
    },
  ],
];

describe.each(stores)('release after an execution ended (%s)', (_kind, make) => {
  const T0 = Date.parse('2026-06-01T11:05:00Z');

  test.each(RELEASE_ON_STATUS)('%s: every lease the execution still held is released, and only those', async (status) => {
    const { leases, owner } = make();
    await leases.acquire(LEASES[0], exec(1), 7_500, T0);
    await leases.acquire(LEASES[1], exec(1), 7_500, T0);
    await leases.acquire('window#20260601t1100', exec(2), 7_500, T0); // another execution's window
    const out = await createHandler({ leases, log: () => undefined })(ended(exec(1), status));
    expect(out).toMatchObject({ released: LEASES.slice(0, 2), notHeld: [LEASES[2]] });
    expect(LEASES.map(owner)).toEqual([undefined, undefined, undefined]);
    expect(owner('window#20260601t1100')).toBe(exec(2));
  });

  test('a lease that expired and was re-acquired by another execution is not released (owner condition)', async () => {
    const { leases, owner } = make();
    await leases.acquire('warehouse', exec(1), 60, T0);
    await leases.acquire('warehouse', exec(2), 60, T0 + 120_000); // exec 1's lease expired; exec 2 took it
    const out = await createHandler({ leases, log: () => undefined })(ended(exec(1), 'TIMED_OUT'));
    expect(out.released).toEqual([]);
    expect(owner('warehouse')).toBe(exec(2));
  });

  test('idempotent: a repeated event releases nothing twice; input the Plan step refused took no lease', async () => {
    const { leases } = make();
    await leases.acquire(LEASES[0], exec(1), 7_500, T0);
    const h = createHandler({ leases, log: () => undefined });
    expect((await h(ended(exec(1), 'ABORTED'))).released).toEqual([LEASES[0]]);
    expect((await h(ended(exec(1), 'ABORTED'))).released).toEqual([]);
    expect(await h(ended(exec(3), 'FAILED', { window: { start: 'yesterday', end: 'today' } }))).toMatchObject({
      released: [],
      skipped: expect.stringMatching(/plan/),
    });
  });
});

test('refused events: not an ending to clean up after, or no input to name the leases (→ retries, then the DLQ)', async () => {
  const h = createHandler({ leases: new MemoryLeaseStore(), log: () => undefined });
  await expect(h(ended(exec(1), 'SUCCEEDED'))).rejects.toThrow(/detail\.status/);
  await expect(h(ended(exec(1), 'FAILED', null))).rejects.toThrow(/input was not included/);
});

test('the leases of an execution are exactly the ones plan() names for its input', () => {
  expect(leasesOf(INPUT)).toEqual(LEASES);
  expect(leasesOf({ window: { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' } })).toEqual(LEASES);
  expect(leasesOf({})).toBeUndefined();
});
