/**
 * Input rules of Kinesis Video Streams StartEdgeConfigurationUpdate (service model 2017-09-30).
 *
 * Shared by the construct (literal values, at synth time) and the handler bundle (values that
 * were tokens at synth time). Each returns `undefined` when valid, or a message naming the
 * property, the value and the rule.
 */
import cron from 'cron-validate';

export const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
export const STREAM_ARN_PATTERN = /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/;
export const THING_ARN_PATTERN = /^arn:[a-z\d-]+:iot:[a-z0-9-]+:[0-9]+:thing\/[a-zA-Z0-9_.-]+$/;
export const SECRET_ARN_PATTERN = /^arn:[a-z\d-]+:secretsmanager:[a-z0-9-]+:[0-9]+:secret:[a-zA-Z0-9_.-]+$/;

export function checkStreamName(value: string): string | undefined {
  if (value.length < 1 || value.length > 256 || !STREAM_NAME_PATTERN.test(value)) {
    return `streamName must be 1 to 256 characters of letters, digits, '_', '.' and '-', got ${quote(value)}`;
  }
  return undefined;
}

export function checkStreamArn(value: string): string | undefined {
  if (value.length > 1024 || !STREAM_ARN_PATTERN.test(value)) {
    return `streamArn must be a Kinesis video stream ARN (arn:<partition>:kinesisvideo:<region>:<account>:stream/<name>/<creation time>), got ${quote(value)}`;
  }
  return undefined;
}

export function checkHubDeviceArn(value: string): string | undefined {
  if (value.length > 1024 || !THING_ARN_PATTERN.test(value)) {
    return `hubDeviceArn must be an IoT thing ARN (arn:<partition>:iot:<region>:<account>:thing/<name>), got ${quote(value)}`;
  }
  return undefined;
}

export function checkMediaUriSecretArn(value: string): string | undefined {
  if (value.length < 20 || value.length > 2048 || !SECRET_ARN_PATTERN.test(value)) {
    return `mediaUriSecret must be a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>), got ${quote(value)}`;
  }
  return undefined;
}

/**
 * A Quartz cron expression as the Edge Agent reads it: seconds, minutes, hours, day of month,
 * month, day of week and an optional year; exactly one of day of month and day of week is `?`;
 * ranges, steps, lists, names, L, W and #. 11 to 100 characters on one line.
 */
export function checkScheduleExpression(value: string, property: string): string | undefined {
  if (value.length < 11 || value.length > 100 || /[\r\n]/.test(value)) {
    return `${property} must be a Quartz cron expression of 11 to 100 characters on one line, got ${quote(value)}`;
  }
  const fields = value.trim().split(/\s+/);
  // cron-validate's AWS preset has Quartz's ranges, names, `?`, L, W and #; Quartz adds seconds and an optional year.
  const result = cron(fields.join(' '), { preset: 'aws-cloud-watch', override: { useSeconds: true, useYears: fields.length === 7 } });
  if (!result.isValid()) {
    const reasons = [...new Set(result.getError().map((e) => e.replace(/ \(Input cron: .*\)$/, '')))];
    return `${property} must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year], ` +
      `with exactly one of day-of-month and day-of-week '?'), got ${quote(value)}: ${reasons.join('; ')}`;
  }
  return undefined;
}

export function checkScheduleDurationSeconds(seconds: number, property: string): string | undefined {
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 3600) {
    return `${property} must be a whole number of seconds from 60 to 3600, got ${seconds} seconds`;
  }
  return undefined;
}

export function checkEdgeRetentionHours(hours: number): string | undefined {
  if (!Number.isInteger(hours) || hours < 1 || hours > 720) {
    return `edgeRetention must be a whole number of hours from 1 to 720, got ${hours} hours`;
  }
  return undefined;
}

export function checkMaxLocalMediaSizeMb(megabytes: number): string | undefined {
  if (!Number.isInteger(megabytes) || megabytes < 64 || megabytes > 2_000_000) {
    return `maxLocalMediaSize must be a whole number of MB from 64 to 2,000,000, got ${megabytes} MB`;
  }
  return undefined;
}

function quote(value: string): string {
  const shown = value.length > 120 ? `${value.slice(0, 117)}...` : value;
  return JSON.stringify(shown);
}
