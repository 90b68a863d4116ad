import * as path from 'node:path';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** A Docker image asset as the cloud assembly describes it. */
export interface DockerImageSource {
  /** Absolute path of the build context. */
  readonly directory: string;
  /** Dockerfile path relative to the context. @default 'Dockerfile' */
  readonly dockerFile?: string;
  /** Target platform, e.g. `linux/arm64`; absent means "the deploying machine's". */
  readonly platform?: string;
}

/** The assets of one stack, by asset hash (the hash appears in the template's S3 keys and image tags). */
export interface StackAssets {
  /** File assets: absolute path of the staged file or directory. */
  readonly files: Readonly<Record<string, string>>;
  readonly dockerImages: Readonly<Record<string, DockerImageSource>>;
}

/** What the readiness checks read from a synthesized app. */
export interface ReadinessInput {
  /** Stack artifact id (`DataPlatform-prod/Batch-prod`) -> template. */
  readonly templates: ReadonlyMap<string, object>;
  readonly assets: ReadonlyMap<string, StackAssets>;
}

/** Every stack of an assembly and of its nested (stage) assemblies, with its assets. */
export function readAssembly(assembly: cxapi.CloudAssembly): ReadinessInput {
  const templates = new Map<string, object>();
  const assets = new Map<string, StackAssets>();
  const visit = (asm: cxapi.CloudAssembly) => {
    for (const nested of asm.nestedAssemblies) visit(nested.nestedAssembly);
    for (const stack of asm.stacks) {
      const id = stack.hierarchicalId;
      templates.set(id, stack.template as object);
      const files: Record<string, string> = {};
      const dockerImages: Record<string, DockerImageSource> = {};
      for (const manifest of stack.dependencies.filter((d): d is cxapi.AssetManifestArtifact => d instanceof cxapi.AssetManifestArtifact)) {
        const base = path.dirname(manifest.file);
        for (const [hash, f] of Object.entries(manifest.contents.files ?? {}))
          if (f.source.path) files[hash] = path.resolve(base, f.source.path);
        for (const [hash, d] of Object.entries(manifest.contents.dockerImages ?? {})) {
          if (d.source.directory)
            dockerImages[hash] = {
              directory: path.resolve(base, d.source.directory),
              dockerFile: d.source.dockerFile,
              platform: d.source.platform,
            };
        }
      }
      assets.set(id, { files, dockerImages });
    }
  };
  visit(assembly);
  return { templates, assets };
}

/** Reads a cloud assembly directory (e.g. cdk.out). */
export function readAssemblyDir(dir: string): ReadinessInput {
  return readAssembly(new cxapi.CloudAssembly(dir));
}
