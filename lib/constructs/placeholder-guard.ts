import { Annotations, CfnRule, Fn, type Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { placeholderMessage, type PlaceholderField } from '../config/placeholders';

export interface PlaceholderGuardProps {
  /** Environment name, for the message. */
  readonly environment: string;
  /** Fields still holding example values (see `findPlaceholders`); none adds nothing. */
  readonly fields: readonly PlaceholderField[];
  /**
   * Also warn at synth (once per environment is enough to read).
   * @default true
   */
  readonly warn?: boolean;
}

/**
 * Refuses every deployment of a stack whose environment still holds example values, without breaking synth:
 * a template rule (`Rules` section) whose assertion can never hold, so CloudFormation rejects the stack's create
 * or change set with the assertion's description, naming each field. The assertion compares the CDK bootstrap
 * version parameter (resolved from SSM at deploy) with a string no version has, the same parameter CDK's own
 * `CheckBootstrapVersion` rule reads. `cdk synth` also warns with the same text
 * (`warn`).
 */
export class PlaceholderGuard extends Construct {
  /** The refusing rule, when there are fields to replace. */
  public readonly rule?: CfnRule;
  /** The refusal text (empty when there is nothing to replace). */
  public readonly message: string;

  constructor(scope: Stack, id: string, props: PlaceholderGuardProps) {
    super(scope, id);
    this.message = props.fields.length ? placeholderMessage(props.environment, props.fields) : '';
    if (!props.fields.length) return;
    this.rule = new CfnRule(scope, 'RefuseExampleValues', {
      assertions: [
        {
          assert: Fn.conditionContains(['example values replaced'], Fn.ref('BootstrapVersion')),
          // CloudFormation shows this text when it rejects the deployment.
          assertDescription: this.message.slice(0, 4000),
        },
      ],
    });
    if (props.warn ?? true) Annotations.of(scope).addWarningV2('dataflow:example-values', this.message);
  }
}
