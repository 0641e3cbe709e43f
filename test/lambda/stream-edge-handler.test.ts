import {
  ClientLimitExceededException,
  DeleteEdgeConfigurationCommand,
  DescribeEdgeConfigurationCommand,
  KinesisVideoClient,
  ListTagsForStreamCommand,
  NoDataRetentionException,
  ResourceInUseException,
  ResourceNotFoundException,
  StartEdgeConfigurationUpdateCommand,
  StreamEdgeConfigurationNotFoundException,
  TagStreamCommand,
  UntagStreamCommand,
} from '@aws-sdk/client-kinesis-video';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { context, customResourceRequest, isCompleteRequest, runHandlers, useFakeClock, withFakeTime } from './events';
import { isComplete, onEvent } from '../../lambda';
import { IsCompleteResponse, OnEventRequest } from '../../lambda/shared/types';
import { includes, nextApplyStep } from '../../lambda/stream-edge/reconcile';

const kvs = mockClient(KinesisVideoClient);
const START = Date.parse('2026-11-21T10:00:00Z');
const STREAM_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/1700000000000';
const HUB = 'arn:aws:iot:us-east-1:123456789012:thing/hub-1';
const OTHER_HUB = 'arn:aws:iot:us-east-1:123456789012:thing/hub-2';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:camera-AbCdEf';

/** An SDK exception as the client raises it: Kinesis Video's message member is `Message`. */
function kvsError<T>(Exception: new (options: any) => T, message: string): T {
  return new Exception({ message, Message: message, $metadata: {} });
}

function edgeConfig(hub: string = HUB, schedule: string = '0 0 8 ? * MON-FRI'): any {
  return {
    HubDeviceArn: hub,
    RecorderConfig: {
      MediaSourceConfig: { MediaUriSecretArn: SECRET, MediaUriType: 'RTSP_URI' },
      ScheduleConfig: { ScheduleExpression: schedule, DurationInSeconds: 3600 },
    },
  };
}

function request(RequestType: OnEventRequest['RequestType'], overrides: Record<string, string> = {}, extra: Partial<OnEventRequest> = {}): OnEventRequest {
  return customResourceRequest(RequestType, {
    ResourceType: 'Custom::EdgeSyncStreamEdgeConfiguration',
    LogicalResourceId: 'Edge',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework',
      StreamName: 'front-door',
      EdgeConfig: JSON.stringify(edgeConfig()),
      WaitForSync: 'true',
      SyncTimeoutSeconds: '1500',
      OnDelete: 'delete',
      ...overrides,
    },
    PhysicalResourceId: STREAM_ARN,
  }, extra);
}

/**
 * A Kinesis Video edge configuration that the fake Edge Agent moves through its states by the
 * (fake) clock: what DescribeEdgeConfiguration answers, Start and Delete change it.
 */
class FakeStream {
  public config?: {
    EdgeConfig: any; SyncStatus: string; LastUpdatedTime: Date; FailedStatusDetails?: string; settlesAt?: number; settlesTo?: string;
  };
  public syncOutcome: { status: string; details?: string; afterMs: number } = { status: 'IN_SYNC', afterMs: 3_000 };
  public deleteOutcomes: string[] = [];
  /** The stream's tags, as TagStream, UntagStream and ListTagsForStream see them. */
  public tags: Record<string, string> = {};

