export * from './gateway-capability/capability-namespace';
export * from './gateway-capability/capability-configuration';
export * from './gateway-capability/gateway-capability-configuration';
export * from './stream-edge/edge-options';
export * from './stream-edge/stream-edge-configuration';
export * from './ground-station/dataflow-endpoint-group-readiness';
export * from './ground-station/ground-station-agent';
