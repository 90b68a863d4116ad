/**
 * The local OLTP Postgres of the hourly batch: a private cluster per checkout, started on demand and reused while
 * it runs. Binaries come from `PG_BIN`, else the newest `/usr/lib/postgresql/<v>/bin`; when none is installed and
 * we are root on Debian, `apt-get install postgresql` provides them (idempotent).
 *
 * Where it lives (see `pgLayout`):
 * - as an ordinary user the server runs as that user with its data under `<checkout>/.local/postgres`;
 * - as root the server runs as the `postgres` system user (Postgres refuses root), which may not be able to enter
 *   the checkout (a clone under `/root` or a 0700 `mktemp -d` folder), so the data lives outside the clone in
 *   `/var/tmp/dataflow-postgres/<checkout hash>`, owned by `postgres`.
 * Each checkout gets its own port, derived from its path (55500–57499), so two checkouts never share a cluster;
 * a server on that port whose data directory is not this checkout's is refused, naming its data directory.
 * Overrides: `DATAFLOW_PG_PORT` (port), `DATAFLOW_PG_DIR` (cluster folder), `PG_BIN` (binaries).
 *
 *   node --require ts-node/register/transpile-only scripts/local/batch/postgres.ts start|stop|url|where
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const RUN_AS = 'postgres';
/** Parent of the per-checkout cluster folders when the server runs as the `postgres` user. */
export const SHARED_PG_PARENT = '/var/tmp/dataflow-postgres';
export const PORT_BASE = 55500;
export const PORT_SPAN = 2000;

/** Where one checkout's cluster lives and listens. */
export interface PgLayout {
  /** Cluster folder: `data/`, the socket and `server.log`. */
  readonly dir: string;
  readonly port: number;
  /** Run the binaries as the `postgres` user (we are root). */
  readonly runAsPostgres: boolean;
}

export interface PgLayoutInput {
  readonly repoRoot: string;
  readonly uid: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Short stable id of a checkout: a hash of its real path. */
export function checkoutId(repoRoot: string): string {
  const real = fs.existsSync(repoRoot) ? fs.realpathSync(repoRoot) : path.resolve(repoRoot);
  return createHash('sha256').update(real).digest('hex').slice(0, 12);
}

/** The layout for a checkout, user and environment (pure apart from resolving the checkout's real path). */
export function pgLayout(input: PgLayoutInput): PgLayout {
  const id = checkoutId(input.repoRoot);
  const runAsPostgres = input.uid === 0;
  const rawPort = input.env.DATAFLOW_PG_PORT;
  let port = PORT_BASE + (parseInt(id.slice(0, 8), 16) % PORT_SPAN);
  if (rawPort !== undefined && rawPort !== '') {
    port = Number(rawPort);
    if (!Number.isInteger(port) || port < 1024 || port > 65535)
      throw new Error(`DATAFLOW_PG_PORT must be a port number 1024–65535 (got "${rawPort}")`);
  }
  const dir = input.env.DATAFLOW_PG_DIR
    ? path.resolve(input.env.DATAFLOW_PG_DIR)
    : runAsPostgres
      ? path.join(SHARED_PG_PARENT, id)
      : path.join(input.repoRoot, '.local', 'postgres');
  return { dir, port, runAsPostgres };
}

const current = (): PgLayout => pgLayout({ repoRoot: REPO_ROOT, uid: process.getuid?.() ?? 1000, env: process.env });

/** Connection string of a cluster's database (the maintenance database by default). */
export function adminUrl(database = 'postgres', layout: PgLayout = current()): string {
  return `postgresql://dataflow@127.0.0.1:${layout.port}/${database}`;
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
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    versions = find();
  }
  if (versions.length === 0) throw new Error('postgres: no server binaries; set PG_BIN or install Debian postgresql');
  return path.join(root, versions[0], 'bin');
}

