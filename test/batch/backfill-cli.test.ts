import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SFNClient, StartExecutionCommand, DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_BACKFILL_CONCURRENCY } from '../../lib/config/batch-limits';
import { backfill, failedWindows, parseArgs, windowsFor, type BackfillSummary } from '../../scripts/backfill';
import { runScript } from '../helpers/cli';

const NOW = Date.parse('2026-07-01T12:30:00Z');
const CREDS = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1' };

describe('backfill arguments', () => {
  it.each([
    [['--from', 'June 1 2026', '--to', '2026-06-02T00:00Z'], /--from must be an ISO-8601 time/],
    [['--from', '2026-06-01', '--to', '2026-06-02T00:00Z'], /--from must be an ISO-8601 time/],
    [['--from', '2026-02-30T00:00Z', '--to', '2026-03-02T00:00Z'], /--from must be an ISO-8601 time/],
    [['--from', '2026-06-01T00:00', '--to', '2026-06-02T00:00Z'], /--from must be an ISO-8601 time with a zone/],
    [['--from', '2006-06-01T00:00Z', '--to', '2026-06-01T00:00Z'], /more than 31: add --allow-long/],
    [['--from', '2026-07-01T10:00Z', '--to', '2026-07-01T14:00Z'], /--to .* is in the future/],
    [['--from', '2026-06-01T00:30Z', '--to', '2026-06-02T00:00Z'], /whole UTC hours/],
    [['--from', '2026-06-01T00:00Z', '--to', '2026-06-02T00:00Z', '--poll-seconds', '0'], /--poll-seconds must be/],
    [
      ['--from', '2026-06-01T00:00Z', '--to', '2026-06-02T00:00Z', '--concurrency', String(MAX_BACKFILL_CONCURRENCY + 1)],
      new RegExp(`--concurrency must be a whole number between 1 and ${MAX_BACKFILL_CONCURRENCY}`),
    ],
    [['--from', '2026-06-01T00:00Z', '--to', '2026-06-02T00:00Z', '--only-failed', 'x.json'], /--only-failed replaces --from\/--to/],
  ])('%j is refused naming the flag', (args, message) => {
    expect(() => parseArgs(['--env', 'dev', ...args], NOW)).toThrow(message);
  });

  it('accepts zones, a long range with --allow-long, and ended windows only', () => {
    expect(windowsFor('2026-06-01T02:00+02:00', '2026-06-01T03:00Z', NOW).map((w) => w.start)).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-01T01:00:00.000Z',
      '2026-06-01T02:00:00.000Z',
    ]);
    expect(windowsFor('2026-01-01T00:00Z', '2026-03-01T00:00Z', NOW, true)).toHaveLength(59 * 24);
    expect(windowsFor('2026-07-01T11:00Z', '2026-07-01T12:00Z', NOW)).toHaveLength(1);
  });
});

describe('backfill failures', () => {
  it('a failed StartExecution is recorded per window, and later windows are not started', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      if (input.name.includes('20260601T0100')) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { executionArn: `arn:exec:${input.name}`, startDate: new Date() };
    });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    const outcomes = await backfill(
      { env: 'dev', windows: windowsFor('2026-06-01T00:00Z', '2026-06-01T03:00Z', NOW), concurrency: 2, dryRun: false, pollSeconds: 1 },
      new SFNClient({ region: 'eu-west-1' }),
      'arn:sm',
      () => undefined,
      async () => undefined,
    );
    expect(outcomes.map((o) => o.status)).toEqual(['SUCCEEDED', 'START_FAILED', 'NOT_STARTED']);
    expect(outcomes[1].error).toBe('ThrottlingException: Rate exceeded');
    const summary: BackfillSummary = { env: 'dev', stateMachineArn: 'arn:sm', startedAt: '', finishedAt: '', windows: outcomes };
    expect(failedWindows(summary)).toEqual([outcomes[1].window, outcomes[2].window]);
  });
});

