/**
 * CDK names assets by a 64-hex hash of their content (Lambda/Glue asset keys, asset parameters). Templates compared
 * across machines, or between `cdk synth` and jest, differ only there; this replaces every such hash by a fixed
 * placeholder so the comparison is of everything else.
 */
const HASH = /[0-9a-f]{64}/g;
export const HASH_PLACEHOLDER = '[ASSET_HASH]';

export function normaliseAssetHashes(value: string): string {
  return value.replace(HASH, HASH_PLACEHOLDER);
}
