import type { EdgeConfig, EdgeJobStatus } from './kinesis-video-shapes';
import { isList } from './scripts';

/**
 * How a simulated Kinesis Video Edge Agent (one per hub device) reacts to the edge configurations
 * the cloud sends it: scripts in the same shape as the SiteWise device scripts, with one channel
 * for configuration updates (StartEdgeConfigurationUpdate) and one for deletions
 * (DeleteEdgeConfiguration).
 */

/** Simulated ms from the API call until the agent acknowledges it (SYNCING → ACKNOWLEDGED, DELETING → DELETING_ACKNOWLEDGED). */
export const DEFAULT_ACK_MS = 1_000;
/** Simulated ms from the acknowledgement until the configuration runs (ACKNOWLEDGED → IN_SYNC) or is refused. */
export const DEFAULT_SYNC_MS = 2_000;
/** Simulated ms from the deletion's acknowledgement until the configuration and its media are gone. */
export const DEFAULT_DELETE_MS = 2_000;
/** The service retries reaching the agent for 15 minutes, then reports SYNC_FAILED (StartEdgeConfigurationUpdate docs). */
export const DEFAULT_GIVE_UP_MS = 15 * 60_000;

/** The agent acknowledges after `ackMs`, then fails after `failMs` more with FailedStatusDetails `reason`. */
export interface EdgeFailBehaviour {
  readonly kind: 'fail';
  readonly ackMs?: number;
  readonly failMs?: number;
  readonly reason?: string;
}

/** The agent is unreachable: the status stays SYNCING / DELETING until the service gives up after `giveUpMs`. */
export interface EdgeOfflineBehaviour {
  readonly kind: 'offline';
  readonly giveUpMs?: number;
}

/** Recorder and uploader job status the agent reports once a configuration runs; default SUCCESS for both. */
export interface EdgeJobStatusScript {
  readonly recorderStatus?: EdgeJobStatus;
  readonly uploaderStatus?: EdgeJobStatus;
  /** JobStatusDetails of both jobs. */
  readonly details?: string;
}

/** What the agent does with one configuration update. */
export type EdgeSyncBehaviour =
  /** SYNCING → ACKNOWLEDGED after `ackMs` → IN_SYNC after `syncMs` more (unless the config check refuses the configuration). */
  | { readonly kind: 'sync'; readonly ackMs?: number; readonly syncMs?: number; readonly jobStatus?: EdgeJobStatusScript }
  | EdgeFailBehaviour
  | EdgeOfflineBehaviour;

/** What the agent does with one deletion. */
export type EdgeDeleteBehaviour =
  /** DELETING → DELETING_ACKNOWLEDGED after `ackMs` → gone after `deleteMs` more. */
  | { readonly kind: 'delete'; readonly ackMs?: number; readonly deleteMs?: number }
  | EdgeFailBehaviour
  | EdgeOfflineBehaviour;

/** Shorthands for building behaviours in tests; `fail` and `offline` fit both channels. */
export const EdgeAgentBehaviours = {
  sync: (ackMs: number = DEFAULT_ACK_MS, syncMs: number = DEFAULT_SYNC_MS): EdgeSyncBehaviour => ({ kind: 'sync', ackMs, syncMs }),
  fail: (reason?: string, ackMs: number = DEFAULT_ACK_MS, failMs: number = DEFAULT_SYNC_MS): EdgeFailBehaviour => ({ kind: 'fail', ackMs, failMs, reason }),
  offline: (giveUpMs: number = DEFAULT_GIVE_UP_MS): EdgeOfflineBehaviour => ({ kind: 'offline', giveUpMs }),
  delete: (ackMs: number = DEFAULT_ACK_MS, deleteMs: number = DEFAULT_DELETE_MS): EdgeDeleteBehaviour => ({ kind: 'delete', ackMs, deleteMs }),
};

/** The configuration update a behaviour function or config check decides about. */
export interface EdgeAgentUpdate {
  readonly hubDeviceArn: string;
  readonly streamName: string;
  readonly streamArn: string;
  readonly edgeConfig: EdgeConfig;
  /** 1 for the first update this agent receives (any stream), 2 for the second, … */
  readonly updateNumber: number;
  /** Like `updateNumber`, but counted from when the agent's own update script was set. */
  readonly scriptUpdateNumber: number;
  /** The secret string behind `MediaUriSecretArn` when the update was sent; undefined when there is no such secret. */
  readonly mediaUriSecret: string | undefined;
}

