import {
  CreateGatewayCommand, DeleteGatewayCommand, DescribeGatewayCapabilityConfigurationCommand, DescribeGatewayCommand,
  InvalidRequestException, IoTSiteWiseClient, ListGatewaysCommand, ResourceNotFoundException,
  UpdateGatewayCapabilityConfigurationCommand, UpdateGatewayCommand,
} from '@aws-sdk/client-iotsitewise';
import { opcUaDocument, OPC_UA_NAMESPACE, PUBLISHER_NAMESPACE, siteWiseClient, startEmulator } from './emulator-test-support';
import { DeviceBehaviours, EMULATOR_CREDENTIALS, type LocalAwsEndpoint } from '../support/emulator';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emulator: LocalAwsEndpoint;
let client: IoTSiteWiseClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = siteWiseClient(emulator);
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

describe('gateways', () => {
  test('CreateGateway answers 201 with a lowercase UUID v4 id and the gateway ARN', async () => {
    const created = await client.send(new CreateGatewayCommand({
      gatewayName: 'plant-1',
      gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'plant-1-core' } },
    }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.gatewayId).toMatch(UUID_V4);
    expect(created.gatewayArn).toBe(`arn:aws:iotsitewise:us-east-1:123456789012:gateway/${created.gatewayId}`);
  });

  test('DescribeGateway returns the gateway with default version 2 and Date timestamps', async () => {
    const before = emulator.clock.now();
    const { gatewayId } = await client.send(new CreateGatewayCommand({
      gatewayName: 'plant-1',
      gatewayPlatform: { siemensIE: { iotCoreThingName: 'siemens-thing' } },
    }));
    const described = await client.send(new DescribeGatewayCommand({ gatewayId }));
    expect(described).toMatchObject({
      gatewayId,
      gatewayName: 'plant-1',
      gatewayPlatform: { siemensIE: { iotCoreThingName: 'siemens-thing' } },
      gatewayVersion: '2',
      gatewayCapabilitySummaries: [],
    });
    // Epoch seconds on the wire become Dates in the SDK, at the simulated creation time.
    expect(described.creationDate).toBeInstanceOf(Date);
    expect(described.creationDate!.getTime()).toBeGreaterThanOrEqual(Math.floor(before));
    expect(described.creationDate!.getTime()).toBeLessThanOrEqual(emulator.clock.now());
  });

  test('capability summaries list namespace and status, never the configuration', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    // A long device delay keeps the status OUT_OF_SYNC however slow the test machine is.
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.apply(600_000));
    await client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
    }));
    const described = await client.send(new DescribeGatewayCommand({ gatewayId }));
    expect(described.gatewayCapabilitySummaries).toEqual([{ capabilityNamespace: OPC_UA_NAMESPACE, capabilitySyncStatus: 'OUT_OF_SYNC' }]);
  });

  test('UpdateGateway renames, ListGateways pages, DeleteGateway answers 200 and the gateway is gone', async () => {
    const ids = [1, 2, 3].map((n) => emulator.sitewise.createGateway({ gatewayName: `gw-${n}` }));
    await client.send(new UpdateGatewayCommand({ gatewayId: ids[0], gatewayName: 'renamed' }));
    const first = await client.send(new ListGatewaysCommand({ maxResults: 2 }));
    const second = await client.send(new ListGatewaysCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect([...first.gatewaySummaries!, ...second.gatewaySummaries!].map((g) => g.gatewayName)).toEqual(['renamed', 'gw-2', 'gw-3']);
    expect(second.nextToken).toBeUndefined();

    const deleted = await client.send(new DeleteGatewayCommand({ gatewayId: ids[1] }));
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    await expect(client.send(new DescribeGatewayCommand({ gatewayId: ids[1] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('a gateway deleted out of band is gone for the API, and its device history stays in the event log', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.apply(600_000));
    await client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
    }));
    emulator.sitewise.deleteGatewayOutOfBand(gatewayId);
    await expect(client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining(gatewayId) });
    expect(emulator.events.map((e) => e.to)).toEqual(['OUT_OF_SYNC']);
  });

  test('region and account are configurable', async () => {
    const other = await startEmulator({ region: 'eu-west-1', accountId: '111122223333' });
    try {
      const otherClient = siteWiseClient(other, { region: 'eu-west-1' });
      const { gatewayArn } = await otherClient.send(new CreateGatewayCommand({
        gatewayName: 'eu', gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'eu-core' } },
      }));
      expect(gatewayArn).toMatch(/^arn:aws:iotsitewise:eu-west-1:111122223333:gateway\//);
      expect(other.requests[0].region).toBe('eu-west-1');
      otherClient.destroy();
    } finally {
      await other.stop();
    }
  });
});

