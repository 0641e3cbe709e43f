import { createHash } from 'node:crypto';
import type { ScaledClock } from '../clock';
import { AwsError, RawResponse, type AwsOperation, type AwsServiceDefinition } from './protocol';

/**
 * A minimal in-memory Amazon S3: buckets of objects that tests (and the CloudFormation harness,
 * publishing a stack's file assets like `cdk deploy`) put directly, and the `GetObject`
 * operation over HTTP for the unmodified SDK v3 S3Client with `forcePathStyle: true`
 * (`GET /<bucket>/<key…>`; a local endpoint has no bucket subdomains).
 */

export const S3_SERVICE: AwsServiceDefinition = {
  signingName: 's3',
  protocol: 'restXml',
  errorMessageMember: 'Message',
  // S3 throttles with 503 SlowDown, a code the SDK's retry strategy classifies as throttling.
  throttlingError: { code: 'SlowDown', status: 503 },
  internalError: { code: 'InternalError', status: 500 },
};

export const S3_ERRORS = {
  NoSuchBucket: { code: 'NoSuchBucket', status: 404 },
  NoSuchKey: { code: 'NoSuchKey', status: 404 },
} as const;

export interface S3EmulatorOptions {
  /** `Last-Modified` of objects put from now on. */
  readonly clock: ScaledClock;
}

export interface S3ObjectSnapshot {
  readonly bucket: string;
  readonly key: string;
  /** A copy of the stored bytes. */
  readonly body: Buffer;
  readonly contentType: string;
  /** Quoted hex MD5 of the body, as S3 gives for objects uploaded in one part. */
  readonly etag: string;
  /** Simulated epoch ms of the put. */
  readonly lastModified: number;
}

export interface PutObjectOptions {
  /** Default: `application/json` for keys ending in `.json`, else `application/octet-stream`. */
  readonly contentType?: string;
}

/** Object keys are 1..1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

export class S3Emulator {
  private readonly clock: ScaledClock;
  /** Bucket name → key → object. */
  private readonly buckets = new Map<string, Map<string, S3ObjectSnapshot>>();

  constructor(options: S3EmulatorOptions) {
    this.clock = options.clock;
  }

  /** Creates an empty bucket (a no-op if it exists), so a missing key in it is NoSuchKey rather than NoSuchBucket. */
  public createBucket(bucket: string): void {
    if (bucket === '') throw new Error('bucket names must not be empty');
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
  }

  /** Stores (or replaces) an object, creating its bucket if needed. */
  public putObject(bucket: string, key: string, body: string | Buffer, options: PutObjectOptions = {}): void {
    const keyBytes = Buffer.byteLength(key, 'utf8');
    if (keyBytes === 0 || keyBytes > MAX_KEY_BYTES) throw new Error(`object keys are 1..${MAX_KEY_BYTES} bytes, got ${keyBytes}`);
    this.createBucket(bucket);
    const bytes = Buffer.from(body);
    const object: S3ObjectSnapshot = {
      bucket,
      key,
      body: bytes,
      contentType: options.contentType ?? (key.endsWith('.json') ? 'application/json' : 'application/octet-stream'),
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      lastModified: this.clock.now(),
    };
    this.buckets.get(bucket)!.set(key, object);
  }

  /** The object, or undefined when there is none. */
  public getObject(bucket: string, key: string): S3ObjectSnapshot | undefined {
    const object = this.buckets.get(bucket)?.get(key);
    return object && copy(object);
  }

  public has(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.has(key) ?? false;
  }

  /** Deletes an object out of band (its bucket stays); whether there was one. */
  public deleteObject(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.delete(key) ?? false;
  }

  /** Every object of every bucket, in put order per bucket. */
  public objects(): S3ObjectSnapshot[] {
    return [...this.buckets.values()].flatMap((objects) => [...objects.values()].map(copy));
  }

  public bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  /** Deletes every bucket and object. */
  public reset(): void {
    this.buckets.clear();
  }

  public operations(): AwsOperation[] {
    return [{
      service: S3_SERVICE.signingName,
      name: 'GetObject',
      method: 'GET',
      // Path-style addressing; the key is greedy because it may hold slashes. A key's trailing
      // slash is lost in routing, so such keys cannot be read back over HTTP.
      path: '/{Bucket}/{Key+}',
      successStatus: 200,
      handler: ({ labels }) => this.getObjectResponse(labels.Bucket, labels.Key),
    }];
  }

  private getObjectResponse(bucket: string, key: string): RawResponse {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new AwsError(S3_ERRORS.NoSuchBucket.code, S3_ERRORS.NoSuchBucket.status, 'The specified bucket does not exist', { BucketName: bucket });
    const object = objects.get(key);
    if (!object) throw new AwsError(S3_ERRORS.NoSuchKey.code, S3_ERRORS.NoSuchKey.status, 'The specified key does not exist.', { Key: key });
    return new RawResponse(object.body, {
      'Content-Type': object.contentType,
      'ETag': object.etag,
      'Last-Modified': new Date(object.lastModified).toUTCString(),
      'Accept-Ranges': 'bytes',
    });
  }
}

function copy(object: S3ObjectSnapshot): S3ObjectSnapshot {
  return { ...object, body: Buffer.from(object.body) };
}
