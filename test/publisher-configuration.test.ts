/*
 * PublisherConfiguration: documents compared key for key with the AWS IoT SiteWise User Guide.
 *
 * Fixtures (test/fixtures/sitewise-user-guide/), copied from the User Guide's AWS CLI examples:
 * - publisher-v2.json: "Configure the AWS IoT SiteWise publisher component", section AWS CLI,
 *   "Example: Publisher configuration for Classic Stream, V2 gateways" (iotsitewise:publisher:2).
 * - publisher-v3-realtime.json and publisher-v3-realtime-update.json: "Add an AWS IoT SiteWise
 *   Edge real-time destination" (https://docs.aws.amazon.com/iot-sitewise/latest/userguide/destinations-real-time.html),
 *   "Example: Create a new ..." and "Example: Update an AWS IoT SiteWise real-time destination".
 * - publisher-v3-buffered.json and publisher-v3-buffered-update.json: "Add an AWS IoT SiteWise
 *   buffered destination using Amazon S3" (https://docs.aws.amazon.com/iot-sitewise/latest/userguide/destinations-buffered.html),
 *   "Example: Create a new ..." and "Example: Update an AWS IoT SiteWise destination buffered using Amazon S3".
 * - publisher-v3-buffered-tutorial.json: "Integrate data into SiteWise Edge using an MQTT-enabled,
 *   V3 gateway", Step 7: Specify destinations, AWS CLI example.
 *
 * The V3 pages mark user-replaceable placeholders (`your-destination-name`, `#`, `123456789012`)
 * with code markers inside the JSON; the fixtures hold the text without those markers. Otherwise
 * the examples are unchanged.
 */
import { App, CfnParameter, Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  CapabilityNamespace, GatewayCapabilityConfiguration,
  PublisherBucket,
  PublisherConfiguration,
  PublisherDestination,
  PublisherDestinationType,
  PublisherDropPolicy,
  PublisherV2Props,
  PublishingOrder,
} from '../src';
import * as publisherV2Fixture from './fixtures/sitewise-user-guide/publisher-v2.json';
import * as bufferedTutorialFixture from './fixtures/sitewise-user-guide/publisher-v3-buffered-tutorial.json';
import * as bufferedUpdateFixture from './fixtures/sitewise-user-guide/publisher-v3-buffered-update.json';
import * as bufferedFixture from './fixtures/sitewise-user-guide/publisher-v3-buffered.json';
import * as realtimeUpdateFixture from './fixtures/sitewise-user-guide/publisher-v3-realtime-update.json';
import * as realtimeFixture from './fixtures/sitewise-user-guide/publisher-v3-realtime.json';

const GATEWAY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const RESOURCE_TYPE = 'Custom::EdgeSyncGatewayCapabilityConfiguration';
const BULK_IMPORT_ROLE_ARN = 'arn:aws:iam::123456789012:role/your-role-name';

/** The drop policy of the User Guide's examples. */
const DOCUMENTED_DROP_POLICY: PublisherDropPolicy = {
  cutoffAge: Duration.days(7),
  exportPolicy: { retentionPeriod: Duration.days(7), rotationPeriod: Duration.hours(6), exportSizeLimit: Size.gibibytes(10) },
};

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** Renders a configuration the way GatewayCapabilityConfiguration does and parses it. */
function render(configuration: PublisherConfiguration, stack: Stack = newStack()): unknown {
  return JSON.parse(configuration.bind(stack).json);
}

function plain(fixture: object): unknown {
  // `import * as` adds a `default` key to JSON modules; compare the document only.
  const { default: _, ...document } = fixture as { default?: unknown };
  return document;
}

function publisher(stack: Stack, configuration: PublisherConfiguration, namespace?: CapabilityNamespace): GatewayCapabilityConfiguration {
  return new GatewayCapabilityConfiguration(stack, 'Publisher', { gatewayId: GATEWAY_ID, configuration, namespace });
}