describe('capability configuration', () => {
  test('UpdateGatewayCapabilityConfiguration answers 201 and Describe returns the stored document', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    const document = opcUaDocument();
    const updated = await client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: document,
    }));
    expect(updated.$metadata.httpStatusCode).toBe(201);
    expect(updated).toMatchObject({ capabilityNamespace: OPC_UA_NAMESPACE, capabilitySyncStatus: 'OUT_OF_SYNC' });

    const described = await client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE }));
    expect(described).toMatchObject({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: document });
    // The SDK percent-encodes the namespace label; the emulator decodes it.
    const describeRequest = emulator.requests.find((r) => r.operation === 'DescribeGatewayCapabilityConfiguration')!;
    expect(describeRequest.path).toBe(`/20200301/gateways/${gatewayId}/capability/iotsitewise%3Aopcuacollector%3A3`);
    expect(describeRequest.input).toEqual({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE });
  });

  test('an update overwrites the whole document of its namespace; other namespaces are separate', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    emulator.sitewise.setUpdateProcessingWindow(gatewayId, 0);
    const publisher = JSON.stringify({ sources: [{ type: 'MQTT' }], destinations: [] });
    const updates = [[OPC_UA_NAMESPACE, opcUaDocument()], [OPC_UA_NAMESPACE, opcUaDocument(undefined, 'B')], [PUBLISHER_NAMESPACE, publisher]];
    for (const [namespace, document] of updates) {
      await client.send(new UpdateGatewayCapabilityConfigurationCommand({
        gatewayId, capabilityNamespace: namespace, capabilityConfiguration: document,
      }));
    }
    const opcUa = await client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE }));
    expect(JSON.parse(opcUa.capabilityConfiguration!).sources[0].name).toBe('B');
    expect(emulator.sitewise.gateway(gatewayId)!.namespaces).toEqual([OPC_UA_NAMESPACE, PUBLISHER_NAMESPACE]);
  });

  test('Describe of a namespace without configuration is ResourceNotFoundException 404', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    const error = await client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ message: expect.stringContaining(OPC_UA_NAMESPACE), $metadata: { httpStatusCode: 404 } });
  });

  test('updates for an unknown gateway are ResourceNotFoundException', async () => {
    await expect(client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId: '7b2cd9a4-4d1e-4c1a-9d43-1f7a0e3b6c21', capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
    }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Gateway 7b2cd9a4-4d1e-4c1a-9d43-1f7a0e3b6c21 does not exist' });
  });
});

