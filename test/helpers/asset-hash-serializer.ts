/**
 * Jest snapshot serializer: replaces 64-hex asset hashes (Lambda/Glue asset keys, asset parameters) with a fixed
 * placeholder so snapshots are identical on every machine and between `cdk synth` and jest.
 */
const HASH = /[0-9a-f]{64}/g;
export const HASH_PLACEHOLDER = '[ASSET_HASH]';

export function normaliseAssetHashes(value: string): string {
  return value.replace(HASH, HASH_PLACEHOLDER);
}

const serializer = {
  test: (val: unknown): boolean => typeof val === 'string' && /[0-9a-f]{64}/.test(val),
  serialize: (val: string): string => JSON.stringify(normaliseAssetHashes(val)),
};

export default serializer;
module.exports = serializer;
module.exports.normaliseAssetHashes = normaliseAssetHashes;
module.exports.HASH_PLACEHOLDER = HASH_PLACEHOLDER;
