import * as fs from 'fs';
import { awscdk, javascript, typescript } from 'projen';

/** The newest aws-cdk-lib the tests run against; consumers only need the peer floor. */
const CDK_TEST_VERSION = '2.276.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-edge-sync',
  description:
    'AWS CDK constructs that make deployments of edge device configuration (IoT SiteWise gateways, Kinesis Video edge agents, Ground Station agents) wait until the device reports it is in sync.',
  author: 'cdk-edge-sync maintainers',
  authorAddress: 'maintainers@cdk-edge-sync.dev',
  repositoryUrl: 'https://github.com/cdk-edge-sync/cdk-edge-sync.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  stability: 'experimental',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'custom-resource', 'iot', 'iot-sitewise', 'sitewise-edge', 'opc-ua', 'kinesis-video', 'ground-station', 'edge'],

  // Packages for every jsii language, published through Construct Hub.
  publishToPypi: { distName: 'cdk-edge-sync', module: 'cdk_edge_sync' },
  publishToMaven: { javaPackage: 'io.github.cdkedgesync', mavenGroupId: 'io.github.cdk-edge-sync', mavenArtifactId: 'cdk-edge-sync' },
  publishToNuget: { dotNetNamespace: 'CdkEdgeSync', packageId: 'CdkEdgeSync' },
  publishToGo: { moduleName: 'github.com/cdk-edge-sync/cdk-edge-sync-go' },

  // Peer floor for consumers; the tests run against CDK_TEST_VERSION (see below).
  cdkVersion: '2.200.0',
  constructsVersion: '10.5.1',

  // Handlers live in lambda/ and are bundled by the `bundle` task below, not by projen's src/*.lambda.ts discovery.
  lambdaAutoDiscover: false,
  // Integ tests have their own tasks below.
  integrationTestAutoDiscover: false,

  // Test against the newest aws-cdk-lib while the published peer range keeps its floor.
  peerDependencyOptions: { pinnedDevDependency: false },
  // Quartz cron validation for StreamEdgeConfiguration schedules, in construct and handler code.
  // Not a jsii library, so it ships bundled inside this package.
  bundledDeps: ['cron-validate@^1.5.3'],
  devDeps: [
    `aws-cdk-lib@${CDK_TEST_VERSION}`,
    '@aws-sdk/client-kinesis-video@^3.1116.0',
    '@aws-sdk/client-groundstation@^3.523.0',
    'cdk-nag@^3',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'constructs@^10.5.1',
    '@aws-sdk/client-iotsitewise@^3.1169.0',
    '@aws-sdk/client-s3@^3.1169.0',
    // The drift monitor: its records of what was deployed (DynamoDB) and its drift events (EventBridge).
    '@aws-sdk/client-dynamodb@^3.1169.0',
    '@aws-sdk/client-eventbridge@^3.1169.0',
    '@smithy/core',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4',
    'aws-sdk-client-mock-jest@^4',
    'esbuild@^0.28',
    // Handler only (bundled by esbuild): compares configuration documents as JSON, whatever their key order and spacing.
    'fast-json-stable-stringify@^2.1.0',
  ],

  // The handlers load each resource type's code with import() (lambda/index.ts); under Jest, which
  // runs CommonJS, ts-jest compiles it to require() (test/tsconfig.jest.json).
  tsJestOptions: { transformOptions: { tsconfig: typescript.TsJestTsconfig.fromFile('test/tsconfig.jest.json') } },
  jestOptions: {
    // Snapshots are checked, never silently rewritten: `npx projen test:update` updates them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '\\.tmp/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // An import() names the file as Node.js resolves ES modules (lambda/index.ts: './stream-edge/index.js');
      // Jest finds the TypeScript source.
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
  },
  eslintOptions: {
    dirs: ['src', 'lambda'],
    devdirs: ['test', 'examples', 'projenrc'],
  },
  gitignore: [
    // node_modules/ (projen's) ignores a directory only; a worktree's symlink to another checkout's must not be committed either.
    '/node_modules',
    '/assets/', 'cdk.out/', '.tmp/', 'test/*.integ.snapshot/asset.*', 'test/*.integ.snapshot/cdk.out',
  ],
});


// Handler code is bundled by esbuild at build time, so its imports are dev dependencies.
project.eslint?.allowDevDeps('lambda/**');

// projen drops constructs from the dev dependencies of a CDK library; the tests need it.
project.addDevDeps('constructs@^10.5.1');

// The handler bundle ships in the npm package so a consumer's `cdk synth` needs neither Docker nor esbuild.
project.npmignore?.include('/assets/');
project.npmignore?.exclude('/lambda/', '/examples/', '/.ci/');

/**
 * In ES modules (this bundle's format) `require` is not defined; the CommonJS packages bundled in
 * (cron-validate, fast-json-stable-stringify) still call it for Node.js builtins.
 */
const ESM_REQUIRE_SHIM = "import { createRequire as __edgeSyncCreateRequire } from 'node:module'; const require = __edgeSyncCreateRequire(import.meta.url);";