/** Runs a Postgres binary, as the postgres user when the layout says so; cwd `/` so the user need not enter ours. */
function run(layout: PgLayout, bin: string, args: string[]): void {
  const cmd = path.join(pgBinDir(), bin);
  const res = layout.runAsPostgres
    ? spawnSync('runuser', ['-u', RUN_AS, '--', cmd, ...args], { encoding: 'utf8', cwd: '/' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`postgres: ${bin} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
}

/** The data directory of the server answering on the layout's port, or undefined when none answers. */
export async function servingDataDirectory(layout: PgLayout): Promise<string | undefined> {
  const client = new Client({ connectionString: adminUrl('postgres', layout), connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  try {
    const res = await client.query<{ data_directory: string }>('SHOW data_directory');
    return res.rows[0].data_directory;
  } finally {
    await client.end();
  }
}

/** True when something accepts TCP connections on the port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Creates the cluster folder so the server user owns it and can reach it. */
function prepareDir(layout: PgLayout): void {
  if (!layout.runAsPostgres) {
    fs.mkdirSync(layout.dir, { recursive: true });
    return;
  }
  const parent = path.dirname(layout.dir);
  fs.mkdirSync(parent, { recursive: true });
  // Every ancestor must be traversable by `postgres`; the shared parent is root's and only traversable.
  if (parent === SHARED_PG_PARENT) fs.chmodSync(parent, 0o711);
  fs.mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  execFileSync('chown', ['-R', `${RUN_AS}:`, layout.dir]);
  const probe = spawnSync('runuser', ['-u', RUN_AS, '--', 'test', '-w', layout.dir], { cwd: '/' });
  if (probe.status !== 0) {
    throw new Error(
      `postgres: the ${RUN_AS} user cannot write ${layout.dir} (a parent folder is closed to it); set DATAFLOW_PG_DIR to a folder it can reach`,
    );
  }
}

/** Starts this checkout's cluster if it is not running (initialising it on first use); returns the admin URL. */
export async function ensurePostgres(layout: PgLayout = current()): Promise<string> {
  const data = path.join(layout.dir, 'data');
  const serving = await servingDataDirectory(layout);
  if (serving !== undefined) {
    if (path.resolve(serving) === data || (fs.existsSync(data) && fs.realpathSync(data) === fs.realpathSync(serving)))
      return adminUrl('postgres', layout);
    throw new Error(
      `postgres: port ${layout.port} is served by another cluster (data directory ${serving}), not this checkout's (${data}); ` +
        'stop that server or set DATAFLOW_PG_PORT to a free port',
    );
  }
  if (await portInUse(layout.port)) {
    throw new Error(
      `postgres: port ${layout.port} is in use by a server that is not this checkout's cluster (${data}); stop it or set DATAFLOW_PG_PORT to a free port`,
    );
  }
  prepareDir(layout);
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    run(layout, 'initdb', ['-D', data, '-U', 'dataflow', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  }
  const opts = [
    `-p ${layout.port}`,
    `-k ${layout.dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c timezone=UTC',
    '-c max_connections=60',
    '-c shared_buffers=128MB',
  ].join(' ');
  run(layout, 'pg_ctl', ['-D', data, '-l', path.join(layout.dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  if ((await servingDataDirectory(layout)) === undefined) {
    throw new Error(`postgres: started but not reachable on port ${layout.port}; see ${layout.dir}/server.log`);
  }
  return adminUrl('postgres', layout);
}

export function stopPostgres(layout: PgLayout = current()): void {
  const data = path.join(layout.dir, 'data');
  if (fs.existsSync(path.join(data, 'postmaster.pid'))) run(layout, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
}

/** Drops and recreates a database on this checkout's cluster; returns its URL. */
export async function freshDatabase(name: string, layout: PgLayout = current()): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name "${name}" must be a lower-case identifier`);
  await ensurePostgres(layout);
  const admin = new Client({ connectionString: adminUrl('postgres', layout) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return adminUrl(name, layout);
}

if (require.main === module) {
  const cmd = process.argv[2] ?? 'start';
  (async () => {
    const layout = current();
    if (cmd === 'start') console.log(`postgres: running at ${await ensurePostgres(layout)} (cluster ${layout.dir})`);
    else if (cmd === 'stop') stopPostgres(layout);
    else if (cmd === 'url') console.log(adminUrl('postgres', layout));
    else if (cmd === 'where') console.log(`${layout.dir} port ${layout.port}${layout.runAsPostgres ? ` (runs as ${RUN_AS})` : ''}`);
    else throw new Error(`usage: scripts/local/batch/postgres.ts start|stop|url|where (got ${cmd})`);
  })().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
