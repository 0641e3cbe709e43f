import { Stack } from 'aws-cdk-lib';
import { CfnGateway } from 'aws-cdk-lib/aws-iotsitewise';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { eventOf, statuses, useHarness } from './helpers';
import { scriptedStack } from './scripted-app';
import { ResourceProvider } from '../support/harness';

/** An in-memory stand-in for a provider that creates gateways on the local emulator. */
class FakeGateways implements ResourceProvider {
  public readonly gateways = new Map<string, Record<string, any>>();
  public readonly calls: string[] = [];
  private counter = 0;

  constructor(private readonly options: { failCreate?: boolean } = {}) {}

  /** The same provider without in-place updates. */
  public withoutUpdates(): ResourceProvider {
    return { create: (properties) => this.create(properties), delete: (physicalId) => this.delete(physicalId) };
  }

  public reset(): void {
    this.gateways.clear();
    this.calls.length = 0;
    this.counter = 0;
  }

  public async create(properties: Record<string, any>) {
    this.calls.push(`create ${properties.GatewayName}`);
    if (this.options.failCreate) throw new Error('Gateway limit exceeded');
    const id = `gw-${++this.counter}`;
    this.gateways.set(id, properties);
    return { physicalId: id, attributes: { GatewayId: id } };
  }

  public async update(physicalId: string, properties: Record<string, any>) {
    this.calls.push(`update ${physicalId} ${properties.GatewayName}`);
    this.gateways.set(physicalId, properties);
  }

  public async delete(physicalId: string) {
    this.calls.push(`delete ${physicalId}`);
    this.gateways.delete(physicalId);
  }
}

function stackWithGateway(gatewayName: string): Stack {
  return scriptedStack({
    resources: {
      Sync: {
        properties: (stack) => {
          const gateway = new CfnGateway(stack, 'Gateway', {
            gatewayName,
            gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'core-device' } },
          });
          const onEvent = stack.node.findChild('OnEvent') as lambda.Function;
          return { GatewayId: gateway.attrGatewayId, HandlerArn: onEvent.functionArn };
        },
      },
    },
  });
}

describe('with a registered provider', () => {
  const gateways = new FakeGateways();
  const harness = useHarness({ resourceProviders: { 'AWS::IoTSiteWise::Gateway': gateways } });
  beforeEach(() => gateways.reset());

  test('the resource is really created with resolved properties and its attributes flow into GetAtt', async () => {
    const result = await harness().deploy(stackWithGateway('edge-1'));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect([...gateways.gateways.values()]).toEqual([{ GatewayName: 'edge-1', GatewayPlatform: { GreengrassV2: { CoreDeviceThingName: 'core-device' } } }]);
    const { event } = harness().invocations[0];
    expect(event.ResourceProperties.GatewayId).toBe('gw-1');
    // Stubs get plausible identifiers.
    expect(event.ResourceProperties.HandlerArn).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:OnEvent[0-9A-F]{8}$/);
  });

  test('updates in place, and the stack deletes the custom resource before the gateway', async () => {
    await harness().deploy(stackWithGateway('edge-1'));
    gateways.calls.length = 0;

    await harness().deploy(stackWithGateway('edge-1-renamed'));
    const destroyed = await harness().destroy();

    expect(gateways.calls).toEqual(['update gw-1 edge-1-renamed', 'delete gw-1']);
    const gatewayLogicalId = harness().events.find((event) => event.resourceType === 'AWS::IoTSiteWise::Gateway')!.logicalId;
    expect(destroyed.events.findIndex((event) => event.logicalId === gatewayLogicalId && event.status === 'DELETE_IN_PROGRESS'))
      .toBeGreaterThan(destroyed.events.findIndex((event) => event.logicalId === 'Sync' && event.status === 'DELETE_COMPLETE'));
  });
});

describe('with a provider that cannot update in place', () => {
  const gateways = new FakeGateways();
  const harness = useHarness({ resourceProviders: { 'AWS::IoTSiteWise::Gateway': gateways.withoutUpdates() } });
  beforeEach(() => gateways.reset());

  test('a change replaces it: dependents are updated with the new id, the old one is deleted in cleanup', async () => {
    await harness().deploy(stackWithGateway('edge-1'));

    const result = await harness().deploy(stackWithGateway('edge-2'));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(gateways.calls).toEqual(['create edge-1', 'create edge-2', 'delete gw-1']);
    const update = harness().invocations.find((invocation) => invocation.requestType === 'Update')!;
    expect(update.event).toMatchObject({ ResourceProperties: { GatewayId: 'gw-2' }, OldResourceProperties: { GatewayId: 'gw-1' } });
  });
});

describe('with a provider that fails', () => {
  const harness = useHarness({ resourceProviders: { 'AWS::IoTSiteWise::Gateway': new FakeGateways({ failCreate: true }) } });

  test('the stack rolls back and the custom resource never starts', async () => {
    const result = await harness().deploy(stackWithGateway('edge-1'));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const gatewayLogicalId = result.events.find((event) => event.resourceType === 'AWS::IoTSiteWise::Gateway')!.logicalId;
    expect(eventOf(result.events, gatewayLogicalId, 'CREATE_FAILED')!.reason).toBe('Gateway limit exceeded');
    expect(statuses(result.events, 'Sync')).toEqual([]);
    expect(harness().invocations).toEqual([]);
  });
});
