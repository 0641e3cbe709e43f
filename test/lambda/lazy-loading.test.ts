/**
 * The built handler bundle (assets/provider, `npx projen bundle`) loads an AWS SDK client only
 * when a resource type that uses it is handled: a cold start reads and compiles only the code
 * of the type it handles (lambda/index.ts, the `bundle` task in .projenrc.ts).
 *
 * Observed in a fresh node process, as the Lambda runtime loads the handler: the inspector
 * reports every script V8 parses, and the test looks for each client's code in the bundle's files
 * among them (its runtime configuration's default service id, which minification keeps). A static
 * import of a client or of a handler in the entry, or a bundle that is one file again, puts the
 * client's code into what loading the bundle parses, and fails here.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { GATEWAY_CAPABILITY_RESOURCE_TYPE } from '../../src/gateway-capability/resource-properties';
import { ENDPOINT_READINESS_RESOURCE_TYPE } from '../../src/ground-station/resource-properties';
import { STREAM_EDGE_RESOURCE_TYPE } from '../../src/stream-edge/resource-properties';

const ASSET_DIR = path.resolve(__dirname, '..', '..', 'assets', 'provider');

/** The SDK clients the handlers use, each by the service id its client's runtime configuration defaults to. */
const CLIENTS = {
  '@aws-sdk/client-iotsitewise': 'IoTSiteWise',
  '@aws-sdk/client-s3': 'S3',
  '@aws-sdk/client-kinesis-video': 'Kinesis Video',
  '@aws-sdk/client-groundstation': 'GroundStation',
  '@aws-sdk/client-dynamodb': 'DynamoDB',
  '@aws-sdk/client-eventbridge': 'EventBridge',
};
type Client = keyof typeof CLIENTS;

/** What each resource type's first event may load. */
const CLIENTS_OF: Record<string, Client[]> = {
  [GATEWAY_CAPABILITY_RESOURCE_TYPE]: ['@aws-sdk/client-iotsitewise', '@aws-sdk/client-s3'],
  [STREAM_EDGE_RESOURCE_TYPE]: ['@aws-sdk/client-kinesis-video'],
  [ENDPOINT_READINESS_RESOURCE_TYPE]: ['@aws-sdk/client-groundstation'],
};

/** The handler module, found as the Lambda Node.js runtime finds `index` for `index.onEvent`. */
function handlerFile(): string {
  const file = ['index.js', 'index.mjs', 'index.cjs'].map((name) => path.join(ASSET_DIR, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`No handler bundle in ${ASSET_DIR}: run \`npx projen bundle\` first`);
  return file;
}

/**
 * In a fresh node process: loads the bundle (and, with `resourceType`, answers one onEvent of that
 * type, which fails its property check before any AWS call), then returns the bundle's files V8
 * parsed, relative to the asset directory.
 */
function filesParsed(resourceType?: string, entry: 'onEvent' | 'monitor' = 'onEvent'): string[] {
  const file = handlerFile();
  const load = file.endsWith('.mjs') ? `import(${JSON.stringify(pathToFileURL(file).href)})` : `Promise.resolve(require(${JSON.stringify(file)}))`;
  const event = { RequestType: 'Create', ResourceType: resourceType, ResourceProperties: {}, LogicalResourceId: 'Probe', RequestId: 'probe' };
  const script = `
    const inspector = require('node:inspector');
    const { fileURLToPath } = require('node:url');
    const session = new inspector.Session();
    session.connect();
    const parsed = new Set();
    session.on('Debugger.scriptParsed', ({ params }) => parsed.add(params.url));
    session.post('Debugger.enable', async (error) => {
      if (error) throw error;
      const handler = await ${load};
      if (${JSON.stringify(entry)} === 'monitor') {
        // Without its environment the monitor stops before any AWS call, once its modules are loaded.
        const outcome = await handler.monitor({}, { getRemainingTimeInMillis: () => 60000 }).then(() => 'answered', (e) => e.message);
        if (!/EDGE_SYNC_RECORDS_TABLE/.test(outcome)) throw new Error('unexpected outcome: ' + outcome);
      }
      if (${JSON.stringify(resourceType ?? null)} !== null) {
        const outcome = await handler.onEvent(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 60000 }).then(() => 'answered', (e) => e.message);
        // The type's handler ran (and failed on the empty properties): its code was loaded.
        if (!/^(Property|Invalid property)/.test(outcome)) throw new Error('unexpected outcome: ' + outcome);
      }
      const files = [...parsed].map((url) => url.startsWith('file:') ? fileURLToPath(url) : url);
      process.stdout.write(JSON.stringify(files));
    });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', NODE_OPTIONS: '', EDGE_SYNC_RECORDS_TABLE: '' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`probe failed (exit ${result.status}):\n${result.stderr}`);
  // The handlers log to stdout too: the file list is the last line.
  const files: string[] = JSON.parse(result.stdout.trim().split('\n').pop()!);
  return files.filter((f) => f.startsWith(ASSET_DIR + path.sep)).map((f) => path.relative(ASSET_DIR, f)).sort();
}

/** The SDK clients whose code is in `files` (relative to the asset directory). */
function clientsIn(files: string[]): Client[] {
  const code = files.map((f) => fs.readFileSync(path.join(ASSET_DIR, f), 'utf8')).join('\n');
  return (Object.keys(CLIENTS) as Client[])
    .filter((client) => new RegExp(`serviceId\\s*\\?\\?\\s*"${CLIENTS[client]}"`).test(code))
    .sort();
}

test('the bundle holds every client the handlers use (so the checks below can see them)', () => {
  const everyFile = fs.readdirSync(ASSET_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.[cm]?js$/.test(f));
  expect(clientsIn(everyFile)).toEqual((Object.keys(CLIENTS) as Client[]).sort());
});

test('loading the bundle (the init phase of a cold start) loads no SDK client', () => {
  const files = filesParsed();
  expect(files).toContain(path.relative(ASSET_DIR, handlerFile()));
  expect(clientsIn(files)).toEqual([]);
});

test.each(Object.entries(CLIENTS_OF))('the first event of %s loads its own clients and no others', (resourceType, clients) => {
  expect(clientsIn(filesParsed(resourceType))).toEqual([...clients].sort());
});

test('the drift monitor\'s first run loads the clients of its records and events, and of the three services it checks', () => {
  expect(clientsIn(filesParsed(undefined, 'monitor'))).toEqual((Object.keys(CLIENTS) as Client[]).sort());
});
