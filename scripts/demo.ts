/**
 * `make demo`: the whole platform on embedded defaults. The steps (scripts/local/demo/steps.ts) run in a child
 * process whose output goes to `.local/demo/demo.log`; this prints their progress and a short summary.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { demoSummary } from './local/demo/summary';

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.local', 'demo');

async function main(): Promise<number> {
  const started = Date.now();
  fs.mkdirSync(DEMO_DIR, { recursive: true });
  const logFile = path.join(DEMO_DIR, 'demo.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['--require', 'ts-node/register/transpile-only', path.join(__dirname, 'local', 'demo', 'steps.ts')],
    {
      cwd: ROOT,
      stdio: ['ignore', log, 'pipe'],
    },
  );
  // Progress lines (`› …`) go to the terminal; anything else on stderr goes to the log too.
  if (child.stderr) {
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.startsWith('› ')) console.log(line);
      else fs.appendFileSync(logFile, `${line}\n`);
    });
  }
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  fs.closeSync(log);
  for (const line of demoSummary(DEMO_DIR)) console.log(line);
  console.log(
    `\nmake demo ${code === 0 ? 'finished' : `FAILED (exit ${code}; see .local/demo/demo.log)`} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
