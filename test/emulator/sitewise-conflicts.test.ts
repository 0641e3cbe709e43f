import { ConflictingOperationException, IoTSiteWiseClient, UpdateGatewayCapabilityConfigurationCommand } from '@aws-sdk/client-iotsitewise';
import { opcUaDocument, OPC_UA_NAMESPACE, PUBLISHER_NAMESPACE, siteWiseClient, startEmulator } from './emulator-test-support';
import { ManualClock } from './kinesis-video-test-support';
import { DEFAULT_UPDATE_PROCESSING_MS, type LocalAwsEndpoint } from '../support/emulator';

// A gateway processes one capability configuration update at a time: another update of it within
// its processing window is refused, as parallel resources on one gateway would meet it. The clock
// moves only when told, so the window's edges are exact.
const clock = new ManualClock();
let emulator: LocalAwsEndpoint;
let client: IoTSiteWiseClient;

beforeAll(async () => {
  emulator = await startEmulator({ clock });
  client = siteWiseClient(emulator);
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

test('an update of a gateway still processing the previous one is ConflictingOperationException 409 with resourceId and resourceArn', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  const other = emulator.sitewise.createGateway();
  emulator.sitewise.setUpdateProcessingWindow(gatewayId, 5_000);
  const update = (id: string, namespace: string, document: string) => client.send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId: id, capabilityNamespace: namespace, capabilityConfiguration: document,
  }));
  const publisher = JSON.stringify({ sources: [{ type: 'MQTT' }], destinations: [] });

  await update(gatewayId, OPC_UA_NAMESPACE, opcUaDocument());
  // Any namespace of the same gateway conflicts; another gateway does not.
  const conflict = await update(gatewayId, PUBLISHER_NAMESPACE, publisher).catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(ConflictingOperationException);
  expect(conflict).toMatchObject({
    $metadata: { httpStatusCode: 409 },
    resourceId: gatewayId,
    resourceArn: `arn:aws:iotsitewise:us-east-1:123456789012:gateway/${gatewayId}`,
  });
  await expect(update(other, PUBLISHER_NAMESPACE, publisher)).resolves.toBeDefined();
  // The refused update stored nothing.
  expect(emulator.sitewise.gateway(gatewayId)!.namespaces).toEqual([OPC_UA_NAMESPACE]);

  clock.advance(5_000);
  await expect(update(gatewayId, PUBLISHER_NAMESPACE, publisher)).resolves.toBeDefined();
  expect(emulator.sitewise.gateway(gatewayId)!.namespaces).toEqual([OPC_UA_NAMESPACE, PUBLISHER_NAMESPACE]);
});

test('the default processing window is DEFAULT_UPDATE_PROCESSING_MS; 0 never conflicts', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  const update = () => client.send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
  }));
  await update();
  await expect(update()).rejects.toBeInstanceOf(ConflictingOperationException);
  clock.advance(DEFAULT_UPDATE_PROCESSING_MS - 1);
  await expect(update()).rejects.toBeInstanceOf(ConflictingOperationException);
  clock.advance(1);
  await expect(update()).resolves.toBeDefined();
  emulator.sitewise.setDefaultUpdateProcessingWindow(0);
  clock.advance(DEFAULT_UPDATE_PROCESSING_MS);
  await expect(update()).resolves.toBeDefined();
  await expect(update()).resolves.toBeDefined();
  expect(() => emulator.sitewise.setUpdateProcessingWindow(gatewayId, -1)).toThrow(/>= 0/);
});