const bundle = project.addTask('bundle', {
  description: 'Bundle the custom resource handlers (lambda/) into assets/ with esbuild',
  steps: [
    // Start empty: a stale index.js would shadow index.mjs (the Lambda runtime looks for .js first),
    // and stale chunks would ship in the asset.
    { exec: 'rm -rf assets/provider' },
    {
      exec: [
        'esbuild lambda/index.ts',
        '--bundle',
        '--platform=node',
        // Node 20 is the oldest runtime the bundle meets here; Lambda runs it on the newest Node.js runtime.
        '--target=node20',
        // Code splitting: each resource type's handlers and SDK clients are chunks that the entry
        // (index.mjs, still `index.onEvent` / `index.isComplete` to Lambda) imports on that type's
        // first event (lambda/index.ts), so a cold start reads and evaluates only what it uses.
        // Splitting needs ES module output.
        '--format=esm',
        '--splitting',
        '--outdir=assets/provider',
        '--out-extension:.js=.mjs',
        '--chunk-names=chunks/[name]-[hash]',
        `"--banner:js=${ESM_REQUIRE_SHIM}"`,
        '--minify',
        '--keep-names',
        '--legal-comments=none',
        '--main-fields=module,main',
      ].join(' '),
    },
  ],
});
project.preCompileTask.spawn(bundle);

const typecheck = project.addTask('typecheck', {
  description: 'Type-check handlers, tests and examples (ts-jest only transpiles)',
  exec: 'tsc --noEmit -p lambda/tsconfig.json && tsc --noEmit -p examples/tsconfig.json && tsc --noEmit -p test/tsconfig.json',
});
project.testTask.prependSpawn(bundle);
project.testTask.spawn(typecheck);

// The README's examples are real code: jsii-rosetta compiles them (fixtures in rosetta/), for every
// jsii language's docs.
project.addTask('rosetta:extract', { description: 'Compile the README and API examples', exec: 'jsii-rosetta extract --strict' });
project.postCompileTask.spawn(project.tasks.tryFind('rosetta:extract')!);
project.gitignore.exclude('.jsii.tabl.json');
project.npmignore?.exclude('/rosetta/');

// Integration tests (test/*.integ.ts, @aws-cdk/integ-tests-alpha). Their snapshots are committed
// and checked by `npx projen test` without an AWS account. The apps write their cloud assembly
// themselves (CDK_OUTDIR): no CDK CLI in this registry reads aws-cdk-lib's newest assembly schema.
// The assertions' salt (a timestamp that makes them run on every deploy) is not compared, nor the
// asset manifests whose template hashes include it, nor the construct metadata.
// Against a real account, see the README's "Maintainers" section.
const integTests = fs.readdirSync('test').filter((f) => f.endsWith('.integ.ts')).map((f) => f.replace(/\.ts$/, ''));
const synthIntegApp = (name: string, outdir: string) =>
  `rm -rf ${outdir} && CDK_OUTDIR=${outdir} CDK_DISABLE_STACK_TRACE=1 ts-node --transpile-only -P test/tsconfig.json test/${name}.ts`;
project.addTask('integ:snapshot', {
  description: 'Synthesize the integ test apps into their committed snapshots',
  steps: [{ spawn: 'bundle' }, ...integTests.map((name) => ({ exec: synthIntegApp(name, `test/${name}.snapshot`) }))],
});
const integAssert = project.addTask('integ:assert', {
  description: 'Check that the integ test apps still synthesize to their committed snapshots',
  steps: integTests.flatMap((name) => [
    { exec: synthIntegApp(name, `test/.tmp/${name}.snapshot`) },
    { exec: `diff -r -I '"salt": ' -x 'asset.*' -x '*.assets.json' -x '*.metadata.json' -x manifest.json -x tree.json -x cdk.out test/${name}.snapshot test/.tmp/${name}.snapshot` },
  ]),
});
project.testTask.spawn(integAssert);

project.addTask('demo', {
  description: 'Deploy the README example app against the local AWS emulator (no AWS account needed)',
  env: { NODE_NO_WARNINGS: '1' },
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --transpile-only --project test/tsconfig.json test/demo/run-demo.ts' }],
});

project.addTask('benchmark', {
  description: 'Measure synth time and template size at scale, sync detection latency and Describe call rate, time to success under throttling (against the local emulator), and handler start-up',
  env: { NODE_NO_WARNINGS: '1' },
  steps: [
    { spawn: 'bundle' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json test/benchmark/synth-scale.ts' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json test/benchmark/detection-latency.ts' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json test/benchmark/throttling-storm.ts' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json test/benchmark/handler-startup.ts' },
  ],
});

// `npx projen build` packages the JavaScript target: the Python, Java, .NET and Go packagers
// need PyPI, Maven Central, NuGet and the Go toolchain, which a release machine has and CI here
// does not. `npx projen package-all` builds every target where they are available.
const packageTask = project.tasks.tryFind('package')!;
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);

project.synth();
