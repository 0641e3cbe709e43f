export * from './gateway-capability/capability-namespace';
export * from './gateway-capability/capability-configuration';
export * from './gateway-capability/gateway-capability-configuration';
