import { HASH_PLACEHOLDER } from '../../scripts/asset-hashes';
import { synthEnvironments, templateOf, type CfnTemplate, type StackKey } from './platform';

/**
 * Digests of code kept outside lib/, which a template carries to make CloudFormation act when that code changes:
 * the custom resource property that re-runs the warehouse setup when its SQL changes. Like asset hashes (replaced
 * by test/helpers/asset-hash-serializer.ts), they would turn every handler or SQL edit into a snapshot change.
 */
const CONTENT_DIGESTS: readonly { type: string; property: string }[] = [{ type: 'Custom::WarehouseSetup', property: 'SqlHash' }];

/** The template with its content digests replaced by the asset-hash placeholder. */
export function withoutContentDigests(template: CfnTemplate): CfnTemplate {
  const copy = structuredClone(template);
  for (const resource of Object.values(copy.Resources))
    for (const { type, property } of CONTENT_DIGESTS)
      if (resource.Type === type && resource.Properties?.[property] !== undefined) resource.Properties[property] = HASH_PLACEHOLDER;
  return copy;
}

let prod: ReturnType<typeof synthEnvironments>[number] | undefined;

/**
 * One stack of prod as its snapshot holds it. Only prod is snapshotted in full, one file per stack under
 * test/templates/prod/: it is what customers depend on, and it has every resource but those only dev's config
 * creates. dev and staging are prod's stacks with other config values; test/templates/environments.test.ts
 * asserts how they differ.
 */
export function prodSnapshot(stack: StackKey): CfnTemplate {
  prod ??= synthEnvironments('prod')[0];
  return withoutContentDigests(templateOf(prod, stack));
}
