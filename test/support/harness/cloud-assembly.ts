import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { CfnTemplate } from './template';

/**
 * What the harness needs from a synthesized cloud assembly: the stack template and, for every
 * asset the template uploads, the directory holding it (so a Lambda function's `Code.S3Key`
 * can be run from the bundle that `cdk deploy` would upload) and where `cdk deploy` uploads it.
 */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** S3 object key (`<hash>.zip`) → absolute path of the asset in the cloud assembly. */
  readonly assetPathsByObjectKey: ReadonlyMap<string, string>;
  /** One entry per destination of every file asset in the cloud assembly (the stack template's own included). */
  readonly fileAssets: readonly FileAssetDestination[];
}

/** A file asset and one place `cdk deploy` uploads it to, as the stack's asset manifest says. */
export interface FileAssetDestination {
  /** Absolute path of the asset in the cloud assembly: a file, or a directory for `zip` packaging. */
  readonly path: string;
  /** `file`: uploaded as is. `zip`: a directory (Lambda code, say) uploaded as a zip archive. */
  readonly packaging: 'file' | 'zip';
  /**
   * May contain `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` (stacks without an
   * explicit env); see `resolveAssetPlaceholders`.
   */
  readonly bucketName: string;
  readonly objectKey: string;
}

/** The account, region and partition `cdk deploy` deploys to, for the placeholders of asset destinations. */
export interface AssetEnvironment {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

interface ManifestArtifact {
  readonly type: string;
  readonly properties?: { templateFile?: string; file?: string };
  readonly dependencies?: string[];
  readonly displayName?: string;
}

interface AssetManifest {
  readonly files?: Record<string, {
    readonly source: { readonly path?: string; readonly packaging?: string; readonly executable?: string[] };
    readonly destinations: Record<string, { readonly bucketName: string; readonly objectKey: string }>;
  }>;
}

/** Synthesizes the stage that owns `stack` (always re-synthesizing) and reads the stack's artifacts. */
export function synthesizeStack(stack: Stack): SynthesizedStack {
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`Stack ${stack.node.path} is not part of an App or Stage`);
  const assembly = stage.synth({ force: true });
  return readStackArtifact(assembly.directory, stack.artifactId, stack.stackName);
}

/** Reads a stack artifact from an already synthesized cloud assembly directory. */
export function readStackArtifact(assemblyDirectory: string, artifactId: string, stackName?: string): SynthesizedStack {
  const manifest = readJson<{ artifacts?: Record<string, ManifestArtifact> }>(path.join(assemblyDirectory, 'manifest.json'));
  const artifacts = manifest.artifacts ?? {};
  const stackArtifact = artifacts[artifactId];
  if (!stackArtifact || stackArtifact.type !== 'aws:cloudformation:stack' || !stackArtifact.properties?.templateFile) {
    throw new Error(`No CloudFormation stack artifact ${artifactId} in ${assemblyDirectory}`);
  }
  const template = readJson<CfnTemplate>(path.join(assemblyDirectory, stackArtifact.properties.templateFile));

  const assetPathsByObjectKey = new Map<string, string>();
  const fileAssets: FileAssetDestination[] = [];
  for (const dependencyId of stackArtifact.dependencies ?? []) {
    const dependency = artifacts[dependencyId];
    if (dependency?.type !== 'cdk:asset-manifest' || !dependency.properties?.file) continue;
    const assets = readJson<AssetManifest>(path.join(assemblyDirectory, dependency.properties.file));
    for (const asset of Object.values(assets.files ?? {})) {
      if (!asset.source.path) continue; // assets built by a command are not in the assembly
      const assetPath = path.resolve(assemblyDirectory, asset.source.path);
      // The manifest's default packaging is `file`; directories are always `zip`.
      const packaging = asset.source.packaging === 'zip' ? 'zip' : 'file';
      for (const destination of Object.values(asset.destinations)) {
        assetPathsByObjectKey.set(destination.objectKey, assetPath);
        fileAssets.push({ path: assetPath, packaging, bucketName: destination.bucketName, objectKey: destination.objectKey });
      }
    }
  }

  return {
    stackName: stackName ?? stackArtifact.displayName ?? artifactId,
    template,
    assetPathsByObjectKey,
    fileAssets,
  };
}

/**
 * Substitutes `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` in an asset
 * destination with the deployment's values, as the CDK CLI does before it uploads. Destinations
 * of stacks with an explicit env already hold literal values.
 */
export function resolveAssetPlaceholders(text: string, environment: AssetEnvironment): string {
  return text
    .replace(/\$\{AWS::AccountId\}/g, environment.accountId)
    .replace(/\$\{AWS::Region\}/g, environment.region)
    .replace(/\$\{AWS::Partition\}/g, environment.partition);
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