  constructor() {
    kvs.on(ListTagsForStreamCommand).callsFake(() => ({ Tags: { ...this.tags } }));
    kvs.on(TagStreamCommand).callsFake((input) => {
      Object.assign(this.tags, input.Tags);
      return {};
    });
    kvs.on(UntagStreamCommand).callsFake((input) => {
      for (const key of input.TagKeyList) delete this.tags[key];
      return {};
    });
    kvs.on(DescribeEdgeConfigurationCommand).callsFake(() => {
      this.settle();
      if (!this.config) throw kvsError(StreamEdgeConfigurationNotFoundException, 'no edge configuration');
      const { settlesAt, settlesTo, ...shown } = this.config;
      return {
        StreamARN: STREAM_ARN,
        StreamName: 'front-door',
        ...shown,
        EdgeAgentStatus: shown.SyncStatus === 'IN_SYNC' ? { LastRecorderStatus: { RecorderStatus: 'SUCCESS' } } : undefined,
      };
    });
    kvs.on(StartEdgeConfigurationUpdateCommand).callsFake((input) => {
      this.settle();
      if (this.config && ['SYNCING', 'DELETING'].includes(this.config.SyncStatus)) throw kvsError(ResourceInUseException, 'in use');
      this.config = {
        EdgeConfig: input.EdgeConfig,
        SyncStatus: 'SYNCING',
        LastUpdatedTime: new Date(),
        settlesAt: Date.now() + this.syncOutcome.afterMs,
        settlesTo: this.syncOutcome.status,
        FailedStatusDetails: this.syncOutcome.details,
      };
      return { StreamARN: STREAM_ARN, SyncStatus: 'SYNCING' };
    });
    kvs.on(DeleteEdgeConfigurationCommand).callsFake(() => {
      this.settle();
      if (!this.config) throw kvsError(StreamEdgeConfigurationNotFoundException, 'no edge configuration');
      this.config = { ...this.config, SyncStatus: 'DELETING', settlesAt: Date.now() + 2_000, settlesTo: this.deleteOutcomes.shift() ?? 'GONE' };
      return {};
    });
  }

  /** Puts a configuration there before the test's operation. */
  public existing(config: any, status: string, settlesTo?: string): void {
    const LastUpdatedTime = new Date(START - 3_600_000);
    this.config = { EdgeConfig: config, SyncStatus: status, LastUpdatedTime, settlesAt: settlesTo ? START + 5_000 : undefined, settlesTo };
  }

  private settle(): void {
    if (this.config?.settlesAt !== undefined && Date.now() >= this.config.settlesAt) {
      const to = this.config.settlesTo!;
      if (to === 'GONE') this.config = undefined;
      else this.config = { ...this.config, SyncStatus: to, FailedStatusDetails: to.endsWith('FAILED') ? this.config.FailedStatusDetails ?? 'Edge Agent failed' : undefined, settlesAt: undefined };
    }
  }
}

let stream: FakeStream;
useFakeClock(START, () => kvs.reset());
beforeEach(() => {
  stream = new FakeStream();
});

const run = async (event: OnEventRequest, remainingMs?: number) => (await runHandlers(event, remainingMs)).complete;

const startCalls = () => kvs.commandCalls(StartEdgeConfigurationUpdateCommand).map((c) => c.args[0].input);

