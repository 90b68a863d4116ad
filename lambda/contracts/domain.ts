/**
 * Domain rules both the stream contracts (events-schemas.ts) and the OLTP row schemas (lambda/batch/row-schemas.ts)
 * enforce, written once: identifier formats, customer segments and the business date range.
 */

export interface IdFormat {
  readonly pattern: RegExp;
  /** The error message when a value does not match. */
  readonly message: string;
}

export const ID_FORMATS = {
  customer: { pattern: /^C\d{8}$/, message: 'must be C followed by 8 digits' },
  product: { pattern: /^P\d{6}$/, message: 'must be P followed by 6 digits' },
  order: { pattern: /^O\d{10}$/, message: 'must be O followed by 10 digits' },
} as const satisfies Record<string, IdFormat>;

export const CUSTOMER_SEGMENTS = ['premium', 'standard', 'basic'] as const;

/** Dates and timestamps must fall in this business range (2020-01-01 – 2030-12-31). */
export const BUSINESS_DATES = { min: '2020-01-01', max: '2030-12-31' } as const;
