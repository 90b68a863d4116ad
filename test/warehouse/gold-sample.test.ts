import * as path from 'node:path';
import { STREAM_TABLE_SPECS, TABLE_SPECS } from '../../lambda/contracts/table-specs';
import { validateSourceDir } from '../../scripts/local/warehouse/csv';
import { REPO_ROOT } from '../helpers/synth';

/** The sample input the analyst guide points to stays valid `make gold` input as the table specs evolve. */
test('docs/examples/gold-input passes the make gold validation', () => {
  const files = validateSourceDir(
    path.join(REPO_ROOT, 'docs', 'examples', 'gold-input'),
    Object.values(TABLE_SPECS),
    Object.values(STREAM_TABLE_SPECS),
  );
  expect([...files.keys()].sort()).toEqual(['clickstream_events', 'customers', 'order_items', 'orders', 'products']);
});
