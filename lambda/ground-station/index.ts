import { isComplete } from './is-complete';
import { onEvent } from './on-event';
import { ResourceHandler } from '../shared/types';

/** Handlers of Custom::EdgeSyncDataflowEndpointGroupReadiness. */
export const endpointReadinessHandler: ResourceHandler = { onEvent, isComplete };