describe('create and update', () => {
  test('create starts the update, waits for IN_SYNC and answers with the stream ARN and the agent status', async () => {
    const result = await run(request('Create'));
    expect(startCalls()).toEqual([{ StreamName: 'front-door', EdgeConfig: edgeConfig() }]);
    expect(result).toEqual({
      IsComplete: true,
      PhysicalResourceId: STREAM_ARN,
      Data: { SyncStatus: 'IN_SYNC', LastUpdatedTime: expect.stringMatching(/^2026-11-21T10:00:00/), RecorderStatus: 'SUCCESS', UploaderStatus: 'NOT_REPORTED' },
    });
    expect(Date.now() - START).toBeLessThan(5_000);
  });

  test('onEvent checks the properties and claims the stream (its owner tag); every edge configuration call is made by isComplete', async () => {
    const response = await withFakeTime(() => onEvent(request('Create'), context()));
    expect(kvs.calls().map((c) => c.args[0].constructor.name)).toEqual(['ListTagsForStreamCommand', 'TagStreamCommand']);
    // The owner, and the request that claimed it last (a cancelled update's waiter checks it before it writes).
    expect(stream.tags).toEqual({ 'cdk-edge-sync:owner': 'test/Edge', 'cdk-edge-sync:operation': 'request-1' });
    expect(response).toEqual({ PhysicalResourceId: 'front-door', EdgeSyncWait: { Mode: 'wait', StartedAt: START, Deadline: START + 1_500_000 } });
  });

  test('an update that names the same stream another way (ARN, name) keeps the ARN as physical id: no replacement', async () => {
    const byName = await onEvent(request('Update', {}, { OldResourceProperties: { StreamARN: STREAM_ARN } } as any), context());
    expect(byName.PhysicalResourceId).toBe(STREAM_ARN);
    const byArn = await onEvent(request('Update', { StreamName: '', StreamARN: STREAM_ARN }, { OldResourceProperties: { StreamName: 'front-door' } } as any), context());
    expect(byArn.PhysicalResourceId).toBe(STREAM_ARN);
    // A physical id that is still the name (a create that failed before isComplete answered the ARN).
    const fromName = await onEvent(request('Update', { StreamName: '', StreamARN: STREAM_ARN }, { PhysicalResourceId: 'front-door' }), context());
    expect(fromName.PhysicalResourceId).toBe('front-door');
  });

  test('an update to another stream answers the new stream as physical id: a replacement', async () => {
    const response = await onEvent(request('Update', { StreamName: 'back-door' }), context());
    expect(response.PhysicalResourceId).toBe('back-door');
    // A stream by name is one of the function's region (Lambda sets AWS_REGION).
    const region = process.env.AWS_REGION;
    process.env.AWS_REGION = 'us-east-1';
    try {
      const otherRegion = STREAM_ARN.replace('us-east-1', 'eu-west-1');
      const response2 = await onEvent(request('Update', {}, { PhysicalResourceId: otherRegion }), context());
      expect(response2.PhysicalResourceId).toBe('front-door');
    } finally {
      if (region === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = region;
    }
  });

  test('a sync already in progress is waited for, then the update starts', async () => {
    stream.existing(edgeConfig(HUB, '0 0 9 ? * MON-FRI'), 'SYNCING', 'IN_SYNC');
    const result = await run(request('Create'));
    expect(result.IsComplete).toBe(true);
    expect(startCalls()).toHaveLength(1);
    expect(kvs.commandCalls(DescribeEdgeConfigurationCommand).length).toBeGreaterThanOrEqual(5);
  });

  test('ResourceInUseException from Start is waited out, not a failure', async () => {
    kvs.on(StartEdgeConfigurationUpdateCommand).rejectsOnce(kvsError(ResourceInUseException, 'sync in progress')).callsFake((input) => {
      stream.config = { EdgeConfig: input.EdgeConfig, SyncStatus: 'IN_SYNC', LastUpdatedTime: new Date() };
      return { SyncStatus: 'SYNCING' };
    });
    const result = await run(request('Create'));
    expect(result.IsComplete).toBe(true);
    expect(startCalls()).toHaveLength(2);
  });

  test('SYNC_FAILED fails with the service\'s FailedStatusDetails', async () => {
    stream.syncOutcome = { status: 'SYNC_FAILED', details: 'Unable to reach the RTSP camera', afterMs: 5_000 };
    await expect(run(request('Create'))).rejects.toThrow(
      `The Edge Agent of ${HUB} rejected the edge configuration of stream front-door (SYNC_FAILED): Unable to reach the RTSP camera`,
    );
  });

  test('NoDataRetentionException fails at once and says how to fix it', async () => {
    kvs.on(StartEdgeConfigurationUpdateCommand).rejects(kvsError(NoDataRetentionException, 'The Stream data retention in hours is equal to zero.'));
    await expect(run(request('Create'))).rejects.toThrow(
      'Could not start the edge configuration update of stream front-door: the stream keeps no data (NoDataRetentionException). Give the stream a data retention above 0 hours',
    );
    expect(startCalls()).toHaveLength(1);
  });

  test('a stream that does not exist fails at once', async () => {
    kvs.on(DescribeEdgeConfigurationCommand).rejects(kvsError(ResourceNotFoundException, 'Stream front-door not found'));
    await expect(run(request('Create'))).rejects.toThrow('Could not read the edge configuration of stream front-door: ResourceNotFoundException: Stream front-door not found');
  });

  test('ClientLimitExceededException and 5xx are retried with backoff', async () => {
    kvs.on(StartEdgeConfigurationUpdateCommand)
      .rejectsOnce(kvsError(ClientLimitExceededException, 'Rate exceeded'))
      .rejectsOnce(Object.assign(new Error('Service unavailable'), { name: 'InternalFailure', $metadata: { httpStatusCode: 503 } }))
      .callsFake((input) => {
        stream.config = { EdgeConfig: input.EdgeConfig, SyncStatus: 'IN_SYNC', LastUpdatedTime: new Date() };
        return { SyncStatus: 'SYNCING' };
      });
    expect((await run(request('Create'))).IsComplete).toBe(true);
    expect(startCalls()).toHaveLength(3);
  });

  test('an update re-applies a changed configuration that is already IN_SYNC', async () => {
    stream.existing(edgeConfig(HUB, '0 0 9 ? * MON-FRI'), 'IN_SYNC');
    const result = await run(request('Update', {}, { OldResourceProperties: request('Create', { EdgeConfig: JSON.stringify(edgeConfig(HUB, '0 0 9 ? * MON-FRI')) }).ResourceProperties }));
    expect(result.IsComplete).toBe(true);
    expect(startCalls()).toEqual([{ StreamName: 'front-door', EdgeConfig: edgeConfig() }]);
  });

  test('a new hub device deletes the configuration from the old one, waits until it is gone, then starts on the new one', async () => {
    stream.existing(edgeConfig(HUB), 'IN_SYNC');
    const moved = request('Update', { EdgeConfig: JSON.stringify(edgeConfig(OTHER_HUB)) }, { OldResourceProperties: request('Create').ResourceProperties });
    const result = await run(moved);
    expect(result.IsComplete).toBe(true);
    const order = kvs.calls().map((c) => c.args[0].constructor.name).filter((n) => !/^(DescribeEdgeConfiguration|ListTagsForStream|TagStream)Command$/.test(n));
    expect(order).toEqual(['DeleteEdgeConfigurationCommand', 'StartEdgeConfigurationUpdateCommand']);
    expect(startCalls()[0].EdgeConfig!.HubDeviceArn).toBe(OTHER_HUB);
  });

  test('a device that never answers fails at the sync timeout with the last status', async () => {
    stream.syncOutcome = { status: 'IN_SYNC', afterMs: 10 * 3_600_000 };
    await expect(run(request('Create', { SyncTimeoutSeconds: '120' }), 900_000)).rejects.toThrow(
      'Timed out after 2 minutes waiting for the Edge Agent to sync the edge configuration of stream front-door; last seen: SyncStatus SYNCING.',
    );
  });

  test('waitForSync false completes once the update is started', async () => {
    const result = await run(request('Create', { WaitForSync: 'false' }));
    expect(result).toMatchObject({ IsComplete: true, Data: { SyncStatus: 'SYNCING' } });
    expect(kvs.commandCalls(DescribeEdgeConfigurationCommand)).toHaveLength(1);
  });

  test.each([
    ['EdgeConfig', JSON.stringify({ ...edgeConfig(), HubDeviceArn: 'hub-1' }), 'Invalid property: hubDeviceArn must be an IoT thing ARN'],
    ['EdgeConfig', JSON.stringify(edgeConfig(HUB, '0 0 8 * * *')), 'Invalid property: recorder.schedule expression must be a Quartz cron expression'],
    ['EdgeConfig', JSON.stringify({ ...edgeConfig(), DeletionConfig: { EdgeRetentionInHours: 721 } }), 'Invalid property: edgeRetention must be a whole number of hours from 1 to 720, got 721 hours'],
    ['EdgeConfig', JSON.stringify({ ...edgeConfig(), DeletionConfig: { LocalSizeConfig: { MaxLocalMediaSizeInMB: 10 } } }), 'maxLocalMediaSize must be a whole number of MB from 64 to 2,000,000, got 10 MB'],
    ['StreamName', 'front door', 'Invalid property: streamName must be 1 to 256 characters'],
    ['EdgeConfig', '{', 'Property EdgeConfig must be a JSON document'],
  ])('checks %s resolved from a token before calling AWS', async (name, value, message) => {
    await expect(onEvent(request('Create', { [name]: value }), context())).rejects.toThrow(message);
    expect(kvs.calls()).toHaveLength(0);
  });
});

describe('delete', () => {
  test('deletes and waits until DescribeEdgeConfiguration no longer finds it', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    expect(kvs).toHaveReceivedCommandWith(DeleteEdgeConfigurationCommand, { StreamARN: STREAM_ARN });
    expect(stream.config).toBeUndefined();
  });

  test('DELETE_FAILED is retried, then succeeds', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.deleteOutcomes = ['DELETE_FAILED'];
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    expect(kvs.commandCalls(DeleteEdgeConfigurationCommand)).toHaveLength(2);
  });

  test('DELETE_FAILED again and again fails with the service\'s reason', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.deleteOutcomes = ['DELETE_FAILED', 'DELETE_FAILED', 'DELETE_FAILED'];
    await expect(run(request('Delete'))).rejects.toThrow(
      `Could not delete the edge configuration of stream ${STREAM_ARN}: DELETE_FAILED 3 times; last reason: Edge Agent failed`,
    );
  });

  test('a configuration or stream that no longer exists counts as deleted', async () => {
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    kvs.on(DescribeEdgeConfigurationCommand).rejects(kvsError(ResourceNotFoundException, 'no stream'));
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    expect(kvs.commandCalls(DeleteEdgeConfigurationCommand)).toHaveLength(0);
  });

  test('RETAIN leaves it without calling AWS', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    expect(await run(request('Delete', { OnDelete: 'retain' }))).toEqual({ IsComplete: true });
    expect(kvs.calls()).toHaveLength(0);
  });

  test('a Delete after a failed Create with no stream id does nothing', async () => {
    expect(await run(request('Delete', {}, { PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED' }))).toEqual({ IsComplete: true });
    expect(kvs.calls()).toHaveLength(0);
  });
});

describe('nextApplyStep', () => {
  const started = START;
  const at = (ms: number) => new Date(ms);
  test.each([
    ['nothing there', undefined, 'start'],
    ['a sync in progress', { SyncStatus: 'SYNCING', EdgeConfig: edgeConfig(), LastUpdatedTime: at(started) }, 'wait'],
    ['a deletion in progress', { SyncStatus: 'DELETING_ACKNOWLEDGED', EdgeConfig: edgeConfig(), LastUpdatedTime: at(started) }, 'wait'],
    ['another hub device', { SyncStatus: 'IN_SYNC', EdgeConfig: edgeConfig(OTHER_HUB), LastUpdatedTime: at(started) }, 'delete'],
    ['ours, in sync', { SyncStatus: 'IN_SYNC', EdgeConfig: edgeConfig(), LastUpdatedTime: at(started + 1) }, 'done'],
    ['ours, failed', { SyncStatus: 'SYNC_FAILED', EdgeConfig: edgeConfig(), LastUpdatedTime: at(started + 1), FailedStatusDetails: 'x' }, 'fail'],
    ['the same document from before this operation', { SyncStatus: 'SYNC_FAILED', EdgeConfig: edgeConfig(), LastUpdatedTime: at(started - 60_000) }, 'start'],
    ['another document', { SyncStatus: 'IN_SYNC', EdgeConfig: edgeConfig(HUB, '0 0 9 ? * *'), LastUpdatedTime: at(started + 1) }, 'start'],
  ])('%s: %s', (_, observed, action) => {
    expect(nextApplyStep(observed as any, edgeConfig(), started).action).toBe(action);
  });

  test('includes ignores defaults the service adds, not changed values', () => {
    expect(includes({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(includes({ a: 1, b: { c: 2 } }, { b: { c: 3 } })).toBe(false);
    expect(includes(undefined, { a: 1 })).toBe(false);
  });
});

describe('ownership: who configures a stream, in tags on the stream', () => {
  const OWNER = 'cdk-edge-sync:owner';
  const HANDOVER = 'cdk-edge-sync:handover';
  const ME = 'test/Edge';

  test('another resource\'s stream that already has this configuration is taken over; the previous owner is kept in the handover tag', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: 'Cameras/OldName' };
    await withFakeTime(() => onEvent(request('Create'), context()));
    expect(stream.tags).toEqual({ [OWNER]: ME, [HANDOVER]: 'Cameras/OldName', 'cdk-edge-sync:operation': 'request-1' });
  });

  test('another configuration on another resource\'s stream fails in onEvent, naming the owner; nothing is started', async () => {
    stream.existing(edgeConfig(HUB, '0 0 9 ? * MON-FRI'), 'IN_SYNC');
    stream.tags = { [OWNER]: 'OtherStack/Camera' };
    await expect(withFakeTime(() => onEvent(request('Create'), context()))).rejects.toThrow(
      'The edge configuration of stream front-door is configured by OtherStack/Camera (tag cdk-edge-sync:owner), with another configuration.',
    );
    expect(kvs).not.toHaveReceivedCommand(StartEdgeConfigurationUpdateCommand);
    expect(stream.tags).toEqual({ [OWNER]: 'OtherStack/Camera' });
  });

  test('Delete of a stream another resource configures now leaves it, confirming the handover', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: 'Cameras/NewName', [HANDOVER]: ME };
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    expect(kvs).not.toHaveReceivedCommand(DeleteEdgeConfigurationCommand);
    expect(stream.tags).toEqual({ [OWNER]: 'Cameras/NewName' });
  });

  test('Delete of a stream taken over from a resource that has not confirmed hands it back and leaves the configuration', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: ME, [HANDOVER]: 'Cameras/OldName' };
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    expect(kvs).not.toHaveReceivedCommand(DeleteEdgeConfigurationCommand);
    expect(stream.tags).toEqual({ [OWNER]: 'Cameras/OldName' });
  });

  test('Delete with an invented physical id (a cancelled Create) deletes from the stream its properties name, only if that Create claimed it', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    const cancelled = () => request('Delete', {}, { PhysicalResourceId: 'test-Edge-A1B2C3D4E5F6' });
    expect(await run(cancelled())).toEqual({ IsComplete: true });
    expect(kvs).not.toHaveReceivedCommand(DeleteEdgeConfigurationCommand);

    stream.tags = { [OWNER]: ME };
    expect(await run(cancelled())).toEqual({ IsComplete: true });
    expect(kvs).toHaveReceivedCommandWith(DeleteEdgeConfigurationCommand, { StreamName: 'front-door' });
    expect(stream.config).toBeUndefined();
  });

  test('Delete by the owner deletes, and removes the owner tag once the configuration is gone', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: ME, team: 'security' };
    expect(await run(request('Delete'))).toEqual({ IsComplete: true });
    expect(stream.config).toBeUndefined();
    expect(stream.tags).toEqual({ team: 'security' });
    const order = kvs.calls().map((c) => c.args[0].constructor.name);
    expect(order.lastIndexOf('UntagStreamCommand')).toBeGreaterThan(order.lastIndexOf('DeleteEdgeConfigurationCommand'));
  });
});