/** The message of the error `fn` throws, so tests can compare it exactly. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as Error).name).toBe('ValidationError');
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

function v2Error(props: PublisherV2Props): string {
  const stack = newStack();
  return errorOf(() => publisher(stack, PublisherConfiguration.v2(props)));
}

function v3Error(...destinations: PublisherDestination[]): string {
  const stack = newStack();
  return errorOf(() => publisher(stack, PublisherConfiguration.v3({ destinations })));
}

function realtime(props: Partial<Parameters<typeof PublisherDestination.realtime>[0]> = {}): PublisherDestination {
  return PublisherDestination.realtime({ name: 'Cloud (real-time)', ...props });
}

function buffered(props: Partial<Parameters<typeof PublisherDestination.buffered>[0]> = {}): PublisherDestination {
  return PublisherDestination.buffered({
    name: 'Cloud (buffered)',
    targetBucket: PublisherBucket.fromArn('arn:aws:s3:::amzn-s3-demo-bucket'),
    localSizeLimit: Size.gibibytes(10),
    enableSiteWiseStorageImport: false,
    ...props,
  });
}

/**
 * The CapabilityConfiguration of the stack's resource, with Fn::GetAtt and Ref written as
 * `<GetAtt:Id.Attr>` and `<Ref:Id>` inside strings, and as the string `#Ref:Id#` where the
 * token stands alone in place of a number.
 */
