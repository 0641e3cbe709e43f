/**
 * Integration test: a stream edge configuration on a real hub device running the Kinesis Video
 * Edge Agent, and an assertion that Kinesis Video reports it IN_SYNC. Give the hub device with
 * `-c hubDeviceArn=<thing ARN>` and the camera secret with `-c mediaUriSecretArn=<secret ARN>`.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kinesisvideo from 'aws-cdk-lib/aws-kinesisvideo';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { EdgeSchedule, StreamEdgeConfiguration } from '../src';

const app = new App();
const hubDeviceArn: string = app.node.tryGetContext('hubDeviceArn') ?? 'arn:aws:iot:us-east-1:123456789012:thing/edge-sync-integ-hub';
const secretArn: string = app.node.tryGetContext('mediaUriSecretArn') ?? 'arn:aws:secretsmanager:us-east-1:123456789012:secret:edge-sync-integ-camera-AbCdEf';
const stack = new Stack(app, 'EdgeSyncStreamEdgeInteg');

const stream = new kinesisvideo.CfnStream(stack, 'Stream', { name: 'edge-sync-integ', dataRetentionInHours: 24 });
new StreamEdgeConfiguration(stack, 'Camera', {
  stream,
  hubDeviceArn,
  recorder: {
    mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'CameraUri', secretArn),
    schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
  },
  deletion: { edgeRetention: Duration.hours(24) },
});

const integ = new IntegTest(app, 'StreamEdgeConfiguration', { testCases: [stack] });
integ.assertions
  .awsApiCall('KinesisVideo', 'describeEdgeConfiguration', { StreamName: 'edge-sync-integ' })
  .expect(ExpectedResult.objectLike({ SyncStatus: 'IN_SYNC' }));
