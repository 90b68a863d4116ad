/**
 * Offline check of the integration tests' committed snapshots (`make integ`), with integ-runner's semantics: each
 * `test/integ/integ.*.ts` app is synthesized and the templates of its top-level stacks, and its test-case manifest
 * (`integ.json`), must equal the committed `<file>.snapshot/` — asset hashes ignored. Nothing is deployed.
 *
 *   node --require ts-node/register/transpile-only scripts/integ-snapshot.ts            # compare, exit 1 on any difference
 *   node --require ts-node/register/transpile-only scripts/integ-snapshot.ts --update   # rewrite the snapshots
 *
 * The snapshot keeps the integ-runner layout (manifest.json, integ.json, templates, asset manifests; no asset bundles).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseAssetHashes } from './asset-hashes';

const ROOT = path.resolve(__dirname, '..');
const INTEG_DIR = path.join(ROOT, 'test', 'integ');
/** Files of a synthesized assembly the snapshot keeps. */
const KEPT = /^(manifest\.json|integ\.json|.+\.template\.json|.+\.assets\.json)$/;

export interface SnapshotDifference {
  readonly file: string;
  readonly problem: string;
}

/** Synthesizes one integ app (no Lambda bundling: asset hashes are ignored) into a fresh directory. */
export function synthIntegApp(appFile: string): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshot-'));
  execFileSync(process.execPath, ['--require', 'ts-node/register/transpile-only', appFile], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }) },
  });
  return out;
}

function keptFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => KEPT.test(f) && fs.statSync(path.join(dir, f)).isFile())
        .sort()
    : [];
}

/** Compared files: asset manifests only name assets (whose hashes are ignored), so they are kept but not compared. */
const COMPARED = /^(manifest\.json|integ\.json|.+\.template\.json)$/;

/**
 * Normalised content: asset hashes and the assertion custom resources' per-synth `salt` replaced, the version-bound
 * parts of manifest.json left out.
 */
function normalised(file: string, text: string): string {
  const value = JSON.parse(stable(text)) as Record<string, unknown>;
  if (file === 'manifest.json') {
    delete value.version;
    delete value.minimumCliVersion;
    for (const artifact of Object.values((value.artifacts ?? {}) as Record<string, Record<string, unknown>>)) delete artifact.metadata;
  }
  return JSON.stringify(value, null, 1);
}

function stable(text: string): string {
  return normaliseAssetHashes(text).replace(/"salt": ?"\d+"/g, '"salt": "[SALT]"');
}

/** Differences between a synthesized assembly and a committed snapshot, file by file. */
export function compareSnapshot(actualDir: string, snapshotDir: string): SnapshotDifference[] {
  const actual = keptFiles(actualDir).filter((f) => COMPARED.test(f));
  const expected = keptFiles(snapshotDir).filter((f) => COMPARED.test(f));
  const diffs: SnapshotDifference[] = [];
  for (const f of expected.filter((e) => !actual.includes(e))) diffs.push({ file: f, problem: 'in the snapshot, no longer synthesized' });
  for (const f of actual.filter((a) => !expected.includes(a))) diffs.push({ file: f, problem: 'synthesized, missing from the snapshot' });
  for (const f of actual.filter((a) => expected.includes(a))) {
    const a = normalised(f, fs.readFileSync(path.join(actualDir, f), 'utf8')).split('\n');
    const e = normalised(f, fs.readFileSync(path.join(snapshotDir, f), 'utf8')).split('\n');
    const line = a.findIndex((l, i) => l !== e[i]);
    if (line >= 0 || a.length !== e.length) {
      const at = line >= 0 ? line : Math.min(a.length, e.length);
      diffs.push({
        file: f,
        problem: `differs at line ${at + 1}: snapshot ${JSON.stringify(e[at]?.trim())}, synthesized ${JSON.stringify(a[at]?.trim())}`,
      });
    }
  }
  return diffs;
}

/** Replaces the snapshot with the kept files of the synthesized assembly (asset hashes and salts normalised). */
export function writeSnapshot(actualDir: string, snapshotDir: string): void {
  fs.rmSync(snapshotDir, { recursive: true, force: true });
  fs.mkdirSync(snapshotDir, { recursive: true });
  for (const f of keptFiles(actualDir))
    fs.writeFileSync(path.join(snapshotDir, f), stable(fs.readFileSync(path.join(actualDir, f), 'utf8')));
}

function main(): void {
  const { values } = parseArgs({ options: { update: { type: 'boolean', default: false } } });
  const apps = fs.readdirSync(INTEG_DIR).filter((f) => /^integ\..+(?<!\.d)\.ts$/.test(f));
  if (apps.length === 0) throw new Error(`no integ.*.ts in ${INTEG_DIR}`);
  let failed = 0;
  for (const app of apps) {
    const started = Date.now();
    const out = synthIntegApp(path.join(INTEG_DIR, app));
    const snapshotDir = path.join(INTEG_DIR, `${app}.snapshot`);
    try {
      if (values.update) {
        writeSnapshot(out, snapshotDir);
        console.log(`  UPDATED    ${app} (${keptFiles(snapshotDir).length} files)`);
        continue;
      }
      const diffs = compareSnapshot(out, snapshotDir);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (diffs.length === 0) console.log(`  UNCHANGED  ${app} ${seconds}s`);
      else {
        failed++;
        console.log(`  CHANGED    ${app} ${seconds}s`);
        for (const d of diffs) console.log(`      ${d.file}: ${d.problem}`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  if (failed > 0) {
    console.error(
      `${failed} integration snapshot(s) are stale. Review the change, then run: make integ UPDATE=1 (and run the deploy in a sandbox account, README "Integration test")`,
    );
    process.exit(1);
  }
}

if (require.main === module) main();