function templateDocument(stack: Stack): unknown {
  const resources = Template.fromStack(stack).findResources(RESOURCE_TYPE);
  const value = Object.values(resources)[0].Properties.CapabilityConfiguration;
  if (typeof value === 'string') return JSON.parse(value);
  const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
  return JSON.parse(parts.map((part) => {
    if (typeof part === 'string') return part;
    const intrinsic = part as { 'Fn::GetAtt'?: string[]; 'Ref'?: string };
    if (intrinsic['Fn::GetAtt']) return `<GetAtt:${intrinsic['Fn::GetAtt'].join('.')}>`;
    if (intrinsic.Ref) return `<Ref:${intrinsic.Ref}>`;
    throw new Error(`unexpected part ${JSON.stringify(part)}`);
  }).join(separator).replace(/([:[,])<(Ref|GetAtt):([^>]+)>/g, '$1"#$2:$3#"'));
}

describe('PublisherConfiguration renders the User Guide examples key for key', () => {
  test('V2: SiteWisePublisherConfiguration and SiteWiseS3PublisherConfiguration', () => {
    const stack = newStack();
    // The example's accessRoleArn, arn:aws:iam:123456789012:role/roleName, lacks the empty
    // region field of an IAM ARN, so no IRole can carry it: the test uses the well-formed ARN.
    const accessRoleArn = 'arn:aws:iam::123456789012:role/roleName';
    const document = render(PublisherConfiguration.v2({
      publishingOrder: PublishingOrder.TIME_ORDER,
      enableCompression: true,
      dropPolicy: DOCUMENTED_DROP_POLICY,
      s3Publisher: {
        accessRole: iam.Role.fromRoleArn(stack, 'AccessRole', accessRoleArn),
        streamMappings: [{
          streamName: 'S3_OPC-UA_Data_Collector',
          targetBucket: PublisherBucket.fromArn('arn:aws:s3:::amzn-s3-demo-bucket/dataCollector'),
          publishFrequency: Duration.minutes(10),
          localSizeLimit: Size.gibibytes(10),
          enableSiteWiseStorageImport: true,
          enableDeleteAfterImport: true,
        }],
      },
    }), stack);
    const fixture = plain(publisherV2Fixture) as any;
    expect(fixture.SiteWiseS3PublisherConfiguration.accessRoleArn).toBe('arn:aws:iam:123456789012:role/roleName');
    expect(document).toEqual({
      ...fixture,
      SiteWiseS3PublisherConfiguration: { ...fixture.SiteWiseS3PublisherConfiguration, accessRoleArn },
    });
  });

  test('V3: new real-time destination', () => {
    const document = render(PublisherConfiguration.v3({
      destinations: [PublisherDestination.realtime({
        name: 'your-destination-name',
        publishingOrder: PublishingOrder.TIME_ORDER,
        enableCompression: true,
        maxBatchWaitTime: Duration.seconds(10),
        paths: ['#'],
      })],
    }));
    expect(document).toEqual(plain(realtimeFixture));
  });

  test('V3: real-time destination updated by id, with a drop policy', () => {
    const document = render(PublisherConfiguration.v3({
      destinations: [PublisherDestination.realtime({
        id: 'your-existing-destination-id',
        name: 'your-destination-name',
        publishingOrder: PublishingOrder.TIME_ORDER,
        enableCompression: true,
        dropPolicy: DOCUMENTED_DROP_POLICY,
        maxBatchWaitTime: Duration.seconds(10),
      })],
    }));
    expect(document).toEqual(plain(realtimeUpdateFixture));
  });

  test.each([
    ['new buffered destination', undefined, Duration.minutes(15), bufferedFixture],
    ['buffered destination updated by id', 'your-existing-destination-id', Duration.minutes(15), bufferedUpdateFixture],
    ['tutorial buffered destination', undefined, Duration.minutes(1), bufferedTutorialFixture],
  ])('V3: %s', (_, id, publishFrequency, fixture) => {
    const stack = newStack();
    const document = render(PublisherConfiguration.v3({
      destinations: [PublisherDestination.buffered({
        id,
        name: 'your-s3-destination-name',
        targetBucket: PublisherBucket.fromArn('arn:aws:s3:::amzn-s3-demo-bucket/Optional/SomeFolder'),
        publishFrequency,
        localSizeLimit: Size.gibibytes(10),
        enableSiteWiseStorageImport: true,
        enableDeleteAfterImport: true,
        bulkImportJobRole: iam.Role.fromRoleArn(stack, 'BulkImportRole', BULK_IMPORT_ROLE_ARN),
        paths: ['#'],
      })],
    }), stack);
    expect(document).toEqual(plain(fixture));
  });
});

describe('PublisherConfiguration defaults', () => {
  test('V2 without properties is the documented minimal publisher with compression', () => {
    expect(render(PublisherConfiguration.v2())).toEqual({
      SiteWisePublisherConfiguration: { publishingOrder: 'TIME_ORDER', enableCompression: true },
    });
  });

  test('a real-time destination publishes oldest data first, compressed, for every topic', () => {
    expect(render(PublisherConfiguration.v3({ destinations: [PublisherDestination.realtime({ name: 'Cloud' })] }))).toEqual({
      sources: [{ type: 'MQTT' }],
      destinations: [{
        type: 'SITEWISE_REALTIME',
        name: 'Cloud',
        config: { publishingOrder: 'TIME_ORDER', enableCompression: true },
        filters: [{ type: 'PATH', config: { paths: ['#'] } }],
      }],
    });
  });

  test('a buffered destination uploads every 15 minutes and imports into SiteWise, deleting after import', () => {
    const stack = newStack();
    const destination = PublisherDestination.buffered({
      name: 'Cloud (buffered)',
      targetBucket: PublisherBucket.fromArn('arn:aws:s3:::amzn-s3-demo-bucket'),
      localSizeLimit: Size.gibibytes(2),
      bulkImportJobRole: iam.Role.fromRoleArn(stack, 'BulkImportRole', BULK_IMPORT_ROLE_ARN),
    });
    expect(destination.type).toBe(PublisherDestinationType.SITEWISE_BUFFERED);
    expect((render(PublisherConfiguration.v3({ destinations: [destination] }), stack) as any).destinations[0].config).toEqual({
      targetBucketArn: 'arn:aws:s3:::amzn-s3-demo-bucket',
      publishPolicy: { publishFrequency: '15m', localSizeLimitGB: 2 },
      siteWiseImportPolicy: { enableSiteWiseStorageImport: true, enableDeleteAfterImport: true, bulkImportJobRoleArn: BULK_IMPORT_ROLE_ARN },
    });
  });

  test('without storage import the files stay in S3 and no role is needed', () => {
    expect((render(PublisherConfiguration.v3({ destinations: [buffered()] })) as any).destinations[0].config.siteWiseImportPolicy).toEqual({
      enableSiteWiseStorageImport: false,
      enableDeleteAfterImport: false,
    });
  });

  test('an empty destination list is a valid document', () => {
    expect(render(PublisherConfiguration.v3({ destinations: [] }))).toEqual({ sources: [{ type: 'MQTT' }], destinations: [] });
  });

  test('one real-time and several buffered destinations, with their own path filters', () => {
    const document = render(PublisherConfiguration.v3({
      destinations: [
        realtime({ paths: ['factory/+/machine/#'], publishingOrder: PublishingOrder.RECENT_DATA, enableCompression: false }),
        buffered({ name: 'Archive A', paths: ['a/#'] }),
        buffered({ name: 'Archive B', paths: [] }),
      ],
    })) as any;
    expect(document.destinations.map((d: any) => [d.type, d.name, d.filters[0].config.paths])).toEqual([
      ['SITEWISE_REALTIME', 'Cloud (real-time)', ['factory/+/machine/#']],
      ['SITEWISE_BUFFERED', 'Archive A', ['a/#']],
      ['SITEWISE_BUFFERED', 'Archive B', []],
    ]);
    expect(document.destinations[0].config).toEqual({ publishingOrder: 'RECENT_DATA', enableCompression: false });
  });
});

describe('durations and sizes in the document forms', () => {
  test.each([
    [Duration.days(7), '7d'],
    [Duration.hours(48), '2d'],
    [Duration.hours(6), '6h'],
    [Duration.minutes(120), '2h'],
    [Duration.minutes(90), '90m'],
    [Duration.seconds(300), '5m'],
    [Duration.millis(600_000), '10m'],
    [Duration.days(1.5), '36h'],
  ])('cutoffAge %s is written %s', (cutoffAge, expected) => {
    const document = render(PublisherConfiguration.v2({ dropPolicy: { cutoffAge } })) as any;
    expect(document.SiteWisePublisherConfiguration.dropPolicy).toEqual({ cutoffAge: expected });
  });

  test.each([
    [Duration.seconds(10), '10s'],
    [Duration.seconds(90), '90s'],
    [Duration.seconds(120), '2m'],
    [Duration.millis(15_000), '15s'],
  ])('maxBatchWaitTime %s is written %s', (maxBatchWaitTime, expected) => {
    const document = render(PublisherConfiguration.v3({ destinations: [realtime({ maxBatchWaitTime })] })) as any;
    expect(document.destinations[0].config.maxBatchWaitTime).toBe(expected);
  });

  test('sizes in any unit that is a whole number of GB', () => {
    const document = render(PublisherConfiguration.v2({
      dropPolicy: { cutoffAge: Duration.days(1), exportPolicy: { exportSizeLimit: Size.mebibytes(2048) } },
    })) as any;
    expect(document.SiteWisePublisherConfiguration.dropPolicy.exportPolicy).toEqual({ exportSizeLimitGB: 2 });
  });
});

describe('tokens', () => {
  test('bucket and role ARNs from constructs render into the template, namespace from the configuration', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Buffer');
    const role = new iam.Role(stack, 'BulkImport', { assumedBy: new iam.ServicePrincipal('iotsitewise.amazonaws.com') });
    const configuration = PublisherConfiguration.v3({
      destinations: [
        realtime({ name: 'Cloud "live"', maxBatchWaitTime: Duration.seconds(5) }),
        PublisherDestination.buffered({
          name: 'Cloud (buffered)',
          targetBucket: PublisherBucket.fromBucket(bucket, 'gateway-1'),
          localSizeLimit: Size.gibibytes(5),
          bulkImportJobRole: role,
          paths: ['line/+/#'],
        }),
      ],
    });
    publisher(stack, configuration);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { CapabilityNamespace: 'iotsitewise:publisher:3' });
    expect(templateDocument(stack)).toEqual({
      sources: [{ type: 'MQTT' }],
      destinations: [
        {
          type: 'SITEWISE_REALTIME',
          name: 'Cloud "live"',
          config: { publishingOrder: 'TIME_ORDER', enableCompression: true, maxBatchWaitTime: '5s' },
          filters: [{ type: 'PATH', config: { paths: ['#'] } }],
        },
        {
          type: 'SITEWISE_BUFFERED',
          name: 'Cloud (buffered)',
          config: {
            targetBucketArn: `<GetAtt:${bucketId}.Arn>/gateway-1`,
            publishPolicy: { publishFrequency: '15m', localSizeLimitGB: 5 },
            siteWiseImportPolicy: { enableSiteWiseStorageImport: true, enableDeleteAfterImport: true, bulkImportJobRoleArn: `<GetAtt:${roleId}.Arn>` },
          },
          filters: [{ type: 'PATH', config: { paths: ['line/+/#'] } }],
        },
      ],
    });
  });

  test('V2 access role and bucket from constructs; namespace iotsitewise:publisher:2', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Export');
    const role = new iam.Role(stack, 'Access', { assumedBy: new iam.ServicePrincipal('iotsitewise.amazonaws.com') });
    publisher(stack, PublisherConfiguration.v2({
      s3Publisher: {
        accessRole: role,
        streamMappings: [{
          streamName: 'S3_OPC-UA_Data_Collector',
          targetBucket: PublisherBucket.fromBucket(bucket),
          publishFrequency: Duration.hours(1),
          localSizeLimit: Size.gibibytes(1),
          enableSiteWiseStorageImport: false,
        }],
      },
    }));
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { CapabilityNamespace: 'iotsitewise:publisher:2' });
    expect(templateDocument(stack)).toEqual({
      SiteWisePublisherConfiguration: { publishingOrder: 'TIME_ORDER', enableCompression: true },
      SiteWiseS3PublisherConfiguration: {
        accessRoleArn: `<GetAtt:${roleId}.Arn>`,
        streamToS3ConfigMapping: [{
          streamName: 'S3_OPC-UA_Data_Collector',
          targetBucketArn: `<GetAtt:${bucketId}.Arn>`,
          publishPolicy: { publishFrequency: '1h', localSizeLimitGB: 1 },
          siteWiseImportPolicy: { enableSiteWiseStorageImport: false, enableDeleteAfterImport: false },
        }],
      },
    });
  });

  test('token durations, sizes, names and paths are written as given and not checked', () => {
    const stack = newStack();
    const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' });
    const gigabytes = new CfnParameter(stack, 'Gigabytes', { type: 'Number' });
    const name = new CfnParameter(stack, 'Name');
    publisher(stack, PublisherConfiguration.v3({
      destinations: [
        buffered({
          name: name.valueAsString,
          publishFrequency: Duration.minutes(minutes.valueAsNumber),
          localSizeLimit: Size.gibibytes(gigabytes.valueAsNumber),
        }),
        buffered({ name: 'Other', paths: [Token.asString(name.value)], targetBucket: PublisherBucket.fromArn(name.valueAsString) }),
      ],
    }));
    const document = templateDocument(stack) as any;
    expect(document.destinations[0].name).toBe('<Ref:Name>');
    // A number token stands unquoted in place of the number; inside a string it joins the text.
    expect(document.destinations[0].config.publishPolicy).toEqual({ publishFrequency: '<Ref:Minutes>m', localSizeLimitGB: '#Ref:Gigabytes#' });
    expect(document.destinations[1].config.targetBucketArn).toBe('<Ref:Name>');
    expect(document.destinations[1].filters[0].config.paths).toEqual(['<Ref:Name>']);
  });

  test('a token duration must be in a unit the field can write', () => {
    const stack = newStack();
    const millis = new CfnParameter(stack, 'Millis', { type: 'Number' });
    expect(errorOf(() => publisher(stack, PublisherConfiguration.v3({
      destinations: [buffered({ publishFrequency: Duration.millis(millis.valueAsNumber) })],
    })))).toBe('Stack/Publisher: publisher destination "Cloud (buffered)": publishPolicy.publishFrequency must be given in '
      + 'Duration.days(), Duration.hours(), Duration.minutes() when it is a token, got Duration.millis()');
  });

  test('a token size must be in gibibytes', () => {
    const stack = newStack();
    const mebibytes = new CfnParameter(stack, 'Mebibytes', { type: 'Number' });
    expect(errorOf(() => publisher(stack, PublisherConfiguration.v3({
      destinations: [buffered({ localSizeLimit: Size.mebibytes(mebibytes.valueAsNumber) })],
    })))).toBe('Stack/Publisher: publisher destination "Cloud (buffered)": publishPolicy.localSizeLimitGB must be given in Size.gibibytes() when it is a token');
  });
});

