import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LakeStore, LakeZone } from '../contracts/lake';

/** Marks a file being written; `list` never reports one. */
const PARTIAL = '.tmp-';

/**
 * The lake port on a local directory, `<root>/<zone>/<key>`: the local run's lake (`.local/lake`) and the tests'.
 * A write goes to a temporary file renamed into place, so a reader never sees half an object. Keys must be clean
 * relative keys (no empty or `..` segments): a key never reaches outside its zone's folder.
 */
export class FsLakeStore implements LakeStore {
  /** @param root the local lake directory holding one folder per zone */
  constructor(public readonly root: string) {}

  private file(zone: LakeZone, key: string): string {
    if (key.split('/').some((s) => s === '..' || s === '')) throw new Error(`lake key "${key}" is not a clean relative key`);
    return path.join(this.root, zone, key);
  }

  public async put(zone: LakeZone, key: string, body: string | Uint8Array): Promise<void> {
    const file = this.file(zone, key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}${PARTIAL}${randomUUID()}`;
    await fs.promises.writeFile(tmp, body);
    await fs.promises.rename(tmp, file);
  }

  public async get(zone: LakeZone, key: string): Promise<Buffer | undefined> {
    try {
      return await fs.promises.readFile(this.file(zone, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  public async list(zone: LakeZone, prefix: string): Promise<string[]> {
    const base = path.join(this.root, zone);
    const dir = prefix.endsWith('/') ? prefix : path.posix.dirname(prefix) + '/';
    const start = path.join(base, dir);
    if (!fs.existsSync(start)) return [];
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (!e.name.includes(PARTIAL)) {
          const key = path.relative(base, p).split(path.sep).join('/');
          if (key.startsWith(prefix)) out.push(key);
        }
      }
    };
    walk(start);
    return out.sort();
  }

  public async delete(zone: LakeZone, keys: readonly string[]): Promise<void> {
    for (const key of keys) await fs.promises.rm(this.file(zone, key), { force: true });
  }

  public uri(zone: LakeZone, key: string): string {
    return path.join(this.root, zone, key);
  }
}
