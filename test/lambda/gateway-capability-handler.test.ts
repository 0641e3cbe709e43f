import {
  ConflictingOperationException,
  DescribeGatewayCapabilityConfigurationCommand,
  InternalFailureException,
  InvalidRequestException,
  IoTSiteWiseClient,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  ThrottlingException,
  UntagResourceCommand,
  UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  context, DOCUMENT, GATEWAY_ID, isCompleteRequest, mockGatewayTags, NAMESPACE, OLD_DOCUMENT, onEventRequest, properties, runHandlers, useFakeClock,
  withFakeTime,
} from './events';
import { isComplete, onEvent } from '../../lambda';
import { documentDigest } from '../../lambda/gateway-capability/document-digest';

const sitewise = mockClient(IoTSiteWiseClient);
const START = Date.parse('2026-11-21T10:00:00Z');
const PHYSICAL_ID = `${GATEWAY_ID}/${NAMESPACE}`;
const meta = { $metadata: {} };

/** The gateway's tags, as TagResource, UntagResource and ListTagsForResource see them. */
let gatewayTags: Record<string, string> = {};
useFakeClock(START, () => {
  sitewise.reset();
  gatewayTags = mockGatewayTags(sitewise);
  storedDocument = undefined;
});

/** The document the last UpdateGatewayCapabilityConfiguration wrote, which Describe returns. */
let storedDocument: string | undefined;

function acceptUpdates(status = 'OUT_OF_SYNC') {
  storedDocument = undefined;
  sitewise.on(UpdateGatewayCapabilityConfigurationCommand).callsFake((input) => {
    storedDocument = input.capabilityConfiguration;
    return { capabilityNamespace: NAMESPACE, capabilitySyncStatus: status as any };
  });
}

/** Describe answers `statuses` in turn, then the last one again, with the stored document. */
function describeReturns(...statuses: string[]) {
  let calls = 0;
  sitewise.on(DescribeGatewayCapabilityConfigurationCommand).callsFake(() => described(statuses[Math.min(calls++, statuses.length - 1)]));
}

function described(status: string, configuration: string = storedDocument ?? DOCUMENT) {
  return { gatewayId: GATEWAY_ID, capabilityNamespace: NAMESPACE, capabilityConfiguration: configuration, capabilitySyncStatus: status as any };
}

const OWNER = `cdk-edge-sync:owner:${NAMESPACE}`;
const HANDOVER = `cdk-edge-sync:handover:${NAMESPACE}`;
const ME = 'test/Collector';

/** The wait state of an onEvent whose time ran out before it finished its calls. */
function unfinished() {
  return { Mode: 'wait' as const, StartedAt: START, Deadline: START + 900_000, Unfinished: true as const };
}

