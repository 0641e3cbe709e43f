import { Duration, Size } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** How the Edge Agent reads the camera. */
export enum MediaUriType {
  /** The media URI is an RTSP URL of a camera. */
  RTSP = 'RTSP_URI',
  /** The media URI is a file on the hub device. */
  FILE = 'FILE_URI',
}

/** What the Edge Agent does when its local storage is full. */
export enum StrategyOnFullSize {
  /** Delete the oldest recorded media to make room. */
  DELETE_OLDEST_MEDIA = 'DELETE_OLDEST_MEDIA',
  /** Stop recording until there is room. */
  DENY_NEW_MEDIA = 'DENY_NEW_MEDIA',
}

/**
 * When a recorder or uploader job runs: a Quartz cron expression for its start and how long
 * each run lasts.
 */
export class EdgeSchedule {
  /**
   * @param expression a Quartz cron expression: seconds, minutes, hours, day of month, month,
   * day of week, optional year, with exactly one of day of month and day of week `?`;
   * for example `0 0 8 ? * MON-FRI` (8:00 on weekdays). 11 to 100 characters.
   * @param duration how long each run lasts, 60 seconds to 1 hour
   */
  public static cron(expression: string, duration: Duration): EdgeSchedule {
    return new EdgeSchedule(expression, duration);
  }

  private constructor(
    /** The Quartz cron expression. */
    public readonly expression: string,
    /** How long each run lasts. */
    public readonly duration: Duration,
  ) {}
}

/** The recorder: where the Edge Agent records media from, and when. */
export interface EdgeRecorderOptions {
  /**
   * The Secrets Manager secret holding the camera's media URI, under the key `MediaURI`.
   * The Edge Agent reads it with its own role: see `StreamEdgeConfiguration.grantMediaUriRead`.
   */
  readonly mediaUriSecret: secretsmanager.ISecret;

  /**
   * What the media URI points at.
   *
   * @default MediaUriType.RTSP
   */
  readonly mediaUriType?: MediaUriType;

  /**
   * When to record.
   *
   * @default - record continuously
   */
  readonly schedule?: EdgeSchedule;
}

/** The uploader: when the Edge Agent uploads recorded media to the stream. */
export interface EdgeUploaderOptions {
  /** When to upload. */
  readonly schedule: EdgeSchedule;
}

/** How the Edge Agent deletes media from the hub device. */
export interface EdgeDeletionOptions {
  /**
   * How long media stays on the device, in whole hours from 1 to 720.
   *
   * @default Duration.hours(720) (the service's default)
   */
  readonly edgeRetention?: Duration;

  /**
   * The most media kept on the device, in whole MB from 64 to 2,000,000.
   *
   * @default - the service's default
   */
  readonly maxLocalMediaSize?: Size;

  /**
   * What to do when `maxLocalMediaSize` is reached.
   *
   * @default - the service's default
   */
  readonly strategyOnFullSize?: StrategyOnFullSize;

  /**
   * Delete media from the device once it is uploaded.
   *
   * @default true (the service's default)
   */
  readonly deleteAfterUpload?: boolean;
}
