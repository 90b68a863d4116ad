/** Minimal typings of pg-cursor 2.x (the package ships none): the subset the extractor uses. */
declare module 'pg-cursor' {
  import type { Submittable } from 'pg';
  export default class Cursor<R = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: readonly unknown[], config?: { rowMode?: 'array' });
    submit: Submittable['submit'];
    read(rowCount: number): Promise<R[]>;
    close(): Promise<void>;
  }
}
