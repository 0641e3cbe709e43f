import { CheckResult } from './types';
import { agentEndpoints } from '../ground-station/ground-station';
import { describeEndpoint, judgeEndpoint, listWithin } from '../ground-station/readiness';
import { parseSettings } from '../ground-station/settings';
import { stackEnvironment } from '../shared/ownership';
import { DeployedRecord } from '../shared/records';

/**
 * A readiness gate's dataflow endpoint group: ready while every AWS Ground Station Agent endpoint
 * is ready by the gate's own rules (health, agent status, audit results). An endpoint that is no
 * longer ready (an agent that stopped reporting, say) is drift; the monitor never remediates it.
 */
export async function checkEndpointGroup(record: DeployedRecord): Promise<CheckResult> {
  const settings = parseSettings(record.Properties);
  const { partition, region, accountId } = stackEnvironment(record.StackId);
  const targetArn = `arn:${partition}:groundstation:${region}:${accountId}:dataflow-endpoint-group/${settings.groupId}`;
  const endpoints = await agentEndpoints(settings.groupId);
  const notReady = endpoints.filter((endpoint) => judgeEndpoint(endpoint, settings).state !== 'ready');
  const ready = endpoints.length > 0 && notReady.length === 0;
  const shown = endpoints.length === 0 ? 'no AWS Ground Station Agent endpoint' : listWithin(endpoints.map(describeEndpoint), 700);
  return {
    record,
    target: settings.groupId,
    targetArn,
    drifted: !ready,
    inSync: ready,
    ready,
    paths: notReady.map((endpoint) => `/endpoints/${endpoint.name}`).slice(0, 20),
    status: shown,
  };
}
