import { kinesisVideoCall, streamTags, tagStream, untagStream } from './kinesis-video';
import { StreamRef } from './settings';
import { TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';

/** A deletion that ends DELETE_FAILED is requested again until this many have failed. */
export const MAX_DELETE_ATTEMPTS = 3;

/** The stream tag that counts failed deletions: `<operation start, epoch ms>:<count>`. */
export const DELETE_FAILURES_TAG = 'cdk-edge-sync:delete-failures';

/** Longest FailedStatusDetails quoted in a reason, which CloudFormation takes up to 4 KB of. */
const MAX_DETAILS_LENGTH = 500;

/**
 * How many deletions of one operation ended DELETE_FAILED, across isComplete invocations.
 *
 * The count cannot travel with the request: what isComplete answers with `IsComplete: false` is
 * dropped, and the next invocation gets onEvent's state again (shared/types.ts, WaitState). Nor can
 * it be read off the service, which shows only the last status and its FailedStatusDetails
 * (LastUpdatedTime moves with updates, not deletions). So it is kept where the configuration is,
 * in a tag on the stream, under the operation's start time so that a later operation counts from
 * zero. It is counted before the deletion is requested again, so a lost invocation can cost an
 * attempt but never add one. The tag is removed once the deletion is done or has failed.
 */
export class DeleteFailures {
  /** Whether this invocation counted: it then knows the tag is there to remove. */
  private counted = false;

  constructor(private readonly stream: StreamRef, private readonly operationStartedAt: number) {}

  /**
   * Counts a DELETE_FAILED before the deletion is requested again; at MAX_DELETE_ATTEMPTS removes
   * the count and throws `failure(times, details)`.
   */
  public async count(details: string | undefined, failure: (times: number, details: string) => string): Promise<void> {
    const tags = await kinesisVideoCall(this.stream, 'read the tags of', () => streamTags(this.stream));
    const times = this.recorded(tags[DELETE_FAILURES_TAG]) + 1;
    this.counted = true;
    const reason = shorten(details ?? 'no details given');
    if (times >= MAX_DELETE_ATTEMPTS) {
      await this.clear();
      throw new TerminalError(failure(times, reason));
    }
    logger.warn('the deletion failed: requesting it again', { times, of: MAX_DELETE_ATTEMPTS });
    await kinesisVideoCall(this.stream, 'count the failed deletions of', () => tagStream(this.stream, { [DELETE_FAILURES_TAG]: `${this.operationStartedAt}:${times}` }));
  }

  /** The tag keys to remove once the deletion is done: the count's, if this invocation counted. */
  public get keys(): string[] {
    return this.counted ? [DELETE_FAILURES_TAG] : [];
  }

  /**
   * Removes the count if this invocation counted; a failure only leaves it behind, where a later
   * operation ignores it and the resource's Delete removes it with the owner tag.
   */
  public async clear(): Promise<void> {
    if (!this.counted) return;
    try {
      await untagStream(this.stream, [DELETE_FAILURES_TAG]);
      this.counted = false;
    } catch (error) {
      logger.warn('could not remove the count of failed deletions', { error: (error as Error)?.name });
    }
  }

  private recorded(value: string | undefined): number {
    const [operation, times] = (value ?? '').split(':');
    return operation === String(this.operationStartedAt) ? Number(times) || 0 : 0;
  }
}

function shorten(text: string): string {
  return text.length > MAX_DETAILS_LENGTH ? `${text.slice(0, MAX_DETAILS_LENGTH - 3)}...` : text;
}