describe('DELETE_FAILED, counted across isComplete invocations in a tag on the stream', () => {
  const OWNER = 'cdk-edge-sync:owner';
  const COUNT = 'cdk-edge-sync:delete-failures';

  /** isComplete invocations the last `invocations` made. */
  let made = 0;

  /**
   * onEvent, then isComplete invocations (new ones, as the framework makes them) until one answers
   * or fails; each polls for 2 s (12 s left less the 10 s answer margin), so it sees at most one deletion end.
   */
  async function invocations(event: OnEventRequest): Promise<IsCompleteResponse> {
    const response = await withFakeTime(() => onEvent(event, context()));
    for (made = 1; ; made++) {
      const result = await withFakeTime(() => isComplete(isCompleteRequest(event, response), context(12_000)));
      if (result.IsComplete) return result;
      jest.advanceTimersByTime(5_000);
    }
  }

  test('the third DELETE_FAILED fails with the service\'s reason though no invocation saw all three; the count is removed, the owner tag kept', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: 'test/Edge' };
    stream.deleteOutcomes = ['DELETE_FAILED', 'DELETE_FAILED', 'DELETE_FAILED'];
    const counts: string[] = [];
    kvs.on(TagStreamCommand).callsFake((input) => {
      counts.push(input.Tags[COUNT]);
      Object.assign(stream.tags, input.Tags);
      return {};
    });
    await expect(invocations(request('Delete'))).rejects.toThrow(
      `Could not delete the edge configuration of stream ${STREAM_ARN}: DELETE_FAILED 3 times; last reason: Edge Agent failed`,
    );
    expect(made).toBeGreaterThan(1);
    expect(counts).toEqual([`${START}:1`, `${START}:2`]);
    expect(kvs.commandCalls(DeleteEdgeConfigurationCommand)).toHaveLength(3);
    expect(stream.tags).toEqual({ [OWNER]: 'test/Edge' });
  });

  test('a count another operation left is not this one\'s; the Delete removes it with the owner tag', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: 'test/Edge', [COUNT]: `${START - 3_600_000}:2` };
    stream.deleteOutcomes = ['DELETE_FAILED'];
    expect(await invocations(request('Delete'))).toEqual({ IsComplete: true });
    expect(made).toBeGreaterThan(1);
    expect(kvs.commandCalls(DeleteEdgeConfigurationCommand)).toHaveLength(2);
    expect(stream.tags).toEqual({});
  });

  test('the delete step of a hub move is bounded the same way, and names the old device', async () => {
    stream.existing(edgeConfig(HUB), 'IN_SYNC');
    stream.tags = { [OWNER]: 'test/Edge' };
    stream.deleteOutcomes = ['DELETE_FAILED', 'DELETE_FAILED', 'DELETE_FAILED'];
    const moved = request('Update', { EdgeConfig: JSON.stringify(edgeConfig(OTHER_HUB)) }, { OldResourceProperties: request('Create').ResourceProperties });
    await expect(run(moved)).rejects.toThrow(
      `Could not move the edge configuration of stream front-door from hub device ${HUB}: DELETE_FAILED 3 times; last reason: Edge Agent failed`,
    );
    expect(kvs).not.toHaveReceivedCommand(StartEdgeConfigurationUpdateCommand);
    expect(stream.tags).toEqual({ [OWNER]: 'test/Edge', 'cdk-edge-sync:operation': 'request-1' });
  });

  test('a move whose deletion failed once removes the count once the new device is in sync', async () => {
    stream.existing(edgeConfig(HUB), 'IN_SYNC');
    stream.tags = { [OWNER]: 'test/Edge' };
    stream.deleteOutcomes = ['DELETE_FAILED'];
    const moved = request('Update', { EdgeConfig: JSON.stringify(edgeConfig(OTHER_HUB)) }, { OldResourceProperties: request('Create').ResourceProperties });
    expect((await run(moved)).IsComplete).toBe(true);
    expect(kvs.commandCalls(DeleteEdgeConfigurationCommand)).toHaveLength(2);
    expect(stream.tags).toEqual({ [OWNER]: 'test/Edge', 'cdk-edge-sync:operation': 'request-1' });
  });
});

