export * from './publishing-order';
export * from './drop-policy';
export * from './publisher-bucket';
export * from './publisher-destination';
export * from './publisher-props';
export * from './publisher-configuration';
