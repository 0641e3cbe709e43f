import { ResourceHandler } from '../shared/types';
import { isComplete } from './is-complete';
import { onEvent } from './on-event';

/** Handlers of Custom::EdgeSyncStreamEdgeConfiguration. */
export const streamEdgeHandler: ResourceHandler = { onEvent, isComplete };