describe('onEvent Create and Update', () => {
  test('Create writes the document and hands a wait with the sync timeout to isComplete', async () => {
    acceptUpdates();
    const response = await onEvent(onEventRequest('Create'), context());
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 1);
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, {
      gatewayId: GATEWAY_ID, capabilityNamespace: NAMESPACE, capabilityConfiguration: DOCUMENT,
    });
    expect(response).toEqual({
      PhysicalResourceId: PHYSICAL_ID,
      EdgeSyncWait: {
        Mode: 'wait', StartedAt: START, Deadline: START + 900_000, AcceptedStatus: 'OUT_OF_SYNC', AppliedDigest: documentDigest(DOCUMENT),
      },
    });
  });

  test('Update of the document keeps the physical id', async () => {
    acceptUpdates();
    const response = await onEvent(onEventRequest('Update', { OldResourceProperties: properties({ CapabilityConfiguration: OLD_DOCUMENT }) }), context());
    expect(response.PhysicalResourceId).toBe(PHYSICAL_ID);
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: DOCUMENT });
  });

  test('Update to another namespace writes there and returns a new physical id (replacement)', async () => {
    acceptUpdates();
    const request = onEventRequest('Update', {
      ResourceProperties: properties({ CapabilityNamespace: 'iotsitewise:opcuacollector:2' }),
      OldResourceProperties: properties(),
    });
    const response = await onEvent(request, context());
    expect(response.PhysicalResourceId).toBe(`${GATEWAY_ID}/iotsitewise:opcuacollector:2`);
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityNamespace: 'iotsitewise:opcuacollector:2' });
  });

  test('a rollback Update (old and new swapped) writes the previous document back', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC', 'IN_SYNC');
    const rollback = onEventRequest('Update', {
      ResourceProperties: properties({ CapabilityConfiguration: OLD_DOCUMENT }),
      OldResourceProperties: properties({ CapabilityConfiguration: DOCUMENT }),
    });
    const { complete } = await runHandlers(rollback);
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: OLD_DOCUMENT });
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
  });

  describe('when throttling, 500s or conflicting operations outlast onEvent\'s time (the client retries within it; its last error reaches the handler)', () => {
    const throttled = () => new ThrottlingException({ message: 'Rate exceeded', ...meta });
    /** The first write is throttled; the later ones are stored, and Describe answers IN_SYNC with what is stored. */
    const firstWriteThrottled = () => {
      let writes = 0;
      sitewise.on(UpdateGatewayCapabilityConfigurationCommand).callsFake((input) => {
        if (writes++ === 0) return Promise.reject(throttled());
        storedDocument = input.capabilityConfiguration;
        return { capabilitySyncStatus: 'OUT_OF_SYNC' };
      });
      sitewise.on(DescribeGatewayCapabilityConfigurationCommand).callsFake(() => described('IN_SYNC'));
    };

    test.each([
      ['the claim', ListTagsForResourceCommand, throttled()],
      ['the write', UpdateGatewayCapabilityConfigurationCommand, new ConflictingOperationException({ message: 'Update in progress', resourceId: GATEWAY_ID, resourceArn: 'arn', ...meta })],
      ['the write', UpdateGatewayCapabilityConfigurationCommand, new InternalFailureException({ message: 'Internal failure', $metadata: { httpStatusCode: 500 } })],
    ])('onEvent leaves %s to isComplete (%p)', async (_, command, error) => {
      sitewise.on(command as any).rejects(error);
      const response = await onEvent(onEventRequest('Create'), context());
      expect(response).toEqual({ PhysicalResourceId: PHYSICAL_ID, EdgeSyncWait: { Mode: 'wait', StartedAt: START, Deadline: START + 900_000, Unfinished: true } });
    });

    test('isComplete claims the namespace, writes the document, then waits for it', async () => {
      const request = onEventRequest('Create');
      storedDocument = OLD_DOCUMENT;
      firstWriteThrottled();
      const response = await onEvent(request, context());
      const complete = await withFakeTime(() => isComplete(isCompleteRequest(request, response), context()));
      expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
      expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 2);
      expect(gatewayTags).toEqual({ [OWNER]: ME });
    });

    test('a later isComplete invocation does not write again a document the gateway already stores (an earlier one wrote it)', async () => {
      gatewayTags[OWNER] = ME;
      describeReturns('OUT_OF_SYNC', 'IN_SYNC');
      const request = onEventRequest('Create');
      const event = isCompleteRequest(request, { PhysicalResourceId: PHYSICAL_ID, EdgeSyncWait: unfinished() });
      const complete = await withFakeTime(() => isComplete(event, context()));
      expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
      expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
    });

    test('isComplete whose own time runs out first answers not complete; the next invocation goes on', async () => {
      sitewise.on(ListTagsForResourceCommand).rejects(throttled());
      const request = onEventRequest('Create');
      const complete = await isComplete(isCompleteRequest(request, { PhysicalResourceId: PHYSICAL_ID, EdgeSyncWait: unfinished() }), context());
      expect(complete).toEqual({ IsComplete: false });
    });

    test('throttling that outlasts the sync timeout fails with the last error', async () => {
      sitewise.on(UpdateGatewayCapabilityConfigurationCommand).rejects(throttled());
      sitewise.on(DescribeGatewayCapabilityConfigurationCommand).resolves(described('IN_SYNC', OLD_DOCUMENT));
      const request = onEventRequest('Create', { ResourceProperties: properties({ SyncTimeoutSeconds: '60' }) });
      const wait = { ...unfinished(), Deadline: START + 60_000 };
      await expect(isComplete(isCompleteRequest(request, { PhysicalResourceId: PHYSICAL_ID, EdgeSyncWait: wait }), context())).rejects.toThrow(
        `Timed out after 1 minute: could not apply the configuration of ${NAMESPACE} of gateway ${GATEWAY_ID}; the last call failed with ThrottlingException: Rate exceeded`,
      );
    });

    test('a Delete leaves the reset to isComplete, which writes the empty document, waits and releases the namespace', async () => {
      gatewayTags[OWNER] = ME;
      firstWriteThrottled();
      const request = onEventRequest('Delete');
      const response = await onEvent(request, context());
      expect(response.EdgeSyncWait).toMatchObject({ Mode: 'wait', Unfinished: true });
      const complete = await withFakeTime(() => isComplete(isCompleteRequest(request, response), context()));
      expect(complete).toEqual({ IsComplete: true });
      // onEvent's throttled attempt, then isComplete's.
      expect(sitewise.commandCalls(UpdateGatewayCapabilityConfigurationCommand).map((c) => c.args[0].input.capabilityConfiguration)).toEqual(['{"sources":[]}', '{"sources":[]}']);
      expect(gatewayTags).toEqual({});
    });

    test('a Delete whose resource no longer owns the namespace leaves it to isComplete, which only confirms the handover', async () => {
      gatewayTags[OWNER] = 'Plant/NewName';
      gatewayTags[HANDOVER] = ME;
      sitewise.on(UntagResourceCommand).rejectsOnce(throttled()).callsFake((input) => {
        for (const key of input.tagKeys) delete gatewayTags[key];
        return {};
      });
      const request = onEventRequest('Delete');
      const response = await onEvent(request, context());
      expect(await isComplete(isCompleteRequest(request, response), context())).toEqual({ IsComplete: true });
      expect(gatewayTags).toEqual({ [OWNER]: 'Plant/NewName' });
      expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
    });
  });

  test.each([
    ['a gateway that does not exist', new ResourceNotFoundException({ message: 'Gateway not found', ...meta }), 'ResourceNotFoundException: Gateway not found'],
    ['an invalid request', new InvalidRequestException({ message: 'Invalid capability configuration', ...meta }), 'InvalidRequestException: Invalid capability configuration'],
    ['access denied', Object.assign(new Error('User is not authorized to perform iotsitewise:UpdateGatewayCapabilityConfiguration'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }), 'AccessDeniedException: User is not authorized'],
  ])('fails at once on %s, naming gateway, namespace and error', async (_, error, expected) => {
    sitewise.on(UpdateGatewayCapabilityConfigurationCommand).rejects(error);
    const failure = onEvent(onEventRequest('Create'), context());
    await expect(failure).rejects.toThrow(`Could not apply the configuration of ${NAMESPACE} of gateway ${GATEWAY_ID}: ${expected}`);
    await expect(failure).rejects.toHaveProperty('name', 'TerminalError');
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 1);
  });

  test.each([
    ['GatewayId', 'gateway-1', 'Invalid property: gatewayId must be a gateway UUID'],
    ['CapabilityNamespace', 'opcua', 'Invalid property: capabilityNamespace must have the form service:capability:version'],
    ['CapabilityConfiguration', '{oops', 'Invalid property: capabilityConfiguration must be a JSON document'],
    ['SyncTimeoutSeconds', '3301', 'Invalid property: syncTimeout must be a whole number of seconds from 1 second to 55 minutes, got 3301 seconds'],
    ['WaitForSync', 'yes', 'Property WaitForSync must be "true" or "false", got "yes"'],
  ])('checks %s resolved from a token before calling AWS', async (name, value, message) => {
    acceptUpdates();
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: properties({ [name]: value }) }), context())).rejects.toThrow(message);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test('a typed OPC UA document whose tokens resolved to a bad endpoint is refused before calling AWS', async () => {
    acceptUpdates();
    const document = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"http://10.0.0.1:4840","securityPolicy":"NONE","messageSecurityMode":"NONE"}}]}';
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: properties({ CapabilityConfiguration: document, DocumentRules: 'opcua-collector' }) }), context()))
      .rejects.toThrow('Invalid property: OPC UA source "Line 1": endpointUri must be an OPC UA TCP endpoint, opc.tcp://host:port, got "http://10.0.0.1:4840"');
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test.each([
    ['two real-time destinations',
      '{"sources":[{"type":"MQTT"}],"destinations":[{"type":"SITEWISE_REALTIME","name":"a"},{"type":"SITEWISE_REALTIME","name":"b"}]}',
      'Invalid property: publisher: at most one real-time destination per gateway, got 2'],
    ['a cutoff age of 8 days',
      '{"sources":[{"type":"MQTT"}],"destinations":[{"type":"SITEWISE_REALTIME","name":"a","config":{"dropPolicy":{"cutoffAge":"8d"}}}]}',
      'Invalid property: publisher destination "a": dropPolicy.cutoffAge must be from 5 minutes to 7 days, written like "7d", got "8d"'],
    ['a retention shorter than the rotation',
      '{"SiteWisePublisherConfiguration":{"dropPolicy":{"cutoffAge":"7d","exportPolicy":{"retentionPeriod":"1h","rotationPeriod":"6h"}}}}',
      'Invalid property: publisher SiteWisePublisherConfiguration: dropPolicy.exportPolicy.retentionPeriod (1h) must be at least rotationPeriod (6h)'],
  ])('a typed publisher document with %s after token resolution is refused before calling AWS', async (_, document, message) => {
    acceptUpdates();
    const props = properties({ CapabilityNamespace: 'iotsitewise:publisher:3', CapabilityConfiguration: document, DocumentRules: 'publisher' });
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: props }), context())).rejects.toThrow(message);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test('a plain JSON document is left to the gateway to judge', async () => {
    acceptUpdates();
    const document = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"http://10.0.0.1:4840"}}]}';
    await onEvent(onEventRequest('Create', { ResourceProperties: properties({ CapabilityConfiguration: document }) }), context());
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 1);
  });

  test('a terminal error has a stack of one line, so the CloudFormation reason stays short', async () => {
    sitewise.on(UpdateGatewayCapabilityConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Gateway not found', ...meta }));
    const error: Error = await onEvent(onEventRequest('Create'), context()).catch((e) => e);
    expect(error.stack).toBe(error.message);
    expect(Buffer.byteLength(error.message)).toBeLessThan(400);
  });
});

