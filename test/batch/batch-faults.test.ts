/**
 * The batch fault scenarios (scripts/local/faults/batch.ts) on the real local batch: late events, a re-run, out-of-order
 * back-fills (one 50 h old) and crashed attempts of the quality gate and conform. Nothing lost, nothing doubled.
 */
import { batchCampaign, batchScenarios } from '../../scripts/local/faults/batch';
import type { FaultRow } from '../../scripts/local/faults/types';

jest.setTimeout(1_200_000);

let rows: FaultRow[];
beforeAll(async () => {
  rows = [];
  for (const s of batchScenarios) rows.push(await s.run());
  console.log(JSON.stringify(rows, null, 1));
});

test('the five batch scenarios ran against the warehouse with records in each', () => {
  expect(batchScenarios.map((s) => s.area)).toEqual(Array(5).fill('batch'));
  expect(rows.map((r) => r.scenario)).toEqual(batchScenarios.map((s) => s.name));
  for (const r of rows) expect(r.recordsIn).toBeGreaterThan(0);
  expect(rows[0].quarantined).toBeGreaterThan(0);
});

test.each([0, 1, 2, 3, 4])('scenario %#: every valid record in the warehouse exactly once, none lost', (i) => {
  const r = rows[i];
  expect({ scenario: r.scenario, lost: r.lost, duplicated: r.duplicated, inWarehouse: r.inWarehouse }).toEqual({
    scenario: r.scenario,
    lost: 0,
    duplicated: 0,
    inWarehouse: r.recordsIn - r.quarantined,
  });
});

test("a crashed attempt's leftover parts were removed by the window's next run", async () => {
  expect((await batchCampaign()).leftoversRemaining).toEqual([]);
});

test('every dbt build (after the first hours, after the re-run and back-fills) passed its models and tests', async () => {
  expect((await batchCampaign()).buildFailures).toEqual([]);
});
