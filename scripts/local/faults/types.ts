/** One row of the fault matrix: what happened to the records of one fault scenario. */
export interface FaultRow {
  readonly scenario: string;
  readonly recordsIn: number;
  readonly inWarehouse: number;
  readonly quarantined: number;
  readonly duplicated: number;
  readonly lost: number;
}

/** A fault scenario run against the local stream handler or the local batch. */
export interface FaultScenario {
  readonly name: string;
  readonly area: 'stream' | 'batch';
  run(): Promise<FaultRow>;
}
