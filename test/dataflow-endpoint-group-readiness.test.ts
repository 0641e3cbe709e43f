import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as groundstation from 'aws-cdk-lib/aws-groundstation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataflowEndpointGroupReadiness, DataflowEndpointGroupReadinessProps, GroundStationAgent, GroundStationAgentStatus,
} from '../src';
import { stableTemplate } from './support/templates';

const RESOURCE_TYPE = 'Custom::EdgeSyncDataflowEndpointGroupReadiness';
const GROUP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-2' } });
}

function gate(stack: Stack, props: Partial<DataflowEndpointGroupReadinessProps> = {}, id: string = 'Ready'): DataflowEndpointGroupReadiness {
  return new DataflowEndpointGroupReadiness(stack, id, { dataflowEndpointGroupId: GROUP_ID, ...props });
}

function agentGroup(stack: Stack): groundstation.CfnDataflowEndpointGroup {
  return new groundstation.CfnDataflowEndpointGroup(stack, 'Group', {
    endpointDetails: [{
      awsGroundStationAgentEndpoint: {
        name: 'receiver-1',
        egressAddress: { socketAddress: { name: '10.0.0.10', port: 55000 } },
        ingressAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42100 } } },
      },
    }],
  });
}

const UPLINK: groundstation.CfnDataflowEndpointGroupV2.CreateEndpointDetailsProperty = {
  uplinkAwsGroundStationAgentEndpoint: {
    name: 'uplink-1',
    dataflowDetails: {
      agentConnectionDetails: {
        ingressAddressAndPort: { socketAddress: { name: '10.0.0.10', port: 50000 } },
        agentIpAndPortAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42100 } } },
      },
    },
  },
};
const DOWNLINK: groundstation.CfnDataflowEndpointGroupV2.CreateEndpointDetailsProperty = {
  downlinkAwsGroundStationAgentEndpoint: {
    name: 'downlink-1',
    dataflowDetails: {
      agentConnectionDetails: {
        agentIpAndPortAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 43000, maximum: 43100 } } },
        egressAddressAndPort: { socketAddress: { name: '10.0.0.10', port: 55000 } },
      },
    },
  },
};

function groupV2(stack: Stack, endpoints: groundstation.CfnDataflowEndpointGroupV2Props['endpoints'] = [UPLINK, DOWNLINK], id: string = 'Group'): groundstation.CfnDataflowEndpointGroupV2 {
  return new groundstation.CfnDataflowEndpointGroupV2(stack, id, { endpoints });
}

