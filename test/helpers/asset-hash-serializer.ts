/**
 * Jest snapshot serializer: replaces 64-hex asset hashes (Lambda/Glue asset keys, asset parameters) with a fixed
 * placeholder so snapshots are identical on every machine and between `cdk synth` and jest.
 */
import { normaliseAssetHashes } from '../../scripts/asset-hashes';

const serializer = {
  test: (val: unknown): boolean => typeof val === 'string' && normaliseAssetHashes(val) !== val,
  serialize: (val: string): string => JSON.stringify(normaliseAssetHashes(val)),
};

export default serializer;
module.exports = serializer;
