/**
 * The local OLTP Postgres of the hourly batch: a private cluster under `.local/postgres`, started on demand and
 * reused while it runs. Binaries come from `PG_BIN`, else the newest `/usr/lib/postgresql/<v>/bin`; when none is
 * installed and we are root on Debian, `apt-get install postgresql` provides them (idempotent). Postgres refuses
 * to run as root, so as root the cluster runs as the `postgres` system user.
 *
 *   node --require ts-node/register/transpile-only scripts/local/batch-postgres.ts start|stop|url
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PG_DIR = path.join(REPO_ROOT, '.local', 'postgres');
export const PG_PORT = Number(process.env.DATAFLOW_PG_PORT ?? 55432);
const RUN_AS = 'postgres';

/** Connection string of the local cluster's maintenance database. */
export function adminUrl(database = 'postgres'): string {
  return `postgresql://dataflow@127.0.0.1:${PG_PORT}/${database}`;
}

function pgBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const find = () =>
    fs.existsSync(root)
      ? fs
          .readdirSync(root)
          .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
          .sort((a, b) => Number(b) - Number(a))
      : [];
  let versions = find();
  if (versions.length === 0 && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    process.stderr.write('postgres: no server binaries found; installing Debian postgresql…\n');
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    versions = find();
  }
  if (versions.length === 0) throw new Error('postgres: no server binaries; set PG_BIN or install Debian postgresql');
  return path.join(root, versions[0], 'bin');
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a Postgres binary, as the postgres user when we are root. */
function run(bin: string, args: string[]): void {
  const cmd = path.join(pgBinDir(), bin);
  const res = asRoot() ? spawnSync('runuser', ['-u', RUN_AS, '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`postgres: ${bin} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
}

async function reachable(): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl(), connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Starts the local cluster if it is not running (initialising it on first use); returns the admin URL. */
export async function ensurePostgres(): Promise<string> {
  if (await reachable()) return adminUrl();
  const data = path.join(PG_DIR, 'data');
  fs.mkdirSync(PG_DIR, { recursive: true });
  if (asRoot()) execFileSync('chown', ['-R', `${RUN_AS}:`, PG_DIR]);
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    run('initdb', ['-D', data, '-U', 'dataflow', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  }
  const opts = [
    `-p ${PG_PORT}`,
    `-k ${PG_DIR}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c timezone=UTC',
    '-c max_connections=60',
    '-c shared_buffers=128MB',
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', path.join(PG_DIR, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  if (!(await reachable())) throw new Error(`postgres: started but not reachable on port ${PG_PORT}; see ${PG_DIR}/server.log`);
  return adminUrl();
}

export function stopPostgres(): void {
  const data = path.join(PG_DIR, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
}

/** Drops and recreates a database on the local cluster; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name "${name}" must be a lower-case identifier`);
  await ensurePostgres();
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return adminUrl(name);
}

if (require.main === module) {
  const cmd = process.argv[2] ?? 'start';
  (async () => {
    if (cmd === 'start') console.log(`postgres: running at ${await ensurePostgres()} (data ${path.relative(REPO_ROOT, PG_DIR)})`);
    else if (cmd === 'stop') stopPostgres();
    else if (cmd === 'url') console.log(adminUrl());
    else throw new Error(`usage: batch-postgres.ts start|stop|url (got ${cmd})`);
  })().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
