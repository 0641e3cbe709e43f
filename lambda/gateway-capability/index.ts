import { ResourceHandler } from '../shared/types';
import { isComplete } from './is-complete';
import { onEvent } from './on-event';

/** Handlers of Custom::EdgeSyncGatewayCapabilityConfiguration. */
export const gatewayCapabilityHandler: ResourceHandler = { onEvent, isComplete };
