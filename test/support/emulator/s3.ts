import { createHash } from 'node:crypto';
import type { ScaledClock } from '../clock';
import { AwsError, RawResponse, type AwsOperation, type AwsServiceDefinition, type OperationRequest, type ResourceTarget } from './protocol';
import type { Scope } from './scope';

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
  // S3's error code list: "SlowDown – Please reduce your request rate."
  throttlingMessage: 'Please reduce your request rate.',
  internalError: { code: 'InternalError', status: 500 },
  accessDeniedError: { code: 'AccessDenied', status: 403 },
  unrecognizedClientError: { code: 'InvalidAccessKeyId', status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.' },
};

export const S3_ERRORS = {
  NoSuchBucket: { code: 'NoSuchBucket', status: 404 },
  NoSuchKey: { code: 'NoSuchKey', status: 404 },
  AccessDenied: { code: 'AccessDenied', status: 403 },
  AuthorizationHeaderMalformed: { code: 'AuthorizationHeaderMalformed', status: 400 },
} as const;

export interface S3EmulatorOptions {
  /** `Last-Modified` of objects put from now on. */
  readonly clock: ScaledClock;
  /** Region and owner of buckets created without saying; default us-east-1 and 123456789012. */
  readonly region?: string;
  readonly accountId?: string;
}

/** Where a bucket lives and who owns it. */
export interface CreateBucketOptions {
  readonly region?: string;
  readonly accountId?: string;
}

interface Bucket extends Scope {
  readonly objects: Map<string, S3ObjectSnapshot>;
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
  private readonly home: Scope;
  /** By bucket name (global); each bucket has a region and an owner. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: S3EmulatorOptions) {
    this.clock = options.clock;
    this.home = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  }

  /**
   * Creates an empty bucket (a no-op if it exists), so a missing key in it is NoSuchKey rather
   * than NoSuchBucket; by default in the home region, owned by the home account.
   */
  public createBucket(bucket: string, options: CreateBucketOptions = {}): void {
    if (bucket === '') throw new Error('bucket names must not be empty');
    if (this.buckets.has(bucket)) return;
    const { region = this.home.region, accountId = this.home.accountId } = options;
    this.buckets.set(bucket, { region, accountId, objects: new Map() });
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
    this.buckets.get(bucket)!.objects.set(key, object);
  }

  /** The object, or undefined when there is none. */
  public getObject(bucket: string, key: string): S3ObjectSnapshot | undefined {
    const object = this.buckets.get(bucket)?.objects.get(key);
    return object && copy(object);
  }

  public has(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.objects.has(key) ?? false;
  }

  /** Deletes an object out of band (its bucket stays); whether there was one. */
  public deleteObject(bucket: string, key: string): boolean {
    return this.buckets.get(bucket)?.objects.delete(key) ?? false;
  }

  /** Every object of every bucket, in put order per bucket. */
  public objects(): S3ObjectSnapshot[] {
    return [...this.buckets.values()].flatMap((bucket) => [...bucket.objects.values()].map(copy));
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
      // IAM: s3:GetObject on `arn:aws:s3:::<bucket>/<key>`, owned by the bucket's owner.
      resource: (request) => this.objectResource(request),
      handler: (request) => this.getObjectResponse(request),
    }];
  }

  /**
   * The object's ARN and owner; a request signed for another region than the bucket's is refused
   * first, as S3 checks the signature's scope before anything else. A missing bucket has no owner
   * to authorize against: GetObject answers NoSuchBucket.
   */
  private objectResource({ labels, region }: OperationRequest): ResourceTarget | null {
    const bucket = this.buckets.get(labels.Bucket);
    if (!bucket) return null;
    if (bucket.region !== region) {
      throw new AwsError(S3_ERRORS.AuthorizationHeaderMalformed.code, S3_ERRORS.AuthorizationHeaderMalformed.status,
        `The authorization header is malformed; the region '${region}' is wrong; expecting '${bucket.region}'`, { Region: bucket.region });
    }
    return { arn: `arn:aws:s3:::${labels.Bucket}/${labels.Key}`, account: bucket.accountId };
  }

  private getObjectResponse(request: OperationRequest): RawResponse {
    const { Bucket: bucketName, Key: key } = request.labels;
    const bucket = this.buckets.get(bucketName);
    if (!bucket) throw new AwsError(S3_ERRORS.NoSuchBucket.code, S3_ERRORS.NoSuchBucket.status, 'The specified bucket does not exist', { BucketName: bucketName });
    const object = bucket.objects.get(key);
    if (!object) {
      // "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Access Denied error" (GetObject API reference).
      if (!request.isAllowed('s3:ListBucket', { arn: `arn:aws:s3:::${bucketName}`, account: bucket.accountId })) {
        throw new AwsError(S3_ERRORS.AccessDenied.code, S3_ERRORS.AccessDenied.status, 'Access Denied');
      }
      throw new AwsError(S3_ERRORS.NoSuchKey.code, S3_ERRORS.NoSuchKey.status, 'The specified key does not exist.', { Key: key });
    }
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
