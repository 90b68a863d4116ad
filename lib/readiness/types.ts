/** One problem a deploy-readiness check found in a synthesized template. */
export interface ReadinessFinding {
  /** The check that found it, e.g. `kms`, `iam`, `guard`, `nag-honesty`, `assets`, `runtime-config`. */
  readonly check: string;
  /** Stack artifact id, e.g. `DataPlatform-prod/Batch-prod`. */
  readonly stack: string;
  /** Logical id or construct path of the resource concerned. */
  readonly resource: string;
  readonly message: string;
}

/** What one check did over one or more templates. */
export interface ReadinessResult {
  readonly check: string;
  /** How many things were evaluated (policies x calls, resources, variables, ...). */
  readonly evaluated: number;
  readonly findings: readonly ReadinessFinding[];
  /** Findings accepted with a written reason. */
  readonly acknowledged: readonly (ReadinessFinding & { readonly reason: string })[];
}
