import { isComplete } from './is-complete';
import { onEvent } from './on-event';
import { ResourceHandler } from '../shared/types';

/** Handlers of Custom::EdgeSyncGatewayCapabilityConfiguration. */
export const gatewayCapabilityHandler: ResourceHandler = { onEvent, isComplete };