describe('a cancelled update (CloudFormation rolled it back while it waited)', () => {
  test('its waiter starts nothing once another request claimed the stream, and fails saying so', async () => {
    const event = request('Update');
    const response = await withFakeTime(() => onEvent(event, context()));
    // The rollback's onEvent claims the stream under its own request id.
    stream.tags = { ...stream.tags, 'cdk-edge-sync:operation': 'rollback-request' };
    await expect(withFakeTime(() => isComplete(isCompleteRequest(event, response), context()))).rejects.toThrow(
      /Another CloudFormation operation \(request rollback-request\) has taken over the edge configuration of stream front-door since this one started/,
    );
    expect(kvs).not.toHaveReceivedCommand(StartEdgeConfigurationUpdateCommand);
  });
});

describe('when throttling outlasts onEvent\'s time (the client retries within it; its last error reaches the handler)', () => {
  const OWNER = 'cdk-edge-sync:owner';
  const throttled = () => kvsError(ClientLimitExceededException, 'Rate exceeded');

  test('onEvent leaves the claim to isComplete, which claims the stream, then starts and waits as always', async () => {
    kvs.on(ListTagsForStreamCommand).rejectsOnce(throttled()).callsFake(() => ({ Tags: { ...stream.tags } }));
    const event = request('Create');
    const response = await withFakeTime(() => onEvent(event, context()));
    expect(response.EdgeSyncWait).toEqual({ Mode: 'wait', StartedAt: START, Deadline: START + 1_500_000, Unfinished: true });
    expect(kvs).not.toHaveReceivedCommand(TagStreamCommand);

    const result = await withFakeTime(() => isComplete(isCompleteRequest(event, response), context()));
    expect(result).toMatchObject({ IsComplete: true, PhysicalResourceId: STREAM_ARN });
    expect(stream.tags).toEqual({ [OWNER]: 'test/Edge', 'cdk-edge-sync:operation': 'request-1' });
    expect(startCalls()).toHaveLength(1);
  });

  test('isComplete whose own time runs out before the claim answers not complete', async () => {
    kvs.on(ListTagsForStreamCommand).rejects(throttled());
    const event = request('Create');
    const wait = { Mode: 'wait' as const, StartedAt: START, Deadline: START + 1_500_000, Unfinished: true as const };
    expect(await isComplete(isCompleteRequest(event, { PhysicalResourceId: 'front-door', EdgeSyncWait: wait }), context())).toEqual({ IsComplete: false });
    expect(kvs).not.toHaveReceivedCommand(StartEdgeConfigurationUpdateCommand);
  });

  test('past the sync timeout it fails with the last error', async () => {
    kvs.on(ListTagsForStreamCommand).rejects(throttled());
    const event = request('Create', { SyncTimeoutSeconds: '60' });
    const wait = { Mode: 'wait' as const, StartedAt: START, Deadline: START + 60_000, Unfinished: true as const };
    await expect(isComplete(isCompleteRequest(event, { PhysicalResourceId: 'front-door', EdgeSyncWait: wait }), context())).rejects.toThrow(
      'Timed out after 1 minute: could not check the owner of stream front-door; the last call failed with ClientLimitExceededException: Rate exceeded',
    );
  });

  test('a Delete leaves the owner check to isComplete, which deletes the configuration and releases the stream', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: 'test/Edge' };
    kvs.on(ListTagsForStreamCommand).rejectsOnce(throttled()).callsFake(() => ({ Tags: { ...stream.tags } }));
    const event = request('Delete');
    const response = await withFakeTime(() => onEvent(event, context()));
    expect(response.EdgeSyncWait).toMatchObject({ Mode: 'wait', Unfinished: true });
    expect(await withFakeTime(() => isComplete(isCompleteRequest(event, response), context()))).toEqual({ IsComplete: true });
    expect(stream.config).toBeUndefined();
    expect(stream.tags).toEqual({});
  });

  test('a Delete of a stream another resource owns now only confirms the handover, in isComplete', async () => {
    stream.existing(edgeConfig(), 'IN_SYNC');
    stream.tags = { [OWNER]: 'Cameras/NewName', 'cdk-edge-sync:handover': 'test/Edge' };
    kvs.on(UntagStreamCommand).rejectsOnce(throttled()).callsFake((input) => {
      for (const key of input.TagKeyList) delete stream.tags[key];
      return {};
    });
    const event = request('Delete');
    const response = await withFakeTime(() => onEvent(event, context()));
    expect(await withFakeTime(() => isComplete(isCompleteRequest(event, response), context()))).toEqual({ IsComplete: true });
    expect(kvs).not.toHaveReceivedCommand(DeleteEdgeConfigurationCommand);
    expect(stream.tags).toEqual({ [OWNER]: 'Cameras/NewName' });
  });
});
