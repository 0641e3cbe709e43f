import { App, Duration, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesisvideo from 'aws-cdk-lib/aws-kinesisvideo';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  EdgeSchedule, MediaUriType, StrategyOnFullSize, StreamEdgeConfiguration, StreamEdgeConfigurationProps,
} from '../src';
import { stableTemplate } from './support/templates';

const RESOURCE_TYPE = 'Custom::EdgeSyncStreamEdgeConfiguration';
const HUB = 'arn:aws:iot:eu-west-1:123456789012:thing/camera-hub-1';
const STREAM_ARN = 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream/front-door/1700000000000';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:front-door-camera-AbCdEf';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

function edge(stack: Stack, props: Partial<StreamEdgeConfigurationProps> = {}, id: string = 'Edge'): StreamEdgeConfiguration {
  const secret = stack.node.tryFindChild('CameraSecret') as secretsmanager.ISecret
    ?? secretsmanager.Secret.fromSecretCompleteArn(stack, 'CameraSecret', SECRET_ARN);
  return new StreamEdgeConfiguration(stack, id, {
    streamName: 'front-door',
    hubDeviceArn: HUB,
    recorder: { mediaUriSecret: secret },
    ...props,
  });
}

/** The EdgeConfig property, resolved and parsed. */
function edgeConfigOf(stack: Stack): any {
  const resource = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE))[0];
  return JSON.parse(stack.resolve(resource.Properties.EdgeConfig));
}