describe('backfill progress', () => {
  it('prints progress while executions run, not only when a window ends', async () => {
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:1', startDate: new Date() });
    let polls = 0;
    sfn.on(DescribeExecutionCommand).callsFake(() => ({ status: ++polls < 10 ? 'RUNNING' : 'SUCCEEDED' }));
    let clock = 0;
    const lines: string[] = [];
    await backfill(
      { env: 'dev', windows: windowsFor('2026-06-01T00:00Z', '2026-06-01T01:00Z', NOW), concurrency: 1, dryRun: false, pollSeconds: 10 },
      new SFNClient({ region: 'eu-west-1' }),
      'arn:sm',
      (l) => void lines.push(l),
      async (ms) => void (clock += ms),
      () => clock,
    );
    expect(lines.filter((l) => l.startsWith('  progress: 0/1 done, 1 running, 0 failed'))).toHaveLength(3);
    expect(lines[lines.length - 1]).toBe('  progress: 1/1 done, 0 running, 0 failed, ETA 0s');
  });
});

/** A stand-in Step Functions endpoint (JSON 1.0): StartExecution fails for one window, everything else succeeds. */
function fakeStepFunctions(failingWindow: string) {
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      targets.push(target);
      const body = JSON.parse(raw) as { name?: string; executionArn?: string };
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (target.endsWith('StartExecution') && body.name?.includes(failingWindow)) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'com.amazonaws.swf.service.v2.model#ExecutionLimitExceeded', message: 'too many executions' }));
      } else if (target.endsWith('StartExecution')) {
        res.end(JSON.stringify({ executionArn: `arn:aws:states:eu-west-1:111111111111:execution:sm:${body.name}`, startDate: 1 }));
      } else {
        res.end(JSON.stringify({ executionArn: body.executionArn, status: 'SUCCEEDED', startDate: 1, stateMachineArn: 'arn:sm' }));
      }
    });
  });
  return { server, targets };
}

describe('backfill CLI (subprocess)', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runScript('scripts/backfill.ts', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run backfill/);
  });

  it.each([
    [['--poll-seconds', 'abc'], /--poll-seconds must be a number/],
    [['--from', 'June 1 2026'], /--from must be an ISO-8601 time/],
    [['--form', '2026-06-01T00:00Z'], /Unknown option '--form'/],
  ])('%j exits 2 naming the flag', async (extra, message) => {
    const base = ['--env', 'dev', '--from', '2026-06-01T00:00Z', '--to', '2026-06-01T02:00Z'];
    const args = extra[0] === '--from' ? ['--env', 'dev', '--to', '2026-06-01T02:00Z', ...extra] : [...base, ...extra];
    const r = await runScript('scripts/backfill.ts', args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('writes a per-window summary on a failed start, and --only-failed re-runs that window and the ones after it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-'));
    const { server, targets } = fakeStepFunctions('20260601T0100');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const env = { ...CREDS, AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
      const summaryFile = path.join(dir, 'summary.json');
      const first = await runScript(
        'scripts/backfill.ts',
        [
          '--env',
          'dev',
          '-c',
          'account=111111111111',
          '--from',
          '2026-06-01T00:00Z',
          '--to',
          '2026-06-01T03:00Z',
          '--poll-seconds',
          '1',
          '--summary',
          summaryFile,
        ],
        env,
      );
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/20260601T0100 {2}START_FAILED +ExecutionLimitExceeded: too many executions/);
      expect(first.stdout).toMatch(/20260601T0200 {2}NOT_STARTED +not started: the earlier window 20260601T0100 failed/);
      expect(first.stdout).toMatch(/1 SUCCEEDED, 1 START_FAILED, 1 NOT_STARTED/);
      const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as BackfillSummary;
      expect(summary.stateMachineArn).toBe('arn:aws:states:eu-west-1:111111111111:stateMachine:dataflow-dev-hourly-batch');
      expect(summary.windows.map((w) => w.status)).toEqual(['SUCCEEDED', 'START_FAILED', 'NOT_STARTED']);

      const starts = targets.filter((t) => t.endsWith('StartExecution')).length;
      const rerun = await runScript('scripts/backfill.ts', ['--env', 'dev', '--only-failed', summaryFile, '--dry-run'], env);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toMatch(/^2 window\(s\) 2026-06-01T01:00:00.000Z … 2026-06-01T03:00:00.000Z/);
      expect(targets.filter((t) => t.endsWith('StartExecution')).length).toBe(starts);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
