import { isComplete } from './is-complete';
import { onEvent } from './on-event';
import { ResourceHandler } from '../shared/types';

/** Handlers of Custom::EdgeSyncStreamEdgeConfiguration. */
export const streamEdgeHandler: ResourceHandler = { onEvent, isComplete };
