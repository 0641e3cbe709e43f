import { ResourceHandler } from '../shared/types';
import { isComplete } from './is-complete';
import { onEvent } from './on-event';

/** Handlers of Custom::EdgeSyncDataflowEndpointGroupReadiness. */
export const endpointReadinessHandler: ResourceHandler = { onEvent, isComplete };
