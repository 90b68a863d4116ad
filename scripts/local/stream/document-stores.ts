import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentStore, StoredDocument } from '../../../lambda/stream-processor/ports';

/**
 * The alert ledger's store off AWS: in memory (tests, bench) and in a local directory (the local lake). Conditional
 * writes are checked and applied synchronously, so concurrent invocations in one process see the same conflicts S3's
 * `If-Match` / `If-None-Match` would give them.
 */

export class MemoryDocumentStore implements DocumentStore {
  public readonly docs = new Map<string, StoredDocument>();
  private writes = 0;

  public async read(key: string): Promise<StoredDocument | undefined> {
    return this.docs.get(key);
  }

  public async write(key: string, body: string, expected: string | undefined): Promise<string | false> {
    if (this.docs.get(key)?.version !== expected) return false;
    const version = `v${++this.writes}`;
    this.docs.set(key, { body, version });
    return version;
  }

  public async list(prefix: string, max: number): Promise<string[]> {
    return [...this.docs.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .slice(0, max);
  }

  public async remove(key: string): Promise<void> {
    this.docs.delete(key);
  }
}

/** `<dir>/<key>`; the version is the file's modification counter kept beside it in memory (one process). */
export class DirectoryDocumentStore implements DocumentStore {
  private readonly versions = new Map<string, number>();

  constructor(private readonly dir: string) {}

  public async read(key: string): Promise<StoredDocument | undefined> {
    const file = path.join(this.dir, key);
    if (!fs.existsSync(file)) return undefined;
    return { body: fs.readFileSync(file, 'utf8'), version: String(this.versions.get(key) ?? 0) };
  }

  public async write(key: string, body: string, expected: string | undefined): Promise<string | false> {
    const file = path.join(this.dir, key);
    const current = fs.existsSync(file) ? String(this.versions.get(key) ?? 0) : undefined;
    if (current !== expected) return false;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    return String(version);
  }

  public async list(prefix: string, max: number): Promise<string[]> {
    const root = path.join(this.dir, prefix);
    if (!fs.existsSync(root)) return [];
    const keys: string[] = [];
    for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) keys.push(path.relative(this.dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    }
    return keys.sort().slice(0, max);
  }

  public async remove(key: string): Promise<void> {
    fs.rmSync(path.join(this.dir, key), { force: true });
  }
}
