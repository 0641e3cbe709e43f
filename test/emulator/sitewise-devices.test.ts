import {
  DescribeGatewayCapabilityConfigurationCommand, IoTSiteWiseClient, UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { lastRequestAt, opcUaDocument, OPC_UA_NAMESPACE, PUBLISHER_NAMESPACE, siteWiseClient, startEmulator } from './emulator-test-support';
import { DEFAULT_SYNC_DELAY_MS, DeviceBehaviours, type LocalAwsEndpoint } from '../support/emulator';

let emulator: LocalAwsEndpoint;
let client: IoTSiteWiseClient;

beforeAll(async () => {
  // These tests send updates back to back to study device behaviour; the conflict rule is sitewise-api's.
  emulator = await startEmulator({ sitewise: { updateProcessingMs: 0 } });
  client = siteWiseClient(emulator);
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

async function update(gatewayId: string, document: string, namespace: string = OPC_UA_NAMESPACE) {
  return client.send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId, capabilityNamespace: namespace, capabilityConfiguration: document,
  }));
}

async function syncStatus(gatewayId: string, namespace: string = OPC_UA_NAMESPACE) {
  const described = await client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: namespace }));
  return described.capabilitySyncStatus;
}

test('apply: OUT_OF_SYNC right after the update, IN_SYNC after the delay, at exactly update time + delay', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.apply(10_000));
  const document = opcUaDocument();

  const updated = await update(gatewayId, document);
  expect(updated.capabilitySyncStatus).toBe('OUT_OF_SYNC');
  expect(await syncStatus(gatewayId)).toBe('OUT_OF_SYNC');
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({
    syncStatus: 'OUT_OF_SYNC', cloudConfiguration: document, appliedConfiguration: undefined, updates: 1,
  });

  await emulator.clock.sleep(12_000);
  expect(await syncStatus(gatewayId)).toBe('IN_SYNC');
  const updateAt = lastRequestAt(emulator, 'UpdateGatewayCapabilityConfiguration');
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({
    syncStatus: 'IN_SYNC',
    appliedConfiguration: document,
    history: [{ at: updateAt, status: 'OUT_OF_SYNC' }, { at: updateAt + 10_000, status: 'IN_SYNC' }],
  });
});

test('unscripted devices apply after 2 simulated seconds', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  await update(gatewayId, opcUaDocument());
  await emulator.clock.sleep(3_000);
  expect(await syncStatus(gatewayId)).toBe('IN_SYNC');
  const [outOfSync, inSync] = emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).history;
  expect(inSync.at - outOfSync.at).toBe(2_000);
});

test('reject: SYNC_FAILED after the delay; the device keeps running its previous document', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  const good = opcUaDocument('opc.tcp://10.0.0.1:4840');
  await update(gatewayId, good);
  await emulator.clock.sleep(3_000);

  emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.reject(1_000, 'node filter overlaps'));
  const next = opcUaDocument('opc.tcp://10.0.0.2:4840');
  expect((await update(gatewayId, next)).capabilitySyncStatus).toBe('OUT_OF_SYNC');
  await emulator.clock.sleep(2_000);

  expect(await syncStatus(gatewayId)).toBe('SYNC_FAILED');
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({
    syncStatus: 'SYNC_FAILED', cloudConfiguration: next, appliedConfiguration: good, rejectionReason: 'node filter overlaps', updates: 2,
  });
});

test.each(['OUT_OF_SYNC', 'UNKNOWN'] as const)('offline (%s): the update answers OUT_OF_SYNC, then the status settles and never changes', async (status) => {
  const gatewayId = emulator.sitewise.createGateway();
  emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.offline(status));
  expect((await update(gatewayId, opcUaDocument())).capabilitySyncStatus).toBe('OUT_OF_SYNC');
  await emulator.clock.sleep(20_000);
  expect(await syncStatus(gatewayId)).toBe(status);
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({ appliedConfiguration: undefined, nextReportAt: undefined });
});

test('notApplicable: the update answers OUT_OF_SYNC (as the API documents for every update), then NOT_APPLICABLE after the delay', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  emulator.sitewise.scriptDevice(gatewayId, PUBLISHER_NAMESPACE, DeviceBehaviours.notApplicable(1_000));
  expect((await update(gatewayId, '{}', PUBLISHER_NAMESPACE)).capabilitySyncStatus).toBe('OUT_OF_SYNC');
  await emulator.clock.sleep(1_000);
  expect(await syncStatus(gatewayId, PUBLISHER_NAMESPACE)).toBe('NOT_APPLICABLE');
});

