import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { normaliseAssetHashes } from '../../scripts/asset-hashes';
import { REPO_ROOT, stacksOf, synthApp } from '../helpers/synth';

/**
 * The CLI adds construct-path and asset-path metadata and the CDKMetadata analytics resource; none of them is part
 * of the design, and the asset paths are machine-local.
 */
function withoutCliMetadata(template: { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> }) {
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::CDK::Metadata') delete template.Resources[id];
    else if (resource.Metadata) {
      for (const key of Object.keys(resource.Metadata))
        if (key === 'aws:cdk:path' || key.startsWith('aws:asset:')) delete resource.Metadata[key];
      if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
    }
  }
  return template;
}

/**
 * The snapshot tests synthesize in-process without bundling; `cdk synth` bundles Lambda code for real.
 * Once asset hashes are normalised the two must be byte-identical, which is what keeps snapshots stable
 * across machines and between jest and the CLI.
 */
test('cdk synth (with bundling) and the jest synth agree once asset hashes are normalised', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-synth-'));
  try {
    execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '-c', 'env=all', '--quiet', '--no-notices', '-o', out], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    });
    const { stages } = synthApp({ context: { env: 'all' } });
    let compared = 0;
    for (const stage of stages) {
      for (const stack of stacksOf(stage)) {
        const file = path.join(out, `assembly-${stage.stageName}`, `${stack.artifactId}.template.json`);
        const cli = normaliseAssetHashes(JSON.stringify(withoutCliMetadata(JSON.parse(fs.readFileSync(file, 'utf8')))));
        const jest = normaliseAssetHashes(JSON.stringify(Template.fromStack(stack).toJSON()));
        expect(cli).toEqual(jest);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
