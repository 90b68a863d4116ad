import * as iam from 'aws-cdk-lib/aws-iam';
import { DATA_API_ACTIONS, type DataApiOperation } from '../../lambda/contracts/redshift-data';

export interface DataApiPolicyProps {
  /** The workgroup the statements run in. */
  readonly workgroupArn: string;
  /** The statement runner operations the function calls (lambda/contracts/redshift-data.ts). */
  readonly operations: readonly DataApiOperation[];
  /** Connects as its own IAM identity (no database secret). @default false */
  readonly iamAuth?: boolean;
  /** Statement ids of the two statements. */
  readonly sids: { readonly submit: string; readonly follow: string };
}

/**
 * The IAM statements a function needs for the Redshift Data API operations it calls, from the runner's own action
 * list: submitting on the workgroup, following (and cancelling, reading) only statements its own session submitted.
 */
export function dataApiPolicyStatements(props: DataApiPolicyProps): iam.PolicyStatement[] {
  const operations: (keyof typeof DATA_API_ACTIONS)[] = ['follow', ...props.operations, ...(props.iamAuth ? (['iamAuth'] as const) : [])];
  const uses = operations.map((o) => DATA_API_ACTIONS[o]);
  return [
    new iam.PolicyStatement({ sid: props.sids.submit, actions: uses.flatMap((u) => u.onWorkgroup), resources: [props.workgroupArn] }),
    new iam.PolicyStatement({
      sid: props.sids.follow,
      actions: uses.flatMap((u) => u.onOwnStatements),
      resources: ['*'],
      // Only statements this function's own session submitted.
      conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
    }),
  ];
}