describe('content check', () => {
  test('an OPC UA source whose endpointUri is not opc.tcp:// is rejected, with the reason recorded', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    await update(gatewayId, opcUaDocument('http://203.0.113.0:49320', 'Line 4'));
    await emulator.clock.sleep(3_000);
    expect(await syncStatus(gatewayId)).toBe('SYNC_FAILED');
    const device = emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE);
    expect(device.rejectionReason).toBe('source \'Line 4\': endpointUri "http://203.0.113.0:49320" does not start with opc.tcp://');
    expect(device.appliedConfiguration).toBeUndefined();
  });

  test('documents that are not JSON or have no sources list are rejected; other namespaces are not checked', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    await update(gatewayId, 'not json');
    await update(gatewayId, '{"sources":[]}', 'iotsitewise:opcuacollector:2');
    await update(gatewayId, 'not json either', PUBLISHER_NAMESPACE);
    await emulator.clock.sleep(3_000);
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).rejectionReason).toMatch(/^capability configuration is not valid JSON/);
    expect(await syncStatus(gatewayId, 'iotsitewise:opcuacollector:2')).toBe('IN_SYNC');
    expect(await syncStatus(gatewayId, PUBLISHER_NAMESPACE)).toBe('IN_SYNC');
  });

  test('a custom rejectWhen replaces the default check; rejectWhen: false accepts anything', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    emulator.sitewise.scriptDevice(gatewayId, PUBLISHER_NAMESPACE, {
      behaviour: DeviceBehaviours.apply(1_000),
      rejectWhen: (document) => (document.includes('RECENT_DATA') ? 'publishingOrder RECENT_DATA unsupported' : undefined),
    });
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, { behaviour: DeviceBehaviours.apply(1_000), rejectWhen: false });
    await update(gatewayId, '{"publishingOrder":"RECENT_DATA"}', PUBLISHER_NAMESPACE);
    await update(gatewayId, opcUaDocument('http://not-opc'));
    await emulator.clock.sleep(2_000);
    expect(emulator.sitewise.device(gatewayId, PUBLISHER_NAMESPACE)).toMatchObject({
      syncStatus: 'SYNC_FAILED', rejectionReason: 'publishingOrder RECENT_DATA unsupported',
    });
    expect(await syncStatus(gatewayId)).toBe('IN_SYNC');
  });
});

describe('scripts that change per update', () => {
  test('a behaviour list: reject the 2nd update, apply the rollback', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, [
      DeviceBehaviours.apply(1_000), DeviceBehaviours.reject(1_000, 'bad change'), DeviceBehaviours.apply(1_000),
    ]);
    const v1 = opcUaDocument('opc.tcp://v1:4840');
    const v2 = opcUaDocument('opc.tcp://v2:4840');
    const statuses: Array<string | undefined> = [];
    for (const document of [v1, v2, v1]) {
      await update(gatewayId, document);
      await emulator.clock.sleep(2_000);
      statuses.push(await syncStatus(gatewayId));
    }
    expect(statuses).toEqual(['IN_SYNC', 'SYNC_FAILED', 'IN_SYNC']);
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({ appliedConfiguration: v1, updates: 3 });
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).history.map((h) => h.status)).toEqual([
      'OUT_OF_SYNC', 'IN_SYNC', 'OUT_OF_SYNC', 'SYNC_FAILED', 'OUT_OF_SYNC', 'IN_SYNC',
    ]);
  });

  test('a list set after earlier updates starts with the next update; its last entry repeats', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    await update(gatewayId, opcUaDocument());
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, [DeviceBehaviours.notApplicable(), DeviceBehaviours.offline()]);
    await update(gatewayId, opcUaDocument());
    await emulator.clock.sleep(DEFAULT_SYNC_DELAY_MS);
    expect(await syncStatus(gatewayId)).toBe('NOT_APPLICABLE');
    await update(gatewayId, opcUaDocument());
    await update(gatewayId, opcUaDocument());
    await emulator.clock.sleep(20_000);
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({ syncStatus: 'OUT_OF_SYNC', nextReportAt: undefined });
  });

  test('a default script function can pick behaviours by gateway name and update number', async () => {
    emulator.sitewise.setDefaultScript(({ gatewayName, updateNumber }) => (gatewayName === 'flaky' && updateNumber === 1
      ? DeviceBehaviours.reject(500)
      : DeviceBehaviours.apply(500)));
    const flaky = emulator.sitewise.createGateway({ gatewayName: 'flaky' });
    const steady = emulator.sitewise.createGateway({ gatewayName: 'steady' });
    await update(flaky, opcUaDocument());
    await update(steady, opcUaDocument());
    await emulator.clock.sleep(1_000);
    expect([await syncStatus(flaky), await syncStatus(steady)]).toEqual(['SYNC_FAILED', 'IN_SYNC']);
    await update(flaky, opcUaDocument());
    await emulator.clock.sleep(1_000);
    expect(await syncStatus(flaky)).toBe('IN_SYNC');
  });

  test('the default script can be given at start and reset() restores it', async () => {
    const other = await startEmulator({ sitewise: { defaultScript: DeviceBehaviours.offline('UNKNOWN') } });
    const otherClient = siteWiseClient(other);
    try {
      other.sitewise.setDefaultScript(DeviceBehaviours.notApplicable());
      other.reset();
      const gatewayId = other.sitewise.createGateway();
      const updated = await otherClient.send(new UpdateGatewayCapabilityConfigurationCommand({
        gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
      }));
      expect(updated.capabilitySyncStatus).toBe('OUT_OF_SYNC');
      await other.clock.sleep(20_000);
      expect(other.sitewise.device(gatewayId, OPC_UA_NAMESPACE).syncStatus).toBe('UNKNOWN');
    } finally {
      otherClient.destroy();
      await other.stop();
    }
  });
});

