/**
 * The workflow's state ids are written once (lambda/contracts/workflow.ts): the synthesized state machine, the local
 * runner and the docs all use them, and each side notices a state the others do not know.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATCH_STATES, DBT_EXIT_CODE_STEP, failureState, mapItemState } from '../../lambda/contracts/workflow';
import { synthesizedBatchAsl } from '../../scripts/local/batch/asl';
import { localBatchEnv, runLocalExecution } from '../../scripts/local/batch/run';
import type { DuckDbRunner } from '../../scripts/local/batch/duckdb-runner';
import { loadEnvironmentConfig } from '../../lib/config';
import { REPO_ROOT } from '../helpers/synth';

type States = Record<string, { Type: string; Branches?: { States: States }[]; ItemProcessor?: { States: States } }>;
const namesOf = (states: States): string[] =>
  Object.entries(states).flatMap(([name, s]) => [
    name,
    ...[...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : [])].flatMap((b) => namesOf(b.States)),
  ]);

const STATE_IDS: readonly string[] = Object.values(BATCH_STATES);

/** State names in a doc that are not workflow states: the workflow diagram, the states table and the runbook's causes by state. */
export function unknownStatesIn(doc: string): string[] {
  const diagram = /Step Functions <prefix>.*\n([\s\S]*?)\nEventBridge rule/.exec(doc)?.[1] ?? '';
  const tokens = diagram
    .split(/\s─\s|─ |\s→\s|\n/)
    .map((t) =>
      t
        .replace(/^[\s├└─]+/, '')
        .replace(/\s*\((Map|Parallel|Fargate|SNS)\)$/, '')
        .trim(),
    )
    .filter((t) => t && !t.includes('<state>') && !t.startsWith('any unrecovered'));
  const section = (heading: string) => doc.split(heading)[1]?.split('\n## ')[0] ?? '';
  const table = [...section('## The states').matchAll(/^\| ([^|]+?) \|/gm)]
    .map((m) => m[1])
    .filter((t) => t !== 'state' && !/^-+$/.test(t));
  const causes = [...section('Typical causes by failed state:').matchAll(/^- ((?:`[^`]+`(?: \/ )?)+)/gm)].flatMap((m) =>
    [...m[1].matchAll(/`([^`]+)`/g)].map((x) => x[1]),
  );
  return [...tokens, ...table, ...causes].filter((t) => !STATE_IDS.includes(t) && t !== DBT_EXIT_CODE_STEP);
}

describe('workflow state ids', () => {
  const asl = synthesizedBatchAsl('dev');
  const names = namesOf(asl.States as States);

  test('the state machine is named from the contract: every id is a state, every state an id (or its Map item / failure record)', () => {
    for (const id of STATE_IDS) expect(names).toContain(id);
    const derived = new Set([
      ...[BATCH_STATES.extract, BATCH_STATES.quality, BATCH_STATES.load].map(mapItemState),
      ...[...STATE_IDS, DBT_EXIT_CODE_STEP].map(failureState),
    ]);
    expect(names.filter((n) => !STATE_IDS.includes(n) && !derived.has(n))).toEqual([]);
  });

  test('the local run refuses a definition whose tasks it has no handler for, before running anything', async () => {
    const env = localBatchEnv(loadEnvironmentConfig('dev'), {
      lakeDir: '/nonexistent/lake',
      duckdbPath: '/nonexistent/wh.duckdb',
      pgUrl: 'postgres://unused',
    });
    const run = (definition: Record<string, unknown>) =>
      runLocalExecution(definition, {}, env, { executionId: 'arn:aws:states:local:0:execution:t:1', runner: {} as DuckDbRunner });
    const renamed = JSON.parse(JSON.stringify(asl).split(`"${BATCH_STATES.conform}"`).join('"Glue conform v2"')) as Record<string, unknown>;
    await expect(run(renamed)).rejects.toThrow(
      `task states without a local handler: Glue conform v2; local handlers for no task state: ${BATCH_STATES.conform}`,
    );
    const states = asl.States as States;
    const extra = { ...asl, States: { ...states, 'Extra task': { ...states[BATCH_STATES.conform] } } };
    await expect(run(extra)).rejects.toThrow('task states without a local handler: Extra task');
  });

  test('the local run binds every task of the synthesized definition: a run without an OLTP database fails at its extract, on-call notified', async () => {
    const env = localBatchEnv(loadEnvironmentConfig('dev'), {
      lakeDir: '/nonexistent/lake',
      duckdbPath: '/nonexistent/wh.duckdb',
      pgUrl: 'postgres://no-such-host.invalid/db',
    });
    const e = await runLocalExecution(asl, { scheduledTime: '2026-06-01T11:05:00Z' }, env, {
      executionId: 'arn:aws:states:local:0:execution:t:2',
      runner: {} as DuckDbRunner,
    });
    expect(e.status).toBe('FAILED');
    expect(e.statesEntered.slice(0, 3)).toEqual([BATCH_STATES.plan, BATCH_STATES.acquireWindow, BATCH_STATES.extract]);
    expect(e.notifications[0]?.message).toContain(`Failed state: ${BATCH_STATES.extract} |`);
    expect(env.leases.holder('window#20260601t1000')).toBeUndefined();
  });

  test('the docs and runbooks name only workflow states', () => {
    const read = (p: string) => fs.readFileSync(path.join(REPO_ROOT, p), 'utf8');
    for (const doc of ['docs/batch.md', 'docs/runbooks/batch-execution-failed.md'])
      expect({ doc, unknown: unknownStatesIn(read(doc)) }).toEqual({ doc, unknown: [] });
    const diagramStates = STATE_IDS.filter((id) => read('docs/batch.md').includes(id));
    expect(diagramStates.length).toBeGreaterThanOrEqual(STATE_IDS.length - 3);
  });

  test('the docs check notices a state the workflow does not have', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'batch.md'), 'utf8');
    expect(unknownStatesIn(doc.replace('─ Glue conform', '─ Glue conformance'))).toEqual(['Glue conformance']);
    expect(unknownStatesIn(doc.replace('| Publish metrics |', '| Publish metric |'))).toEqual(['Publish metric']);
    const runbook = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'runbooks', 'batch-execution-failed.md'), 'utf8');
    expect(unknownStatesIn(runbook.replace('- `Extract tables`', '- `Extract table`'))).toEqual(['Extract table']);
  });
});
