import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CapabilityConfiguration, CapabilityNamespace, EdgeSyncMonitor, GatewayCapabilityConfiguration } from '../src';
import { dashboardWidgets, renderLayoutSvg } from './support/dashboard-layout';

const PICTURE = path.join(__dirname, '..', 'docs', 'dashboard-layout.svg');

function monitoredStack() {
  const stack = new Stack(new App(), 'Plant', { env: { account: '123456789012', region: 'us-east-1' } });
  const collector = new GatewayCapabilityConfiguration(stack, 'Collector', {
    gatewayId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromObject({ sources: [] }),
  });
  const monitor = EdgeSyncMonitor.enable(stack, { interval: Duration.minutes(15) });
  monitor.alarmOnDrift(collector);
  return { stack, monitor };
}

test('the dashboard graphs sync time percentiles, failures, drift and readiness, and the monitor\'s alarms', () => {
  const { monitor } = monitoredStack();
  const widgets = dashboardWidgets(monitor.addDashboard());
  expect(widgets.map((w) => [w.type, w.properties.title ?? null, w.x, w.y, w.width, w.height])).toMatchSnapshot();
  const expressions = JSON.stringify(widgets);
  for (const metric of ['SyncSeconds', 'SyncFailures', 'SyncTimeouts', 'Throttles', 'Ready']) expect(expressions).toContain(`MetricName=\\"${metric}\\"`);
  expect(expressions).toContain('"p90"');
});

test('metric names, dimensions and alarm thresholds', () => {
  const { stack } = monitoredStack();
  const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => {
    const { AlarmActions: _actions, OKActions: _ok, ...properties } = a.Properties;
    return properties;
  });
  expect(alarms).toMatchSnapshot();
});

test('docs/dashboard-layout.svg is what the dashboard draws (UPDATE_DASHBOARD_PICTURE=1 redraws it)', () => {
  const { monitor } = monitoredStack();
  const svg = renderLayoutSvg(dashboardWidgets(monitor.addDashboard()));
  if (process.env.UPDATE_DASHBOARD_PICTURE) fs.writeFileSync(PICTURE, svg);
  expect(fs.readFileSync(PICTURE, 'utf8')).toBe(svg);
});