/** The deletion a behaviour function decides about. */
export interface EdgeAgentDeletion {
  readonly hubDeviceArn: string;
  readonly streamName: string;
  readonly streamArn: string;
  /** 1 for the first deletion this agent receives (any stream), 2 for the second, … */
  readonly deletionNumber: number;
  /** Like `deletionNumber`, but counted from when the agent's own deletion script was set. */
  readonly scriptDeletionNumber: number;
}

/** Returns FailedStatusDetails for a configuration the agent cannot run, or undefined to run it. */
export type EdgeConfigCheck = (update: EdgeAgentUpdate) => string | undefined;

export type EdgeSyncBehaviourFunction = (update: EdgeAgentUpdate) => EdgeSyncBehaviour;
export type EdgeDeleteBehaviourFunction = (deletion: EdgeAgentDeletion) => EdgeDeleteBehaviour;

export interface EdgeAgentScript {
  /**
   * One behaviour for every update; or a list consumed one per update from when the script is set
   * (the last entry repeats); or a function of the update. Omitted: the default script's.
   */
  readonly updates?: EdgeSyncBehaviour | readonly EdgeSyncBehaviour[] | EdgeSyncBehaviourFunction;
  /** Same for deletions, e.g. `[fail('disk busy'), delete()]` = "fail the first delete, succeed the second". */
  readonly deletions?: EdgeDeleteBehaviour | readonly EdgeDeleteBehaviour[] | EdgeDeleteBehaviourFunction;
  /**
   * Check run when a `sync` behaviour is about to put a configuration IN_SYNC. Defaults to
   * `defaultEdgeConfigCheck` (the media URI secret must exist and be readable); `false` accepts
   * everything. Omitted: the default script's.
   */
  readonly rejectWhen?: EdgeConfigCheck | false;
}

/** Anything `scriptAgent` accepts: a full script, or just the behaviour of its updates. */
export type EdgeAgentScriptInput = EdgeAgentScript | EdgeSyncBehaviour | readonly EdgeSyncBehaviour[] | EdgeSyncBehaviourFunction;

export function toEdgeAgentScript(input: EdgeAgentScriptInput): EdgeAgentScript {
  if (typeof input === 'function' || isList(input) || 'kind' in input) return { updates: input };
  return input;
}

/** Key of the media URI in the secret (case-sensitive, per the KVS Edge Agent setup guide). */
const MEDIA_URI_KEY = 'MediaURI';

/**
 * What a real Edge Agent would fail on before recording: the `MediaUriSecretArn` secret does not
 * exist, is not a JSON object with a string `MediaURI`, or (for RTSP_URI) the URI is not rtsp(s)://.
 */
export const defaultEdgeConfigCheck: EdgeConfigCheck = ({ edgeConfig, mediaUriSecret }) => {
  const { MediaUriSecretArn: secretArn, MediaUriType: uriType } = edgeConfig.RecorderConfig.MediaSourceConfig;
  if (mediaUriSecret === undefined) return `Failed to retrieve secret ${secretArn}: secret does not exist`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(mediaUriSecret);
  } catch {
    return `Secret ${secretArn} is not a JSON object with key ${MEDIA_URI_KEY}`;
  }
  const uri = (parsed as Record<string, unknown> | null)?.[MEDIA_URI_KEY];
  if (typeof uri !== 'string') return `Secret ${secretArn} has no string key ${MEDIA_URI_KEY}`;
  if (uriType === 'RTSP_URI' && !/^rtsps?:\/\//.test(uri)) return `Secret ${secretArn}: ${MEDIA_URI_KEY} is not an rtsp:// URI`;
  return undefined;
};

/** FailedStatusDetails when the service gives up on an unreachable agent. */
export function connectivityFailure(hubDeviceArn: string, giveUpMs: number): string {
  const seconds = Math.round(giveUpMs / 1000);
  const duration = seconds % 60 === 0 ? plural(seconds / 60, 'minute') : plural(seconds, 'second');
  return `Edge Agent on hub device ${hubDeviceArn} was not reachable: gave up after retrying for ${duration}; check the device's connectivity`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
