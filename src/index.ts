export * from './gateway-capability/capability-namespace';
export * from './gateway-capability/capability-configuration';
export * from './gateway-capability/gateway-capability-configuration';
export * from './stream-edge/edge-options';
export * from './stream-edge/stream-edge-configuration';