describe('isComplete', () => {
  test('IN_SYNC completes with the status as an attribute', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    const { complete } = await runHandlers(onEventRequest('Create'));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
    expect(sitewise).toHaveReceivedCommandWith(DescribeGatewayCapabilityConfigurationCommand, {
      gatewayId: GATEWAY_ID,
      capabilityNamespace: NAMESPACE,
    });
  });

  test('OUT_OF_SYNC and UNKNOWN keep waiting, polling once a second in the first minute', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC', 'UNKNOWN', 'OUT_OF_SYNC', 'IN_SYNC');
    const { complete } = await runHandlers(onEventRequest('Create'));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 4);
    expect(Date.now() - START).toBeGreaterThanOrEqual(3_000);
    expect(Date.now() - START).toBeLessThan(4_000);
  });

  test('SYNC_FAILED fails with a reason naming the gateway and namespace', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC', 'SYNC_FAILED');
    await expect(runHandlers(onEventRequest('Create'))).rejects.toThrow(
      `Gateway ${GATEWAY_ID} rejected the configuration of ${NAMESPACE} (capabilitySyncStatus SYNC_FAILED).`,
    );
  });

  test('a document replaced by another writer while the deploy waits fails at once, saying so, even when IN_SYNC', async () => {
    acceptUpdates();
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand)
      .resolvesOnce(described('OUT_OF_SYNC'))
      .resolves({ ...described('IN_SYNC'), capabilityConfiguration: OLD_DOCUMENT });
    await expect(runHandlers(onEventRequest('Create'))).rejects.toThrow(
      `Gateway ${GATEWAY_ID} stores another document for ${NAMESPACE} than the one this deploy applied (capabilitySyncStatus IN_SYNC): ` +
      'another writer',
    );
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 2);
  });

  test('the document stored with another key order and spacing is the one applied', async () => {
    acceptUpdates();
    const reformatted = JSON.stringify({ sources: [{ endpoint: { endpointUri: 'opc.tcp://203.0.113.0:49320' }, name: 'Line 1' }] }, null, 2);
    expect(reformatted).not.toBe(DOCUMENT);
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).resolves({ ...described('IN_SYNC'), capabilityConfiguration: reformatted });
    const { complete } = await runHandlers(onEventRequest('Create'));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
  });

  test('NOT_APPLICABLE succeeds by default', async () => {
    acceptUpdates('NOT_APPLICABLE');
    describeReturns('NOT_APPLICABLE');
    const { complete } = await runHandlers(onEventRequest('Create'));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'NOT_APPLICABLE' } });
  });

  test('NOT_APPLICABLE fails when failOnNotApplicable is set', async () => {
    acceptUpdates('NOT_APPLICABLE');
    describeReturns('NOT_APPLICABLE');
    await expect(runHandlers(onEventRequest('Create', { ResourceProperties: properties({ FailOnNotApplicable: 'true' }) })))
      .rejects.toThrow(`Gateway ${GATEWAY_ID} reports ${NAMESPACE} NOT_APPLICABLE (the capability is not supported) and failOnNotApplicable is set`);
  });

  test('a device that never syncs fails at the sync timeout with the last status seen', async () => {
    acceptUpdates();
    describeReturns('UNKNOWN');
    const request = onEventRequest('Create', { ResourceProperties: properties({ SyncTimeoutSeconds: '120' }) });
    await expect(runHandlers(request, 900_000)).rejects.toThrow(
      `Timed out after 2 minutes waiting for gateway ${GATEWAY_ID} to sync the configuration of ${NAMESPACE}; last seen: capabilitySyncStatus UNKNOWN.`,
    );
    expect(Date.now() - START).toBe(120_000);
  });

  test('an invocation hands back to the framework before its Lambda time runs out, without Data', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC');
    const { complete } = await runHandlers(onEventRequest('Create'), 40_000);
    expect(complete).toEqual({ IsComplete: false });
    // 40 s left minus the 10 s answer margin: polls at 0, 1, ..., 30 s, then hand back.
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 31);
    expect(Date.now() - START).toBeLessThan(31_000);
  });

  test('polling slows down after the first minute: at most one Describe a second, far fewer later', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC');
    const request = onEventRequest('Create');
    const response = await onEvent(request, context());
    await withFakeTime(() => isComplete(isCompleteRequest(request, response), context()));
    const calls = sitewise.commandCalls(DescribeGatewayCapabilityConfigurationCommand).length;
    // 4 minutes of one invocation: 60 calls in the first minute, then one per 2 s.
    expect(calls).toBe(60 + 90 + 1);
  });

  test('throttling and 500s while waiting are retried; the wait still succeeds', async () => {
    acceptUpdates();
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', ...meta }))
      .rejectsOnce(new InternalFailureException({ message: 'Internal failure', $metadata: { httpStatusCode: 500 } }))
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .resolves(described('IN_SYNC'));
    const { complete } = await runHandlers(onEventRequest('Create'));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 4);
  });

  test('a timeout during a throttling storm reports the error too', async () => {
    acceptUpdates();
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', ...meta }));
    await expect(runHandlers(onEventRequest('Create', { ResourceProperties: properties({ SyncTimeoutSeconds: '60' }) }))).rejects.toThrow(
      'last seen: no status received yet; the last call failed with ThrottlingException: Rate exceeded',
    );
  });

  test('a gateway deleted while waiting for a create fails at once', async () => {
    acceptUpdates();
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Gateway not found', ...meta }));
    await expect(runHandlers(onEventRequest('Create'))).rejects.toThrow(
      `Could not read the sync status of ${NAMESPACE} of gateway ${GATEWAY_ID}: ResourceNotFoundException: Gateway not found`,
    );
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 1);
  });

  test('waitForSync false completes as soon as the API accepts, without polling', async () => {
    acceptUpdates();
    const { complete } = await runHandlers(onEventRequest('Create', { ResourceProperties: properties({ WaitForSync: 'false' }) }));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'OUT_OF_SYNC' } });
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 0);
  });
});