describe('StreamEdgeConfiguration', () => {
  test('synthesizes the edge configuration with typed schedules, retention and local size', () => {
    const stack = newStack();
    edge(stack, {
      recorder: {
        mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'CameraSecret', SECRET_ARN),
        mediaUriType: MediaUriType.RTSP,
        schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
      },
      uploader: { schedule: EdgeSchedule.cron('0 30 18 ? * MON-FRI', Duration.minutes(30)) },
      deletion: {
        edgeRetention: Duration.days(3),
        maxLocalMediaSize: Size.gibibytes(64),
        strategyOnFullSize: StrategyOnFullSize.DELETE_OLDEST_MEDIA,
        deleteAfterUpload: true,
      },
    });
    expect(edgeConfigOf(stack)).toEqual({
      HubDeviceArn: HUB,
      RecorderConfig: {
        MediaSourceConfig: { MediaUriSecretArn: SECRET_ARN, MediaUriType: 'RTSP_URI' },
        ScheduleConfig: { ScheduleExpression: '0 0 8 ? * MON-FRI', DurationInSeconds: 3600 },
      },
      UploaderConfig: { ScheduleConfig: { ScheduleExpression: '0 30 18 ? * MON-FRI', DurationInSeconds: 1800 } },
      DeletionConfig: {
        EdgeRetentionInHours: 72,
        LocalSizeConfig: { MaxLocalMediaSizeInMB: 65536, StrategyOnFullSize: 'DELETE_OLDEST_MEDIA' },
        DeleteAfterUpload: true,
      },
    });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      Properties: { StreamName: 'front-door', WaitForSync: 'true', SyncTimeoutSeconds: '1500', OnDelete: 'delete', ServiceTimeout: '3600' },
      DeletionPolicy: 'Delete',
    });
  });

  test('snapshot', () => {
    const stack = newStack();
    edge(stack);
    expect(stableTemplate(stack)).toMatchSnapshot();
  });

  test('the handlers may call their Kinesis Video actions (isComplete also onEvent\'s, which it makes when throttling outlasts onEvent) on the streams used, and on streams whose owner tag names this stack', () => {
    const stack = newStack();
    edge(stack);
    edge(stack, { streamName: undefined, streamArn: STREAM_ARN.replace('front-door', 'back-door') }, 'Back');
    const template = Template.fromStack(stack);
    const statementsOf = (role: string) => Object.values(template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp(`${role}RoleDefaultPolicy`) },
    })).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const streams = [
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:eu-west-1:123456789012:stream/front-door/*']] },
      STREAM_ARN.replace('front-door', 'back-door'),
    ];
    const anyStream = [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kinesisvideo:eu-west-1:123456789012:stream/*']] }];
    const ownedByThisStack = { StringLike: { 'aws:ResourceTag/cdk-edge-sync:owner': { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] } } };
    const onEventActions = ['kinesisvideo:ListTagsForStream', 'kinesisvideo:TagStream', 'kinesisvideo:UntagStream', 'kinesisvideo:DescribeEdgeConfiguration'];
    const isCompleteActions = ['kinesisvideo:StartEdgeConfigurationUpdate', 'kinesisvideo:DeleteEdgeConfiguration', ...onEventActions];
    const handedOverByThisStack = { 'aws:ResourceTag/cdk-edge-sync:handover': { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] } };
    expect(statementsOf('IsCompleteHandler')).toEqual(expect.arrayContaining([
      { Action: isCompleteActions, Effect: 'Allow', Resource: streams },
      { Action: isCompleteActions, Effect: 'Allow', Resource: anyStream, Condition: ownedByThisStack },
      { Action: 'kinesisvideo:ListTagsForStream', Effect: 'Allow', Resource: anyStream, Condition: { StringLike: handedOverByThisStack } },
      {
        Action: 'kinesisvideo:UntagStream',
        Effect: 'Allow',
        Resource: anyStream,
        Condition: { 'StringLike': handedOverByThisStack, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-edge-sync:handover'] } },
      },
    ]));
    expect(statementsOf('OnEventHandler')).toEqual(expect.arrayContaining([
      { Action: onEventActions, Effect: 'Allow', Resource: streams },
      { Action: onEventActions, Effect: 'Allow', Resource: anyStream, Condition: ownedByThisStack },
    ]));
    const wide = [...statementsOf('OnEventHandler'), ...statementsOf('IsCompleteHandler')]
      .filter((st: any) => JSON.stringify(st.Resource).includes(':stream/*"') && st.Condition === undefined);
    expect(wide).toEqual([]);
  });

  test('takes the stream and hub device from L1 constructs', () => {
    const stack = newStack();
    const stream = new kinesisvideo.CfnStream(stack, 'Stream', { name: 'front-door', dataRetentionInHours: 24 });
    const hubDevice = new iot.CfnThing(stack, 'Hub', { thingName: 'camera-hub-1' });
    edge(stack, { streamName: undefined, stream, hubDeviceArn: undefined, hubDevice });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { StreamARN: { 'Fn::GetAtt': ['Stream', 'Arn'] } });
    const resource = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE))[0];
    expect(resource.Properties.EdgeConfig['Fn::Join'][1].slice(0, 2)).toEqual(['{"HubDeviceArn":"', { 'Fn::GetAtt': ['Hub', 'Arn'] }]);
  });

  test('grantMediaUriRead lets the Edge Agent role read the camera secret', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Camera');
    const config = edge(stack, { recorder: { mediaUriSecret: secret } });
    const role = new iam.Role(stack, 'EdgeAgentRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    config.grantMediaUriRead(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('EdgeAgentRole') }],
      PolicyDocument: { Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('Camera') } }] },
    });
  });

  test('RETAIN_ON_UPDATE_OR_DELETE renders RetainExceptOnCreate, and the one Delete CloudFormation then sends (a failed create\'s) deletes', () => {
    const stack = newStack();
    edge(stack, { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain', Properties: { OnDelete: 'delete' } });
  });

  test('RETAIN leaves the configuration; the attributes come from the handler', () => {
    const stack = newStack();
    const config = edge(stack, { removalPolicy: RemovalPolicy.RETAIN, waitForSync: false, syncTimeout: Duration.minutes(55) });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, { DeletionPolicy: 'Retain', Properties: { OnDelete: 'retain', WaitForSync: 'false', SyncTimeoutSeconds: '3300' } });
    for (const [attr, key] of [[config.attrSyncStatus, 'SyncStatus'], [config.attrLastUpdatedTime, 'LastUpdatedTime'],
      [config.attrRecorderStatus, 'RecorderStatus'], [config.attrUploaderStatus, 'UploaderStatus']]) {
      expect(stack.resolve(attr)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Edge/), key] });
    }
  });

  test('one stream and one configuration construct share the stack\'s provider with SiteWise resources', () => {
    const stack = newStack();
    edge(stack);
    edge(stack, { streamName: 'back-door' }, 'Back');
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 5);
  });

  test('a sync timeout shorter than the service\'s 15 minutes of retries is warned about', () => {
    const stack = newStack();
    edge(stack, { syncTimeout: Duration.minutes(10) });
    edge(stack, { streamName: 'back-door' }, 'Back');
    Annotations.fromStack(stack).hasWarning('/Stack/Edge', Match.stringLikeRegexp('syncTimeout \\(600 seconds\\) is shorter than the 15 minutes Kinesis Video retries'));
    expect(Annotations.fromStack(stack).findWarning('/Stack/Back', Match.anyValue())).toHaveLength(0);
  });

  test('tokens are left for the handler to check', () => {
    const stack = newStack();
    expect(() => edge(stack, {
      streamName: Token.asString({ Ref: 'StreamParameter' }),
      hubDeviceArn: Token.asString({ Ref: 'HubParameter' }),
      recorder: {
        mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'CameraSecret', SECRET_ARN),
        schedule: EdgeSchedule.cron(Token.asString({ Ref: 'CronParameter' }), Duration.seconds(Token.asNumber({ Ref: 'DurationParameter' }))),
      },
    })).not.toThrow();
  });
});

describe('StreamEdgeConfiguration validation', () => {
  const secret = (stack: Stack) => secretsmanager.Secret.fromSecretCompleteArn(stack, 'CameraSecret', SECRET_ARN);

  test.each([
    [{ streamName: 'front door' }, /Stack\/Edge: streamName must be 1 to 256 characters of letters, digits, '_', '.' and '-', got "front door"/],
    [{ streamName: 'x'.repeat(257) }, /streamName must be 1 to 256 characters/],
    [{ streamName: undefined, streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/front-door' }, /streamArn must be a Kinesis video stream ARN .* got "arn:aws:kinesis:eu-west-1/],
    [{ streamArn: STREAM_ARN }, /give exactly one of streamName, streamArn and stream, got 2/],
    [{ streamName: undefined }, /give exactly one of streamName, streamArn and stream, got none/],
    [{ hubDeviceArn: 'arn:aws:iot:eu-west-1:123456789012:thinggroup/hubs' }, /hubDeviceArn must be an IoT thing ARN .* got "arn:aws:iot:eu-west-1:123456789012:thinggroup\/hubs"/],
    [{ hubDeviceArn: undefined }, /give exactly one of hubDeviceArn and hubDevice, got neither/],
    [{ syncTimeout: Duration.minutes(56) }, /syncTimeout must be a whole number of seconds from 1 second to 55 minutes, got 56 minutes/],
    [{ removalPolicy: RemovalPolicy.SNAPSHOT }, /removalPolicy must be DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE, got snapshot/],
  ])('rejects %j', (props, message) => {
    expect(() => edge(newStack(), props as Partial<StreamEdgeConfigurationProps>)).toThrow(message);
  });

  test.each([
    ['0 0 12 * * *', /recorder.schedule expression must be a Quartz cron expression .* got "0 0 12 \* \* \*": Cannot specify both daysOfMonth and daysOfWeek/],
    ['0 0 12 ? * ?', /Cannot use blank value in daysOfMonth and daysOfWeek/],
    ['0 61 * * * ?', /Number '61' of minutes field is bigger than upper limit '59'/],
    ['* * * * ?', /recorder.schedule expression must be a Quartz cron expression of 11 to 100 characters on one line, got "\* \* \* \* \?"/],
    ['0 0 8 ? * MON-FRI\n', /11 to 100 characters on one line/],
    ['0 0 8 ? * 9', /Number '9' of daysOfWeek field is bigger than upper limit '7'/],
    ['0 0 8 ? * MON 1800', /Number '1800' of years field is smaller than lower limit '1970'/],
  ])('rejects the recorder schedule %j', (expression, message) => {
    const stack = newStack();
    const schedule = EdgeSchedule.cron(expression, Duration.hours(1));
    expect(() => edge(stack, { recorder: { mediaUriSecret: secret(stack), schedule } })).toThrow(message);
  });

  test.each(['0 0 8 ? * MON-FRI', '0 0/15 * * * ?', '0 0 12 ? * 6L', '0 0 12 LW * ?', '0 0 12 ? * 2#1', '0 0 12 15W * ? 2027', '0 0 8 ? JAN-MAR MON', '*/10 0-30/5 1,2,3 ? * SUN#2'])(
    'accepts the Quartz expression %j', (expression) => {
      const stack = newStack();
      expect(() => edge(stack, { uploader: { schedule: EdgeSchedule.cron(expression, Duration.minutes(1)) } })).not.toThrow();
    });

  test.each([
    [Duration.seconds(59), /uploader.schedule duration must be a whole number of seconds from 60 to 3600, got 59 seconds/],
    [Duration.minutes(61), /uploader.schedule duration must be a whole number of seconds from 60 to 3600, got 1 hour 1 minute/],
  ])('rejects an uploader duration of %s', (duration, message) => {
    expect(() => edge(newStack(), { uploader: { schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', duration) } })).toThrow(message);
  });

  test.each([
    [{ edgeRetention: Duration.minutes(90) }, /edgeRetention must be a whole number of hours from 1 to 720, got 1.5 hours/],
    [{ edgeRetention: Duration.days(31) }, /edgeRetention must be a whole number of hours from 1 to 720, got 744 hours/],
    [{ maxLocalMediaSize: Size.mebibytes(63) }, /maxLocalMediaSize must be a whole number of MB from 64 to 2,000,000, got 63 MB/],
    [{ maxLocalMediaSize: Size.tebibytes(2) }, /maxLocalMediaSize must be a whole number of MB from 64 to 2,000,000, got 2097152 MB/],
  ])('rejects the deletion option %j', (deletion, message) => {
    expect(() => edge(newStack(), { deletion })).toThrow(message);
  });

  test('rejects a CfnStream without data retention', () => {
    const stack = newStack();
    const stream = new kinesisvideo.CfnStream(stack, 'Stream', { name: 'front-door' });
    expect(() => edge(stack, { streamName: undefined, stream })).toThrow(
      'Stack/Edge: stream must keep data (dataRetentionInHours above 0), got none (0 hours): Kinesis Video refuses edge configurations for streams without retention',
    );
  });

  test('rejects a secret that is not a Secrets Manager ARN', () => {
    const stack = newStack();
    const notASecret = secretsmanager.Secret.fromSecretPartialArn(stack, 'Other', 'arn:aws:ssm:eu-west-1:123456789012:parameter/camera-url');
    expect(() => edge(stack, { recorder: { mediaUriSecret: notASecret } })).toThrow(/mediaUriSecret must be a Secrets Manager secret ARN/);
  });

  test('rejects two configurations of one stream in a stack', () => {
    const stack = newStack();
    edge(stack);
    expect(() => edge(stack, {}, 'Again')).toThrow('Stack/Again: the edge configuration of stream front-door is already configured by Stack/Edge in this stack');
  });
});
