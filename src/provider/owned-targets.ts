import { ownershipKeys } from '../shared/ownership-tags';

/**
 * What the handlers call on a target this stack owns (its owner tag names a resource of this
 * stack), shared by the constructs, which grant them for the targets they name, and the provider,
 * which grants them for targets the template may no longer name.
 */

/**
 * What onEvent calls on a gateway: the write, the owner tags around it (ownership), and the
 * stored document when it takes a configuration over from another resource. isComplete calls the
 * same: the sync status, the owner tag it removes once a delete is done, and what onEvent calls,
 * which isComplete makes when throttling outlasted onEvent's time.
 */
export const GATEWAY_HANDLER_ACTIONS = [
  'iotsitewise:UpdateGatewayCapabilityConfiguration', 'iotsitewise:DescribeGatewayCapabilityConfiguration',
  'iotsitewise:ListTagsForResource', 'iotsitewise:TagResource', 'iotsitewise:UntagResource',
];

/** What onEvent calls on a stream: the owner tags (ownership), and the configuration when it takes one over from another resource. */
export const STREAM_ON_EVENT_ACTIONS = [
  'kinesisvideo:ListTagsForStream', 'kinesisvideo:TagStream', 'kinesisvideo:UntagStream', 'kinesisvideo:DescribeEdgeConfiguration',
];

/**
 * What isComplete calls on a stream: it starts, follows and deletes the edge configuration, counts
 * failed deletions in a tag and removes the owner tag once a delete is done; and it makes onEvent's
 * ownership calls when throttling outlasted onEvent's time.
 */
export const STREAM_IS_COMPLETE_ACTIONS = [
  'kinesisvideo:StartEdgeConfigurationUpdate',
  'kinesisvideo:DeleteEdgeConfiguration',
  ...STREAM_ON_EVENT_ACTIONS,
];

/**
 * The capability namespaces the library knows. The provider grants the owned-target actions for
 * each of them whether or not the template still names a resource of that namespace: the cleanup
 * Delete of the last one removed runs under the new template's policies (and a stack that never
 * configured a namespace owns no gateway's tag of it, so the grant allows nothing there).
 */
export const KNOWN_CAPABILITY_NAMESPACES = [
  'iotsitewise:opcuacollector:2', 'iotsitewise:opcuacollector:3', 'iotsitewise:publisher:2', 'iotsitewise:publisher:3',
];

export { ownershipKeys };