describe('namespace', () => {
  test('a V3 configuration with the V2 namespace fails', () => {
    const stack = newStack();
    expect(errorOf(() => publisher(stack, PublisherConfiguration.v3({ destinations: [realtime()] }), CapabilityNamespace.PUBLISHER_V2)))
      .toBe('Stack/Publisher: namespace iotsitewise:publisher:2 does not match the configuration, which is written for iotsitewise:publisher:3');
  });

  test('the matching namespace may be given explicitly', () => {
    const stack = newStack();
    expect(publisher(stack, PublisherConfiguration.v2(), CapabilityNamespace.PUBLISHER_V2).namespace).toBe('iotsitewise:publisher:2');
    expect(PublisherConfiguration.v3({ destinations: [] }).namespace).toBe(CapabilityNamespace.PUBLISHER_V3);
  });
});

describe('validation of the drop policy', () => {
  const PREFIX = 'Stack/Publisher: publisher SiteWisePublisherConfiguration: ';
  test.each([
    [{ cutoffAge: Duration.minutes(4) }, 'dropPolicy.cutoffAge must be at least 5 minutes, got 4 minutes'],
    [{ cutoffAge: Duration.days(8) }, 'dropPolicy.cutoffAge must be at most 7 days, got 8 days'],
    [{ cutoffAge: Duration.seconds(330) }, 'dropPolicy.cutoffAge must be a whole number of minutes, got 5 minutes 30 seconds'],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { retentionPeriod: Duration.seconds(30) } },
      'dropPolicy.exportPolicy.retentionPeriod must be at least 1 minute, got 30 seconds',
    ],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { retentionPeriod: Duration.days(31) } },
      'dropPolicy.exportPolicy.retentionPeriod must be at most 30 days, got 31 days',
    ],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { rotationPeriod: Duration.minutes(1) } },
      'dropPolicy.exportPolicy.rotationPeriod must be longer than 1 minute, got 1 minute',
    ],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { rotationPeriod: Duration.seconds(90) } },
      'dropPolicy.exportPolicy.rotationPeriod must be a whole number of minutes, got 1 minute 30 seconds',
    ],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { retentionPeriod: Duration.hours(1), rotationPeriod: Duration.hours(6) } },
      'dropPolicy.exportPolicy.retentionPeriod must be at least rotationPeriod, got 1 hour and rotationPeriod 6 hours',
    ],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { exportSizeLimit: Size.mebibytes(1536) } },
      'dropPolicy.exportPolicy.exportSizeLimitGB must be a whole number of GB, got 1.5 GiB',
    ],
    [
      { cutoffAge: Duration.days(1), exportPolicy: { exportSizeLimit: Size.gibibytes(0) } },
      'dropPolicy.exportPolicy.exportSizeLimitGB must be at least 1 GB, got 0 GB',
    ],
  ])('V2 %#', (dropPolicy, message) => {
    expect(v2Error({ dropPolicy })).toBe(PREFIX + message);
  });

  test('limits are inclusive: 5 minutes to 7 days; retention 1 minute to 30 days, equal to rotation', () => {
    for (const cutoffAge of [Duration.minutes(5), Duration.days(7)]) {
      expect(() => render(PublisherConfiguration.v2({ dropPolicy: { cutoffAge } }))).not.toThrow();
    }
    const exportPolicy = { retentionPeriod: Duration.days(30), rotationPeriod: Duration.days(30), exportSizeLimit: Size.gibibytes(1) };
    expect(() => render(PublisherConfiguration.v2({ dropPolicy: { cutoffAge: Duration.days(1), exportPolicy } }))).not.toThrow();
    expect(() => render(PublisherConfiguration.v2({
      dropPolicy: { cutoffAge: Duration.days(1), exportPolicy: { retentionPeriod: Duration.minutes(1) } },
    }))).not.toThrow();
  });

  test('a real-time destination names itself', () => {
    expect(v3Error(realtime({ dropPolicy: { cutoffAge: Duration.days(8) } })))
      .toBe('Stack/Publisher: publisher destination "Cloud (real-time)": dropPolicy.cutoffAge must be at most 7 days, got 8 days');
  });
});