describe('input validation (InvalidRequestException 400, message names the member)', () => {
  let gatewayId: string;
  beforeEach(() => {
    gatewayId = emulator.sitewise.createGateway();
  });

  test.each([
    ['not a UUID', 'gateway-1'],
    ['uppercase hex', '7B2CD9A4-4D1E-4C1A-9D43-1F7A0E3B6C21'],
    ['the all-zero UUID', '00000000-0000-0000-0000-000000000000'],
  ])('gatewayId: %s', async (_case, badId) => {
    const error = await client.send(new DescribeGatewayCommand({ gatewayId: badId })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error).toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(/^\d validation errors? detected: Value '.*' at 'gatewayId' failed to satisfy constraint/),
    });
  });

  test.each([
    ['no version', 'iotsitewise:opcuacollector'],
    ['digits in the service part', 'iot5itewise:opcuacollector:3'],
    ['too long', `${'a'.repeat(500)}:${'b'.repeat(10)}:3`],
  ])('capabilityNamespace: %s', async (_case, namespace) => {
    await expect(client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: namespace, capabilityConfiguration: '{}',
    }))).rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringContaining("at 'capabilityNamespace'") });
    await expect(client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: namespace })))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringContaining("at 'capabilityNamespace'") });
  });

  test('capabilityConfiguration must be 1..10,000,000 characters', async () => {
    const send = (capabilityConfiguration: string) => client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: PUBLISHER_NAMESPACE, capabilityConfiguration,
    }));
    await expect(send('')).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining("at 'capabilityConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    });
    await expect(send('x'.repeat(10_000_001))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining('Member must have length less than or equal to 10000000'),
    });
    await expect(send('x'.repeat(10_000_000))).resolves.toMatchObject({ capabilitySyncStatus: 'OUT_OF_SYNC' });
  });

  test('missing required members are reported together', async () => {
    // The SDK does no client-side validation, so an incomplete input reaches the service.
    await expect(client.send(new UpdateGatewayCapabilityConfigurationCommand({ gatewayId } as never))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: "2 validation errors detected: Value null at 'capabilityNamespace' failed to satisfy constraint: Member must not be null; "
        + "Value null at 'capabilityConfiguration' failed to satisfy constraint: Member must not be null",
    });
  });

  test('CreateGateway checks name, platform and version', async () => {
    const create = (input: object) => client.send(new CreateGatewayCommand(input as never));
    await expect(create({ gatewayPlatform: { siemensIE: { iotCoreThingName: 't' } } }))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringContaining("at 'gatewayName'") });
    await expect(create({ gatewayName: 'g' }))
      .rejects.toMatchObject({ name: 'InvalidRequestException', message: expect.stringContaining("at 'gatewayPlatform'") });
    await expect(create({ gatewayName: 'g', gatewayPlatform: { greengrassV2: {} } }))
      .rejects.toMatchObject({ message: expect.stringContaining("at 'gatewayPlatform.greengrassV2.coreDeviceThingName'") });
    await expect(create({ gatewayName: 'g', gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'bad name' } } }))
      .rejects.toMatchObject({ message: expect.stringContaining('Member must satisfy regular expression pattern') });
    await expect(create({ gatewayName: 'g', gatewayVersion: 'v3', gatewayPlatform: { siemensIE: { iotCoreThingName: 't' } } }))
      .rejects.toMatchObject({ message: expect.stringContaining("at 'gatewayVersion'") });
    await expect(create({ gatewayName: 'g', gatewayVersion: '3', gatewayPlatform: { greengrassV2: { coreDeviceThingName: 't' } } }))
      .rejects.toMatchObject({ message: expect.stringContaining('coreDeviceOperatingSystem') });
    await expect(create({ gatewayName: 'x'.repeat(257), gatewayPlatform: { siemensIE: { iotCoreThingName: 't' } } }))
      .rejects.toMatchObject({ message: expect.stringContaining('less than or equal to 256') });
    await expect(create({ gatewayName: 'g', gatewayPlatform: { siemensIE: { iotCoreThingName: 't' }, greengrassV2: { coreDeviceThingName: 't' } } }))
      .rejects.toMatchObject({ message: expect.stringContaining('exactly one of greengrass, greengrassV2, siemensIE') });
    const tooManyTags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expect(create({ gatewayName: 'g', gatewayPlatform: { siemensIE: { iotCoreThingName: 't' } }, tags: tooManyTags }))
      .rejects.toMatchObject({ message: expect.stringContaining("at 'tags'") });
    await expect(create({ gatewayName: 'g', gatewayPlatform: { greengrass: { groupArn: 'not-an-arn' } } }))
      .rejects.toMatchObject({ message: expect.stringContaining("at 'gatewayPlatform.greengrass.groupArn'") });
  });

  test('the createGateway helper validates like the API', () => {
    expect(() => emulator.sitewise.createGateway({ gatewayName: '' })).toThrow(/at 'gatewayName'/);
  });
});

describe('SDK endpoint resolution', () => {
  test('clientConfig() and environment() describe how to reach the emulator', async () => {
    const configured = new IoTSiteWiseClient({ ...emulator.clientConfig(), maxAttempts: 1 });
    try {
      await expect(configured.send(new ListGatewaysCommand({}))).resolves.toMatchObject({ gatewaySummaries: [] });
    } finally {
      configured.destroy();
    }
    expect(emulator.environment()).toMatchObject({ AWS_ENDPOINT_URL: emulator.url, AWS_REGION: 'us-east-1' });
  });

  const variables = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IOTSITEWISE'] as const;
  const saved: Partial<Record<string, string>> = {};
  beforeEach(() => variables.forEach((name) => {
    saved[name] = process.env[name];
    delete process.env[name];
  }));
  afterEach(() => variables.forEach((name) => {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }));

  const clientWithoutEndpoint = (disableHostPrefix: boolean) => new IoTSiteWiseClient({
    region: 'us-east-1',
    credentials: { ...EMULATOR_CREDENTIALS },
    disableHostPrefix,
    maxAttempts: 1,
  });

  test.each(variables)('%s without an endpoint option reaches the emulator', async (variable) => {
    const gatewayId = emulator.sitewise.createGateway();
    process.env[variable] = emulator.url;
    const envClient = clientWithoutEndpoint(true);
    try {
      await expect(envClient.send(new DescribeGatewayCommand({ gatewayId }))).resolves.toMatchObject({ gatewayId });
    } finally {
      envClient.destroy();
    }
    expect(emulator.requests).toMatchObject([{ operation: 'DescribeGateway', host: new URL(emulator.url).host, status: 200 }]);
  });

  test('without disableHostPrefix the SDK sends SiteWise requests to api.<endpoint host>, which does not resolve', async () => {
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const prefixedClient = clientWithoutEndpoint(false);
    try {
      await expect(prefixedClient.send(new DescribeGatewayCommand({ gatewayId: emulator.sitewise.createGateway() })))
        .rejects.toThrow(/ENOTFOUND api\.127\.0\.0\.1/);
    } finally {
      prefixedClient.destroy();
    }
    expect(emulator.requests).toHaveLength(0);
  });
});
