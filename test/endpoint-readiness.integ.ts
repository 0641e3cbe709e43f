/**
 * Integration test: a readiness gate on a dataflow endpoint group whose receiver instance runs
 * the AWS Ground Station Agent, and an assertion that every agent endpoint is HEALTHY. Give the
 * group with `-c dataflowEndpointGroupId=<uuid>`.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { DataflowEndpointGroupReadiness } from '../src';

const app = new App();
const dataflowEndpointGroupId: string = app.node.tryGetContext('dataflowEndpointGroupId') ?? '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const stack = new Stack(app, 'EdgeSyncEndpointReadinessInteg');

new DataflowEndpointGroupReadiness(stack, 'AgentReady', { dataflowEndpointGroupId });

const integ = new IntegTest(app, 'DataflowEndpointGroupReadiness', { testCases: [stack] });
integ.assertions
  .awsApiCall('GroundStation', 'getDataflowEndpointGroup', { dataflowEndpointGroupId })
  .expect(ExpectedResult.objectLike({ endpointsDetails: Match.arrayWith([Match.objectLike({ healthStatus: 'HEALTHY' })]) }));
