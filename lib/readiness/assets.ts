import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackAssets } from './assembly';
import { allResources, pathOf, resolveText } from './template';
import type { ReadinessFinding, ReadinessResult } from './types';

const CHECK = 'assets';
/** The runtime and architecture every function of this app is written and bundled for. */
export const LAMBDA_RUNTIME = 'nodejs22.x';
export const LAMBDA_ARCHITECTURE = 'arm64';

/** Functions aws-cdk-lib creates for its own custom resources: it picks their runtime and architecture. */
export const CDK_PROVIDED_FUNCTIONS: readonly { readonly logicalId: RegExp; readonly reason: string }[] = [
  {
    logicalId:
      /^(AWS679f53fac002430cb0da5b7982bd2287|Custom(S3AutoDeleteObjects|VpcRestrictDefaultSG)CustomResourceProviderHandler|SetupProviderframeworkonEvent)/,
    reason:
      'aws-cdk-lib custom-resource handler (AwsCustomResource, auto-delete, default-SG restriction, provider framework): aws-cdk-lib sets its runtime and architecture.',
  },
];

const PLATFORM_OF_ARCHITECTURE: Record<string, string> = { ARM64: 'linux/arm64', X86_64: 'linux/amd64' };

/** The base images of a Dockerfile that are not pinned to a version (a tag with a digit other than `latest`) or digest. */
export function unpinnedBaseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const unpinned: string[] = [];
  for (const m of dockerfile.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const [, image, alias] = m;
    if (!stages.has(image.toLowerCase())) {
      const digest = image.includes('@sha256:');
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (!digest && (!tag || tag === 'latest' || !/\d/.test(tag))) unpinned.push(image);
    }
    if (alias) stages.add(alias.toLowerCase());
  }
  return unpinned;
}

/**
 * Docker image assets are built for the CPU architecture of the ECS task that runs them (asset `platform` vs the
 * task definition's RuntimePlatform) and their Dockerfile's base images are pinned; every Lambda function runs
 * `nodejs22.x` on `arm64` (aws-cdk-lib's own handlers acknowledged).
 */
export function checkAssets(templates: ReadonlyMap<string, object>, assets: ReadonlyMap<string, StackAssets>): ReadinessResult {
  const findings: ReadinessFinding[] = [];
  const acknowledged: (ReadinessFinding & { reason: string })[] = [];
  let evaluated = 0;
  for (const { stack, id, resource } of allResources(templates, 'AWS::ECS::TaskDefinition')) {
    const template = templates.get(stack)!;
    const architecture = String(
      (resource.Properties?.RuntimePlatform as { CpuArchitecture?: string } | undefined)?.CpuArchitecture ?? 'X86_64',
    );
    const containers = (resource.Properties?.ContainerDefinitions ?? []) as { Name?: string; Image?: unknown }[];
    for (const c of containers) {
      evaluated++;
      const at = `${pathOf(id, resource)} container ${c.Name}`;
      const finding = (message: string) => findings.push({ check: CHECK, stack, resource: at, message });
      const hash = /:([0-9a-f]{64})$/.exec(resolveText(c.Image, template))?.[1];
      if (!hash) continue; // not an image asset of this app
      const image = assets.get(stack)?.dockerImages[hash];
      if (!image) {
        finding(`image ${hash.slice(0, 12)}… is not a Docker image asset of the stack`);
        continue;
      }
      const expected = PLATFORM_OF_ARCHITECTURE[architecture];
      if (image.platform !== expected) {
        finding(
          `image built for ${image.platform ?? "the deploying machine's platform (no platform set)"}, task runs ${architecture} (${expected})`,
        );
      }
      const dockerfile = path.join(image.directory, image.dockerFile ?? 'Dockerfile');
      const unpinned = fs.existsSync(dockerfile) ? unpinnedBaseImages(fs.readFileSync(dockerfile, 'utf8')) : [`(missing ${dockerfile})`];
      for (const u of unpinned) finding(`base image ${u} is not pinned to a version`);
    }
  }
  for (const { stack, id, resource } of allResources(templates, 'AWS::Lambda::Function')) {
    evaluated++;
    const runtime = resource.Properties?.Runtime as string | undefined;
    const architectures = (resource.Properties?.Architectures as string[] | undefined) ?? ['x86_64'];
    const problems = [
      ...(runtime === LAMBDA_RUNTIME ? [] : [`runtime ${runtime ?? 'none (container image)'}, expected ${LAMBDA_RUNTIME}`]),
      ...(architectures.join() === LAMBDA_ARCHITECTURE ? [] : [`architecture ${architectures.join()}, expected ${LAMBDA_ARCHITECTURE}`]),
    ];
    if (problems.length === 0) continue;
    const f = { check: CHECK, stack, resource: pathOf(id, resource), message: problems.join('; ') };
    const ack = CDK_PROVIDED_FUNCTIONS.find((a) => a.logicalId.test(id));
    if (ack) acknowledged.push({ ...f, reason: ack.reason });
    else findings.push(f);
  }
  return { check: CHECK, evaluated, findings, acknowledged };
}
