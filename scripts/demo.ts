/**
 * `make demo`: the whole platform on embedded defaults. Each step lives in its own module under scripts/local/.
 */
import { runBatchDemo } from './local/batch-demo';
import { printPlatformSummary } from './local/platform-summary';
import { demoStreamPass } from './local/stream-pass';
import { runWarehouseDemo } from './local/warehouse-demo';

async function main(): Promise<void> {
  const started = Date.now();
  const compliant = printPlatformSummary();
  await demoStreamPass();
  await runWarehouseDemo();
  if ((await runBatchDemo()).execution.status !== 'SUCCEEDED') process.exitCode = 1;
  console.log(`\nmake demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!compliant) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
