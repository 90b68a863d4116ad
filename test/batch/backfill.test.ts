import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { hourlyWindows } from '../../lambda/batch/window';
import { backfill, executionName, mapBounded, parseArgs, stateMachineArn } from '../../scripts/backfill';

test('arguments: required env/from/to, bounded concurrency', () => {
  expect(parseArgs(['--env', 'dev', '--from', '2026-06-01T00:00Z', '--to', '2026-06-01T03:00Z'])).toMatchObject({
    concurrency: 2,
    dryRun: false,
  });
  expect(() => parseArgs(['--env', 'dev'])).toThrow(/--from and --to are required/);
  expect(() => parseArgs(['--env', 'dev', '--from', '2026-06-01T00:00Z', '--to', '2026-06-01T03:00Z', '--concurrency', '50'])).toThrow(
    /between 1 and 3/,
  );
  expect(stateMachineArn('prod', '333333333333', 'eu-west-1')).toBe(
    'arn:aws:states:eu-west-1:333333333333:stateMachine:dataflow-prod-hourly-batch',
  );
  expect(executionName({ start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' }, 36 ** 3)).toBe(
    'backfill-20260601T1000-1000',
  );
});

test('mapBounded never has more than the limit in flight and keeps input order', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapBounded([5, 1, 4, 2, 3], 2, async (ms) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    return ms * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
});

test('one execution per window, each naming the window before it; none started after a failure', async () => {
  const sfn = mockClient(SFNClient);
  let n = 0;
  sfn.on(StartExecutionCommand).callsFake(() => ({ executionArn: `arn:exec:${++n}`, startDate: new Date() }));
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => ({
    status: input.executionArn.endsWith(':3') ? 'FAILED' : 'SUCCEEDED',
    error: 'QualityGateFailed',
  }));
  const lines: string[] = [];
  const windows = hourlyWindows('2026-06-01T22:00:00Z', '2026-06-02T02:00:00Z');
  const outcomes = await backfill(
    { env: 'dev', windows, concurrency: 1, dryRun: false, pollSeconds: 0 },
    new SFNClient({ region: 'eu-west-1' }),
    'arn:sm',
    (l) => void lines.push(l),
    async () => undefined,
  );
  expect(outcomes.map((o) => [o.window.start, o.status])).toEqual([
    ['2026-06-01T22:00:00.000Z', 'SUCCEEDED'],
    ['2026-06-01T23:00:00.000Z', 'SUCCEEDED'],
    ['2026-06-02T00:00:00.000Z', 'FAILED'],
    ['2026-06-02T01:00:00.000Z', 'NOT_STARTED'],
  ]);
  expect(outcomes[3].error).toBe('not started: the earlier window 20260602T0000 failed');
  const inputs = sfn.commandCalls(StartExecutionCommand).map((c) => JSON.parse(c.args[0].input.input!));
  expect(inputs).toEqual([
    { window: windows[0] },
    { window: windows[1], predecessor: windows[0] },
    { window: windows[2], predecessor: windows[1] },
  ]);
  expect(lines[0]).toBe('4 window(s) 2026-06-01T22:00:00.000Z … 2026-06-02T02:00:00.000Z, concurrency 1');
});

test('concurrent windows are started in time order, each naming the one before it', async () => {
  const sfn = mockClient(SFNClient);
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: `arn:exec:${input.name}`, startDate: new Date() }));
  sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
  const windows = hourlyWindows('2026-06-01T22:00:00Z', '2026-06-02T03:00:00Z');
  await backfill(
    { env: 'dev', windows, concurrency: 3, dryRun: false, pollSeconds: 0 },
    new SFNClient({ region: 'eu-west-1' }),
    'arn:sm',
    () => undefined,
    async () => undefined,
  );
  const inputs = sfn
    .commandCalls(StartExecutionCommand)
    .map((c) => JSON.parse(c.args[0].input.input!) as { window: unknown; predecessor?: unknown });
  expect(inputs.map((i) => i.window)).toEqual(windows);
  expect(inputs.map((i) => i.predecessor)).toEqual([undefined, ...windows.slice(0, -1)]);
});
