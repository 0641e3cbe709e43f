import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as groundstation from 'aws-cdk-lib/aws-groundstation';
import * as iam from 'aws-cdk-lib/aws-iam';
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