describe('onEvent Delete', () => {
  test('the default removal policy writes the empty document and waits for the gateway', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC', 'IN_SYNC');
    const { response, complete } = await runHandlers(onEventRequest('Delete'));
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, {
      gatewayId: GATEWAY_ID, capabilityNamespace: NAMESPACE, capabilityConfiguration: '{"sources":[]}',
    });
    expect(response.PhysicalResourceId).toBe(PHYSICAL_ID);
    expect(complete).toEqual({ IsComplete: true });
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 2);
  });

  test('a gateway rejecting the empty document fails the delete', async () => {
    acceptUpdates();
    describeReturns('SYNC_FAILED');
    await expect(runHandlers(onEventRequest('Delete'))).rejects.toThrow(`Gateway ${GATEWAY_ID} rejected the empty configuration of ${NAMESPACE}`);
  });

  test('an offline gateway does not block the delete: it succeeds at the sync timeout', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC');
    const { complete } = await runHandlers(onEventRequest('Delete', { ResourceProperties: properties({ SyncTimeoutSeconds: '120' }) }), 900_000);
    expect(complete).toEqual({ IsComplete: true });
    expect(Date.now() - START).toBe(120_000);
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: '{"sources":[]}' });
  });

  test('RETAIN leaves the configuration without calling AWS', async () => {
    const { complete } = await runHandlers(onEventRequest('Delete', { ResourceProperties: properties({ OnDelete: 'retain' }) }));
    expect(complete).toEqual({ IsComplete: true });
    expect(sitewise.calls()).toHaveLength(0);
  });

  test('a namespace without an empty document is left as it is', async () => {
    const { complete } = await runHandlers(onEventRequest('Delete', {
      PhysicalResourceId: `${GATEWAY_ID}/iotsitewise:publisher:3`,
      ResourceProperties: properties({ CapabilityNamespace: 'iotsitewise:publisher:3', ResetConfiguration: undefined }),
    }));
    expect(complete).toEqual({ IsComplete: true });
    expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
  });

  test('the old resource of a replacement is reset on the gateway its physical id names', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    const OLD_GATEWAY = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
    await runHandlers(onEventRequest('Delete', { PhysicalResourceId: `${OLD_GATEWAY}/${NAMESPACE}` }));
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { gatewayId: OLD_GATEWAY, capabilityConfiguration: '{"sources":[]}' });
    expect(sitewise).toHaveReceivedCommandWith(DescribeGatewayCapabilityConfigurationCommand, { gatewayId: OLD_GATEWAY });
  });

  test('a gateway deleted out of band counts as deleted', async () => {
    sitewise.on(UpdateGatewayCapabilityConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Gateway not found', ...meta }));
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Gateway not found', ...meta }));
    const { response, complete } = await runHandlers(onEventRequest('Delete'));
    expect(response.EdgeSyncWait.Mode).toBe('none');
    expect(complete).toEqual({ IsComplete: true });
  });

  test('a gateway deleted while the reset syncs counts as deleted', async () => {
    acceptUpdates();
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Gateway not found', ...meta }));
    const { complete } = await runHandlers(onEventRequest('Delete'));
    expect(complete).toEqual({ IsComplete: true });
  });

  test('Delete after a failed Create, with an id that names no configuration, calls nothing', async () => {
    const { complete } = await runHandlers(onEventRequest('Delete', { PhysicalResourceId: 'request-1' }));
    expect(complete).toEqual({ IsComplete: true });
    expect(sitewise.calls()).toHaveLength(0);
  });

  test('Delete after a Create that failed while waiting resets the half-applied configuration', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    const { complete } = await runHandlers(onEventRequest('Delete', { PhysicalResourceId: PHYSICAL_ID }));
    expect(complete).toEqual({ IsComplete: true });
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: '{"sources":[]}' });
  });
});