describe('DataflowEndpointGroupReadiness', () => {
  test('synthesizes a readiness gate with the defaults', () => {
    const stack = newStack();
    gate(stack);
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      Properties: { DataflowEndpointGroupId: GROUP_ID, RequireHealthyAudit: 'false', TimeoutSeconds: '1200', ServiceTimeout: '3600', ReadyAgentStatuses: Match.absent() },
    });
    expect(stableTemplate(stack)).toMatchSnapshot();
  });

  test('the handler may only read that group', () => {
    const stack = newStack();
    gate(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('IsCompleteHandlerRoleDefaultPolicy'),
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'groundstation:GetDataflowEndpointGroup',
          Effect: 'Allow',
          Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:groundstation:us-east-2:123456789012:dataflow-endpoint-group/${GROUP_ID}`]] }],
        }]),
      },
    });
  });

  test('takes the group from a CfnDataflowEndpointGroup', () => {
    const stack = newStack();
    const group = agentGroup(stack);
    const readiness = gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: group });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { DataflowEndpointGroupId: { 'Fn::GetAtt': ['Group', 'Id'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'groundstation:GetDataflowEndpointGroup', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': ['Group', 'Arn'] }] }]) },
    });
    expect(stack.resolve(readiness.attrEndpointStatuses)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Ready/), 'EndpointStatuses'] });
    expect(stack.resolve(readiness.attrEndpointCount)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Ready/), 'EndpointCount'] });
    expect(stack.resolve(readiness.attrOmittedEndpointCount)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Ready/), 'OmittedEndpointCount'] });
  });

  test('a group defined without any AWS Ground Station Agent endpoint is refused at synth: nothing could report it ready', () => {
    const stack = newStack();
    const group = new groundstation.CfnDataflowEndpointGroup(stack, 'Group', {
      endpointDetails: [{
        endpoint: { name: 'downlink', address: { name: '10.0.0.5', port: 55888 } },
        securityDetails: { roleArn: 'arn:aws:iam::123456789012:role/Dataflow', subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] },
      }],
    });
    expect(() => gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: group }))
      .toThrow('Stack/Ready: dataflowEndpointGroup has no awsGroundStationAgentEndpoint in its endpointDetails, so no AWS Ground Station Agent can report it ready');
    // Endpoint details that are tokens are left for the handler.
    const tokenGroup = new groundstation.CfnDataflowEndpointGroup(stack, 'TokenGroup', { endpointDetails: Token.asAny({ 'Fn::Split': [',', 'x'] }) as any });
    expect(() => gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: tokenGroup }, 'TokenReady')).not.toThrow();
  });

  test('which agent statuses count as ready is configurable', () => {
    const stack = newStack();
    const readyAgentStatuses = [GroundStationAgentStatus.ACTIVE, GroundStationAgentStatus.SUCCESS];
    gate(stack, { readyAgentStatuses, requireHealthyAudit: true, timeout: Duration.minutes(55) });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { ReadyAgentStatuses: '["ACTIVE","SUCCESS"]', RequireHealthyAudit: 'true', TimeoutSeconds: '3300' });
  });

  test('a token group id is left for the handler to check', () => {
    expect(() => gate(newStack(), { dataflowEndpointGroupId: Token.asString({ Ref: 'GroupParameter' }) })).not.toThrow();
  });

  test.each([
    [{ dataflowEndpointGroupId: 'group-1' }, 'Stack/Ready: dataflowEndpointGroupId must be a dataflow endpoint group id (a lowercase UUID), got "group-1"'],
    [{ dataflowEndpointGroupId: undefined }, 'Stack/Ready: give exactly one of dataflowEndpointGroupId and dataflowEndpointGroup, got neither'],
    [{ timeout: Duration.minutes(56) }, 'Stack/Ready: timeout must be a whole number of seconds from 1 second to 55 minutes, got 56 minutes'],
    [{ readyAgentStatuses: [GroundStationAgentStatus.FAILED] }, 'Stack/Ready: readyAgentStatuses must not include FAILED: an agent that reports FAILED is never ready'],
    [{ readyAgentStatuses: [] }, 'Stack/Ready: readyAgentStatuses must list at least one status, got none'],
  ])('rejects %j', (props, message) => {
    expect(() => gate(newStack(), props)).toThrow(message);
  });

  describe('a CfnDataflowEndpointGroupV2', () => {
    test('gives the group id and is scoped to exactly its ARN; the gate depends on the group', () => {
      const stack = newStack();
      const readiness = gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: groupV2(stack) });
      const template = Template.fromStack(stack);
      template.hasResourceProperties(RESOURCE_TYPE, { DataflowEndpointGroupId: { 'Fn::GetAtt': ['Group', 'Id'] } });
      expect(stack.resolve(readiness.dataflowEndpointGroupId)).toEqual({ 'Fn::GetAtt': ['Group', 'Id'] });
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
        .filter((statement) => statement.Action === 'groundstation:GetDataflowEndpointGroup');
      expect(statements).toEqual([{ Action: 'groundstation:GetDataflowEndpointGroup', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': ['Group', 'Arn'] }] }]);
      // CloudFormation creates the group first: the gate's properties name it.
      const [gateResource] = Object.values(template.findResources(RESOURCE_TYPE));
      expect(JSON.stringify(gateResource.Properties)).toContain('"Fn::GetAtt":["Group","Id"]');
    });

    test.each([
      ['an uplink agent endpoint', [UPLINK]],
      ['a downlink agent endpoint', [DOWNLINK]],
      ['endpoints that are a token', Token.asAny({ 'Fn::Split': [',', 'x'] })],
      ['an endpoint that is a token', [Token.asAny({ Ref: 'Endpoint' })]],
    ])('with %s counts as having an agent endpoint', (_what, endpoints) => {
      const stack = newStack();
      expect(() => gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: groupV2(stack, endpoints as any) })).not.toThrow();
    });

    test.each([
      ['no endpoints', []],
      ['endpoints left out', undefined],
      ['an item with neither member', [{}]],
    ])('with %s is refused at synth: nothing could report it ready', (_what, endpoints) => {
      const stack = newStack();
      const group = new groundstation.CfnDataflowEndpointGroupV2(stack, 'Group', { endpoints: endpoints as any });
      expect(() => gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: group })).toThrow(
        'Stack/Ready: dataflowEndpointGroup Stack/Group (a CfnDataflowEndpointGroupV2) has no uplinkAwsGroundStationAgentEndpoint or '
        + 'downlinkAwsGroundStationAgentEndpoint in its endpoints, so no AWS Ground Station Agent can report it ready: give it one, or remove the readiness gate',
      );
    });

    test('rejects both a group id and a V2 group', () => {
      const stack = newStack();
      expect(() => gate(stack, { dataflowEndpointGroup: groupV2(stack) })).toThrow('give exactly one of dataflowEndpointGroupId and dataflowEndpointGroup, got both');
    });
  });

  test('a resource that is not a dataflow endpoint group is refused, naming it and its type', () => {
    const stack = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    expect(() => gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: bucket })).toThrow(
      'Stack/Ready: dataflowEndpointGroup must be a CfnDataflowEndpointGroup (AWS::GroundStation::DataflowEndpointGroup) or a '
      + 'CfnDataflowEndpointGroupV2 (AWS::GroundStation::DataflowEndpointGroupV2), got Stack/Bucket (AWS::S3::Bucket)',
    );
    expect(() => gate(stack, { dataflowEndpointGroupId: undefined, dataflowEndpointGroup: new s3.Bucket(stack, 'L2') as any }, 'L2Ready'))
      .toThrow(/must be a CfnDataflowEndpointGroup .* got /);
  });

  test('rejects both a group id and a group', () => {
    const stack = newStack();
    expect(() => gate(stack, { dataflowEndpointGroup: agentGroup(stack) })).toThrow('give exactly one of dataflowEndpointGroupId and dataflowEndpointGroup, got both');
  });
});

describe('GroundStationAgent', () => {
  test('grants the agent role what the agent calls, scoped to this account and region', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'ReceiverRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    GroundStationAgent.grantAgentPermissions(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('ReceiverRole') }],
      PolicyDocument: {
        Statement: [
          { Action: 'groundstation:RegisterAgent', Effect: 'Allow', Resource: '*' },
          {
            Action: ['groundstation:UpdateAgentStatus', 'groundstation:GetAgentConfiguration', 'groundstation:GetAgentTaskResponseUrl'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':groundstation:us-east-2:123456789012:agent/*']] },
          },
        ],
      },
    });
  });

  test('names the AWS managed policy for those who prefer it', () => {
    const stack = newStack();
    const policy = iam.ManagedPolicy.fromAwsManagedPolicyName(GroundStationAgent.MANAGED_POLICY_NAME);
    expect(stack.resolve(policy.managedPolicyArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSGroundStationAgentInstancePolicy']] });
  });
});