describe('validation of V3 destinations', () => {
  const REALTIME = 'Stack/Publisher: publisher destination "Cloud (real-time)": ';
  const BUFFERED = 'Stack/Publisher: publisher destination "Cloud (buffered)": ';

  test('at most one real-time destination per gateway', () => {
    expect(v3Error(realtime({ name: 'A' }), buffered(), realtime({ name: 'B' })))
      .toBe('Stack/Publisher: publisher: a gateway has at most one SITEWISE_REALTIME destination, got 2: "A", "B"');
  });

  test('names and ids are unique', () => {
    expect(v3Error(realtime({ name: 'Same' }), buffered({ name: 'Same' })))
      .toBe('Stack/Publisher: publisher: destination names must be unique, got "Same" more than once');
    expect(v3Error(realtime({ id: 'd-1' }), buffered({ id: 'd-1' })))
      .toBe('Stack/Publisher: publisher: destination ids must be unique, got "d-1" more than once');
  });

  test('names and ids are not empty', () => {
    expect(v3Error(realtime({ name: ' ' }))).toBe('Stack/Publisher: publisher destination " ": name must not be empty, got " "');
    expect(v3Error(realtime({ id: '' }))).toBe(`${REALTIME}id must not be empty, got ""`);
  });

  test.each([
    [Duration.millis(1500), 'maxBatchWaitTime must be a whole number of seconds, got 1 second 500 millis'],
    [Duration.seconds(0), 'maxBatchWaitTime must be at least 1 second, got 0 seconds'],
  ])('real-time maxBatchWaitTime %s', (maxBatchWaitTime, message) => {
    expect(v3Error(realtime({ maxBatchWaitTime }))).toBe(REALTIME + message);
  });

  test.each([
    [{ publishFrequency: Duration.seconds(30) }, 'publishPolicy.publishFrequency must be at least 1 minute, got 30 seconds'],
    [{ publishFrequency: Duration.days(31) }, 'publishPolicy.publishFrequency must be at most 30 days, got 31 days'],
    [{ publishFrequency: Duration.seconds(150) }, 'publishPolicy.publishFrequency must be a whole number of minutes, got 2 minutes 30 seconds'],
    [{ localSizeLimit: Size.gibibytes(0) }, 'publishPolicy.localSizeLimitGB must be at least 1 GB, got 0 GB'],
    [{ localSizeLimit: Size.mebibytes(500) }, 'publishPolicy.localSizeLimitGB must be a whole number of GB, got 500 MiB'],
    [
      { enableSiteWiseStorageImport: true },
      'siteWiseImportPolicy.bulkImportJobRoleArn is required when enableSiteWiseStorageImport is true: '
        + 'give bulkImportJobRole, or set enableSiteWiseStorageImport to false',
    ],
    [
      { enableDeleteAfterImport: true },
      'siteWiseImportPolicy.enableDeleteAfterImport can only be true when enableSiteWiseStorageImport is true, got enableSiteWiseStorageImport false',
    ],
    [
      { targetBucket: PublisherBucket.fromArn('amzn-s3-demo-bucket') },
      'targetBucketArn must be an S3 bucket ARN, arn:aws:s3:::bucket-name or arn:aws:s3:::bucket-name/prefix, got "amzn-s3-demo-bucket"',
    ],
    [{ targetBucket: PublisherBucket.fromArn('arn:aws:s3:::amzn-s3-demo-bucket/') }, 'targetBucketArn prefix must be 1 to 255 characters, got 0'],
    [
      { targetBucket: PublisherBucket.fromArn(`arn:aws:s3:::amzn-s3-demo-bucket/${'p'.repeat(256)}`) },
      'targetBucketArn prefix must be 1 to 255 characters, got 256',
    ],
  ])('buffered %#', (props, message) => {
    expect(v3Error(buffered(props))).toBe(BUFFERED + message);
  });

  test('the prefix of a bucket construct is checked though its ARN is a token', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Buffer');
    expect(errorOf(() => publisher(stack, PublisherConfiguration.v3({
      destinations: [buffered({ targetBucket: PublisherBucket.fromBucket(bucket, 'p'.repeat(256)) })],
    })))).toBe(`${BUFFERED}targetBucketArn prefix must be 1 to 255 characters, got 256`);
  });

  test.each([
    [[''], 'paths[0] must not be blank, got ""'],
    [['a/#', '  '], 'paths[1] must not be blank, got "  "'],
    [['a\u0000b'], 'paths[0] must not contain U+0000, got "a\\u0000b"'],
    [['é'.repeat(32_768)], 'paths[0] must be 1 to 65,535 bytes, got 65,536 bytes'],
  ])('path filters %#', (paths, message) => {
    expect(v3Error(realtime({ paths }))).toBe(REALTIME + message);
  });

  test('special characters inside path filter names are allowed: SiteWise encodes them', () => {
    const paths = ['Factory1/Line#2/Sensor+3', 'Plant%A/Unit$1/Temp', 'a'.repeat(65_535)];
    const document = render(PublisherConfiguration.v3({ destinations: [realtime({ paths })] })) as any;
    expect(document.destinations[0].filters[0].config.paths).toEqual(paths);
  });

  test('at most 20,000 path filters over all destinations of a gateway', () => {
    const paths = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}/${i}`);
    expect(() => render(PublisherConfiguration.v3({ destinations: [realtime({ paths: paths('a', 10_000) }), buffered({ paths: paths('b', 10_000) })] })))
      .not.toThrow();
    expect(v3Error(realtime({ paths: paths('a', 10_000) }), buffered({ paths: paths('b', 10_001) })))
      .toBe('Stack/Publisher: publisher: a gateway has at most 20,000 path filters over all its destinations, got 20,001');
  });
});

describe('validation of V2 stream mappings', () => {
  function mapping(props: object = {}): PublisherV2Props {
    const stack = newStack();
    return {
      s3Publisher: {
        accessRole: iam.Role.fromRoleArn(stack, 'AccessRole', 'arn:aws:iam::123456789012:role/roleName'),
        streamMappings: [{
          streamName: 'S3_OPC-UA_Data_Collector',
          targetBucket: PublisherBucket.fromArn('arn:aws:s3:::amzn-s3-demo-bucket/dataCollector'),
          publishFrequency: Duration.minutes(10),
          localSizeLimit: Size.gibibytes(10),
          ...props,
        }],
      },
    };
  }
  const STREAM = 'Stack/Publisher: publisher stream "S3_OPC-UA_Data_Collector": ';

  test.each([
    [{ publishFrequency: Duration.seconds(90) }, 'publishPolicy.publishFrequency must be a whole number of minutes, got 1 minute 30 seconds'],
    [{ publishFrequency: Duration.seconds(0) }, 'publishPolicy.publishFrequency must be at least 1 minute, got 0 seconds'],
    [{ localSizeLimit: Size.kibibytes(1) }, 'publishPolicy.localSizeLimitGB must be a whole number of GB, got 1 KiB'],
    [
      { enableSiteWiseStorageImport: false, enableDeleteAfterImport: true },
      'siteWiseImportPolicy.enableDeleteAfterImport can only be true when enableSiteWiseStorageImport is true, got enableSiteWiseStorageImport false',
    ],
    [{ targetBucket: PublisherBucket.fromArn('arn:aws:s3:::') }, 'targetBucketArn must be an S3 bucket ARN, arn:aws:s3:::bucket-name or arn:aws:s3:::bucket-name/prefix, got "arn:aws:s3:::"'],
  ])('%#', (props, message) => {
    expect(v2Error(mapping(props))).toBe(STREAM + message);
  });

  test('a stream name is not empty', () => {
    expect(v2Error(mapping({ streamName: '' }))).toBe('Stack/Publisher: publisher stream "": streamName must not be empty, got ""');
  });

  test('a V2 publish frequency has no documented upper bound', () => {
    expect((render(PublisherConfiguration.v2(mapping({ publishFrequency: Duration.days(60) }))) as any)
      .SiteWiseS3PublisherConfiguration.streamToS3ConfigMapping[0].publishPolicy.publishFrequency).toBe('60d');
  });
});
