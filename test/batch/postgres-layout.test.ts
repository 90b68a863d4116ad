import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../helpers/cli';
import {
  adminUrl,
  ensurePostgres,
  freshDatabase,
  pgLayout,
  PORT_BASE,
  PORT_SPAN,
  stopPostgres,
  type PgLayout,
} from '../../scripts/local/batch/postgres';

const uid = process.getuid?.() ?? 1000;

describe('local Postgres layout', () => {
  it('gives each checkout its own port and, as root, a cluster folder outside the clone', () => {
    const a = pgLayout({ repoRoot: '/root/work/a', uid: 0, env: {} });
    const b = pgLayout({ repoRoot: '/root/work/b', uid: 0, env: {} });
    expect(a.port).not.toBe(b.port);
    for (const l of [a, b]) {
      expect(l.port).toBeGreaterThanOrEqual(PORT_BASE);
      expect(l.port).toBeLessThan(PORT_BASE + PORT_SPAN);
      expect(l.dir.startsWith('/root/')).toBe(false);
      expect(l.runAsPostgres).toBe(true);
    }
    expect(pgLayout({ repoRoot: '/root/work/a', uid: 0, env: {} })).toEqual(a);
    expect(pgLayout({ repoRoot: '/home/u/a', uid: 1000, env: {} })).toMatchObject({
      dir: '/home/u/a/.local/postgres',
      runAsPostgres: false,
    });
  });

  it('keeps the environment overrides and names a bad port', () => {
    expect(pgLayout({ repoRoot: '/x', uid: 0, env: { DATAFLOW_PG_PORT: '55432', DATAFLOW_PG_DIR: '/srv/pg' } })).toMatchObject({
      port: 55432,
      dir: '/srv/pg',
    });
    expect(() => pgLayout({ repoRoot: '/x', uid: 0, env: { DATAFLOW_PG_PORT: 'abc' } })).toThrow(/DATAFLOW_PG_PORT/);
  });
});

describe('a checkout in a folder only its owner may enter', () => {
  let parent: string;
  let layout: PgLayout;

  beforeAll(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-clone-'));
    fs.chmodSync(parent, 0o700);
    const clone = path.join(parent, 'dataflow');
    fs.mkdirSync(clone);
    layout = pgLayout({ repoRoot: clone, uid, env: {} });
  });

  afterAll(() => {
    stopPostgres(layout);
    fs.rmSync(layout.dir, { recursive: true, force: true });
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('initialises, starts and serves its own cluster', async () => {
    const url = await freshDatabase('layout_test', layout);
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    await client.end();
    expect(rows[0].data_directory).toBe(path.join(layout.dir, 'data'));
    expect(await ensurePostgres(layout)).toBe(adminUrl('postgres', layout));
  });

  it('refuses a port some other server holds', async () => {
    const other = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => other.once('listening', r));
    try {
      const port = (other.address() as net.AddressInfo).port;
      await expect(ensurePostgres({ ...layout, port, dir: path.join(parent, 'third') })).rejects.toThrow(
        `port ${port} is in use by a server that is not this checkout's cluster`,
      );
      expect(fs.existsSync(path.join(parent, 'third'))).toBe(false);
    } finally {
      other.close();
    }
  });

  it("refuses another checkout's server on its port, naming that cluster's data directory", async () => {
    const other: PgLayout = { ...layout, dir: path.join(parent, 'elsewhere') };
    await expect(ensurePostgres(other)).rejects.toThrow(`data directory ${path.join(layout.dir, 'data')}`);
  });
});

/** As an ordinary user the server runs as that user, from a folder only that user may enter. */
// Runs where the tests run as root and `nobody` can read this checkout (a checkout inside a 0700 folder, as CI's, is
// root's alone: no ordinary user could use it, so there is nothing to prove there).
const readableByNobody = () =>
  spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', path.join(REPO_ROOT, 'node_modules', 'ts-node', 'package.json')]).status === 0;
const ordinaryUser = uid === 0 && spawnSync('id', ['-u', 'nobody']).status === 0 && readableByNobody() ? 'nobody' : undefined;
(ordinaryUser ? describe : describe.skip)('an ordinary user', () => {
  it('initialises and starts a cluster of its own as itself, in a 0700 folder it owns', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-user-'));
    const layout = pgLayout({ repoRoot: home, uid: 1000, env: {} });
    const env = ['env', `HOME=${home}`, `DATAFLOW_PG_DIR=${home}/pg`, `DATAFLOW_PG_PORT=${layout.port}`];
    const cli = (cmd: string) =>
      spawnSync(
        'runuser',
        [
          '-u',
          ordinaryUser as string,
          '--',
          ...env,
          process.execPath,
          '--require',
          'ts-node/register/transpile-only',
          'scripts/local/batch/postgres.ts',
          cmd,
        ],
        { cwd: REPO_ROOT, encoding: 'utf8' },
      );
    try {
      fs.chownSync(home, Number(spawnSync('id', ['-u', ordinaryUser as string], { encoding: 'utf8' }).stdout.trim()), 0);
      fs.chmodSync(home, 0o700);
      const started = cli('start');
      expect(started.stderr).toBe('');
      expect(started.stdout).toContain(`postgres: running at postgresql://dataflow@127.0.0.1:${layout.port}/postgres (cluster ${home}/pg)`);
      expect(fs.statSync(path.join(home, 'pg', 'data')).uid).not.toBe(0);
    } finally {
      cli('stop');
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