test('a newer update supersedes the report still pending for the previous one', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, [DeviceBehaviours.apply(60_000), DeviceBehaviours.apply(1_000)]);
  const slow = opcUaDocument('opc.tcp://slow:4840');
  const fast = opcUaDocument('opc.tcp://fast:4840');
  await update(gatewayId, slow);
  await update(gatewayId, fast);
  await emulator.clock.sleep(2_000);
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: fast });
  // OUT_OF_SYNC → OUT_OF_SYNC is no change, so the history has a single OUT_OF_SYNC entry.
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).history.map((h) => h.status)).toEqual(['OUT_OF_SYNC', 'IN_SYNC']);
});

describe('recording', () => {
  test('events carry the exact simulated time of each change, even when observed much later', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.reject(5_000, 'nope'));
    emulator.sitewise.scriptDevice(gatewayId, PUBLISHER_NAMESPACE, DeviceBehaviours.apply(1_000));
    await update(gatewayId, opcUaDocument());
    const opcUaAt = lastRequestAt(emulator, 'UpdateGatewayCapabilityConfiguration');
    await update(gatewayId, '{}', PUBLISHER_NAMESPACE);
    const publisherAt = lastRequestAt(emulator, 'UpdateGatewayCapabilityConfiguration');
    await emulator.clock.sleep(8_000);

    expect(emulator.events).toEqual([
      { service: 'iotsitewise', at: opcUaAt, gatewayId, namespace: OPC_UA_NAMESPACE, from: undefined, to: 'OUT_OF_SYNC' },
      { service: 'iotsitewise', at: publisherAt, gatewayId, namespace: PUBLISHER_NAMESPACE, from: undefined, to: 'OUT_OF_SYNC' },
      { service: 'iotsitewise', at: publisherAt + 1_000, gatewayId, namespace: PUBLISHER_NAMESPACE, from: 'OUT_OF_SYNC', to: 'IN_SYNC' },
      { service: 'iotsitewise', at: opcUaAt + 5_000, gatewayId, namespace: OPC_UA_NAMESPACE, from: 'OUT_OF_SYNC', to: 'SYNC_FAILED', reason: 'nope' },
    ]);
  });

  test('requests are recorded with simulated time, operation, host and status', async () => {
    const start = emulator.clock.now();
    const gatewayId = emulator.sitewise.createGateway();
    await update(gatewayId, opcUaDocument());
    await client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: PUBLISHER_NAMESPACE }))
      .catch(() => undefined);
    expect(emulator.requests).toMatchObject([
      {
        service: 'iotsitewise',
        operation: 'UpdateGatewayCapabilityConfiguration',
        method: 'POST',
        path: `/20200301/gateways/${gatewayId}/capability`,
        host: new URL(emulator.url).host,
        status: 201,
      },
      { operation: 'DescribeGatewayCapabilityConfiguration', method: 'GET', status: 404, errorCode: 'ResourceNotFoundException' },
    ]);
    expect(emulator.requests[0].at).toBeGreaterThanOrEqual(start);
    expect(emulator.requests[1].at).toBeGreaterThanOrEqual(emulator.requests[0].at);
    expect(emulator.requests[0].input).toMatchObject({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE });
  });

  test('inspecting a device of an unknown gateway or namespace is a test error', () => {
    const gatewayId = emulator.sitewise.createGateway();
    expect(() => emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toThrow(/no device for namespace/);
    expect(() => emulator.sitewise.scriptDevice('nope', OPC_UA_NAMESPACE, DeviceBehaviours.apply())).toThrow(/no gateway nope/);
  });

  test('reset() clears gateways, devices, faults and records, and restarts gateway ids', async () => {
    const firstId = emulator.sitewise.createGateway();
    await update(firstId, opcUaDocument());
    emulator.faults.set({ throttleRate: 1 });
    emulator.reset();
    expect([emulator.requests, emulator.events, emulator.sitewise.gatewayIds()]).toEqual([[], [], []]);
    expect(emulator.sitewise.createGateway()).toBe(firstId);
    await expect(syncStatus(firstId)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