describe('dispatch', () => {
  test('an unknown resource type fails with a clear reason', async () => {
    await expect(onEvent(onEventRequest('Create', { ResourceType: 'Custom::Other' }), context()))
      .rejects.toThrow('cdk-edge-sync has no handler for resource type Custom::Other');
  });

  test('an unknown request type fails with a clear reason', async () => {
    await expect(onEvent(onEventRequest('Replace' as any), context())).rejects.toThrow('Unsupported RequestType "Replace"');
  });

  test('logs never contain the configuration document', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    await runHandlers(onEventRequest('Create'));
    const logged = [console.info, console.warn, console.error].flatMap((fn) => (fn as jest.Mock).mock.calls.flat()).join('\n');
    expect(logged).toContain(GATEWAY_ID);
    expect(logged).not.toContain('opc.tcp://');
  });
});

describe('ownership: who configures a namespace, in tags on the gateway', () => {
  const OWNER_KEY = OWNER;
  const HANDOVER_KEY = HANDOVER;

  test('Create claims an unowned namespace before writing: the owner tag names the stack and the logical id', async () => {
    acceptUpdates();
    await withFakeTime(() => onEvent(onEventRequest('Create'), context()));
    expect(gatewayTags).toEqual({ [OWNER_KEY]: ME });
    expect(sitewise).toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: `arn:aws:iotsitewise:us-east-1:123456789012:gateway/${GATEWAY_ID}` });
    const order = sitewise.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('TagResourceCommand')).toBeLessThan(order.indexOf('UpdateGatewayCapabilityConfigurationCommand'));
  });

  test('a namespace this resource owns is written without touching its tags', async () => {
    acceptUpdates();
    gatewayTags[OWNER_KEY] = ME;
    await withFakeTime(() => onEvent(onEventRequest('Update', { OldResourceProperties: properties() }), context()));
    expect(sitewise).not.toHaveReceivedCommand(TagResourceCommand);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 1);
  });

  test('another resource\'s namespace that already stores this document is taken over (a rename or a move), the previous owner kept in the handover tag', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    gatewayTags[OWNER_KEY] = 'Plant/OldName';
    await withFakeTime(() => onEvent(onEventRequest('Create'), context()));
    expect(gatewayTags).toEqual({ [OWNER_KEY]: ME, [HANDOVER_KEY]: 'Plant/OldName' });
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 1);
  });

  test('another document on another resource\'s namespace fails before anything is written, naming the owner', async () => {
    acceptUpdates();
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).resolves({ ...described('IN_SYNC'), capabilityConfiguration: OLD_DOCUMENT });
    gatewayTags[OWNER_KEY] = 'OtherStack/Collector';
    await expect(withFakeTime(() => onEvent(onEventRequest('Create'), context()))).rejects.toThrow(
      `Capability namespace ${NAMESPACE} of gateway ${GATEWAY_ID} is configured by OtherStack/Collector (tag ${OWNER_KEY}), with another configuration.`,
    );
    expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
    expect(gatewayTags).toEqual({ [OWNER_KEY]: 'OtherStack/Collector' });
  });

  const deleteRequest = () => onEventRequest('Delete', { PhysicalResourceId: `${GATEWAY_ID}/${NAMESPACE}`, ResourceProperties: properties({ ResetConfiguration: '{"sources":[]}' }) });

  test('Delete of a namespace another resource configures now leaves it; the resource it took over from confirms the handover', async () => {
    Object.assign(gatewayTags, { [OWNER_KEY]: 'Plant/NewName', [HANDOVER_KEY]: ME });
    const { response, complete } = await runHandlers(deleteRequest());
    expect(response.EdgeSyncWait.Mode).toBe('none');
    expect(complete).toEqual({ IsComplete: true });
    expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
    expect(gatewayTags).toEqual({ [OWNER_KEY]: 'Plant/NewName' });
  });

  test('Delete of a namespace taken over from a resource that has not confirmed (a rolled back rename) hands it back and leaves the document', async () => {
    Object.assign(gatewayTags, { [OWNER_KEY]: ME, [HANDOVER_KEY]: 'Plant/OldName' });
    const { response } = await runHandlers(deleteRequest());
    expect(response.EdgeSyncWait.Mode).toBe('none');
    expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
    expect(gatewayTags).toEqual({ [OWNER_KEY]: 'Plant/OldName' });
  });

  test('Delete by the owner resets, and isComplete removes the owner tag once the gateway has the empty document', async () => {
    acceptUpdates();
    describeReturns('OUT_OF_SYNC', 'IN_SYNC');
    gatewayTags[OWNER_KEY] = ME;
    const response = await withFakeTime(() => onEvent(deleteRequest(), context()));
    expect(response.EdgeSyncWait).toMatchObject({ Mode: 'wait', ReleaseOwnerTag: OWNER_KEY });
    expect(gatewayTags).toEqual({ [OWNER_KEY]: ME });
    expect(await withFakeTime(() => isComplete(isCompleteRequest(deleteRequest(), response), context()))).toEqual({ IsComplete: true });
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: '{"sources":[]}' });
    expect(gatewayTags).toEqual({});
    expect(sitewise).toHaveReceivedCommandWith(UntagResourceCommand, { tagKeys: [OWNER_KEY] });
  });

  test('a reset another writer replaced while the delete waits is over: the delete succeeds and releases the owner tag', async () => {
    acceptUpdates();
    gatewayTags[OWNER_KEY] = ME;
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).resolves({ ...described('OUT_OF_SYNC'), capabilityConfiguration: OLD_DOCUMENT });
    const response = await withFakeTime(() => onEvent(deleteRequest(), context()));
    expect(await withFakeTime(() => isComplete(isCompleteRequest(deleteRequest(), response), context()))).toEqual({ IsComplete: true });
    expect(sitewise).toHaveReceivedCommandTimes(DescribeGatewayCapabilityConfigurationCommand, 1);
    expect(gatewayTags).toEqual({});
  });

  test('Delete of a namespace whose document another writer replaced leaves that document, and releases the owner tag', async () => {
    acceptUpdates();
    gatewayTags[OWNER_KEY] = ME;
    sitewise.on(DescribeGatewayCapabilityConfigurationCommand).resolves({ ...described('IN_SYNC'), capabilityConfiguration: OLD_DOCUMENT });
    const { response } = await runHandlers(deleteRequest());
    expect(response.EdgeSyncWait.Mode).toBe('none');
    expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);
    expect(gatewayTags).toEqual({});
  });

  test('Delete with an invented physical id (a cancelled Create) resets the namespace its properties name, only if that Create claimed it', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    const cancelled = () => onEventRequest('Delete', { PhysicalResourceId: 'test-Collector-A1B2C3D4E5F6', ResourceProperties: properties({ ResetConfiguration: '{"sources":[]}' }) });
    await runHandlers(cancelled());
    expect(sitewise).not.toHaveReceivedCommand(UpdateGatewayCapabilityConfigurationCommand);

    gatewayTags[OWNER_KEY] = ME;
    await runHandlers(cancelled());
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { gatewayId: GATEWAY_ID, capabilityConfiguration: '{"sources":[]}' });
    expect(gatewayTags).toEqual({});
  });

  test('Delete of a namespace nobody owns (configured before ownership was recorded) resets it as before', async () => {
    acceptUpdates();
    describeReturns('IN_SYNC');
    const { response } = await runHandlers(deleteRequest());
    expect(response.EdgeSyncWait.ReleaseOwnerTag).toBeUndefined();
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: '{"sources":[]}' });
    expect(sitewise).not.toHaveReceivedCommand(UntagResourceCommand);
  });
});
