import { Duration } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** OPC UA security policy of a source. */
export enum OpcUaSecurityPolicy {
  /** No security: only with message security mode NONE. */
  NONE = 'NONE',
  /** Deprecated by the OPC Foundation. */
  BASIC128_RSA15 = 'BASIC128_RSA15',
  /** Deprecated by the OPC Foundation. */
  BASIC256 = 'BASIC256',
  /** Basic256Sha256. */
  BASIC256_SHA256 = 'BASIC256_SHA256',
  /** Aes128_Sha256_RsaOaep. */
  AES128_SHA256_RSAOAEP = 'AES128_SHA256_RSAOAEP',
  /** Aes256_Sha256_RsaPss. */
  AES256_SHA256_RSAPSS = 'AES256_SHA256_RSAPSS',
}

/** OPC UA message security mode of a source. */
export enum OpcUaMessageSecurityMode {
  /** Only with security policy NONE. */
  NONE = 'NONE',
  /** Messages are signed. */
  SIGN = 'SIGN',
  /** Messages are signed and encrypted. */
  SIGN_AND_ENCRYPT = 'SIGN_AND_ENCRYPT',
}

/** What counts as a data change of a subscribed node. */
export enum OpcUaDataChangeTrigger {
  /** A change of status. */
  STATUS = 'STATUS',
  /** A change of status or value. */
  STATUS_VALUE = 'STATUS_VALUE',
  /** A change of status, value or source timestamp. */
  STATUS_VALUE_TIMESTAMP = 'STATUS_VALUE_TIMESTAMP',
}

/** Which timestamp a polled value carries. */
export enum OpcUaTimestampToReturn {
  /** The time the source measured the value. */
  SOURCE_TIME = 'SOURCE_TIME',
  /** The time the server received the value. */
  SERVER_TIME = 'SERVER_TIME',
}

/** How the gateway trusts the OPC UA server's certificate. */
export class OpcUaCertificateTrust {
  /** Trust any certificate the server presents. */
  public static trustAny(): OpcUaCertificateTrust {
    return new OpcUaCertificateTrust('TrustAny');
  }

  /**
   * Trust the given X.509 certificate (PEM).
   *
   * @param certificateBody the server's certificate
   * @param certificateChain the chain of the certificate's issuers
   */
  public static x509(certificateBody: string, certificateChain?: string): OpcUaCertificateTrust {
    return new OpcUaCertificateTrust('X509', certificateBody, certificateChain);
  }

  private constructor(
    /** `TrustAny` or `X509`. */
    public readonly type: string,
    /** The trusted certificate (X509). */
    public readonly certificateBody?: string,
    /** The certificate's chain (X509). */
    public readonly certificateChain?: string,
  ) {}
}

/** Who the gateway is to the OPC UA server. */
export class OpcUaIdentity {
  /** No credentials. */
  public static anonymous(): OpcUaIdentity {
    return new OpcUaIdentity();
  }

  /**
   * A user name and password from a Secrets Manager secret (keys `username` and `password`).
   * The gateway reads it with its own role: see `OpcUaCollectorConfiguration.grantSecretsRead`.
   */
  public static username(secret: secretsmanager.ISecret): OpcUaIdentity {
    return new OpcUaIdentity(secret);
  }

  private constructor(
    /** The secret holding the credentials, for user name identities. */
    public readonly secret?: secretsmanager.ISecret,
  ) {}
}

/** Where the gateway sends a source's data. */
export class OpcUaDestination {
  /** MQTT, for MQTT-enabled (V3) gateways. */
  public static mqtt(): OpcUaDestination {
    return new OpcUaDestination('MQTT');
  }

  /**
   * A Stream Manager stream, for Classic streams (V2) gateways.
   *
   * @param streamName the stream
   * @param streamBufferSize the stream's buffer size, as the user guide gives it
   */
  public static streamManager(streamName: string, streamBufferSize?: number): OpcUaDestination {
    return new OpcUaDestination('StreamManager', streamName, streamBufferSize);
  }

  private constructor(
    /** `MQTT` or `StreamManager`. */
    public readonly type: string,
    /** The Stream Manager stream. */
    public readonly streamName?: string,
    /** The Stream Manager stream's buffer size. */
    public readonly streamBufferSize?: number,
  ) {}
}

/** Filters out small changes of a value: a deadband. */
export class OpcUaDeadband {
  /**
   * Ignore changes smaller than a percentage (1 to 100) of the engineering unit range.
   */
  public static percent(value: number, options: OpcUaPercentDeadbandOptions = {}): OpcUaDeadband {
    return new OpcUaDeadband('PERCENT', value, options.eguMin, options.eguMax, options.timeout);
  }

  /** Ignore changes smaller than `value`. */
  public static absolute(value: number, options: OpcUaAbsoluteDeadbandOptions = {}): OpcUaDeadband {
    return new OpcUaDeadband('ABSOLUTE', value, undefined, undefined, options.timeout);
  }

  private constructor(
    /** `PERCENT` or `ABSOLUTE`. */
    public readonly type: string,
    /** The deadband. */
    public readonly value: number,
    /** Lowest value of the engineering unit range. */
    public readonly eguMin?: number,
    /** Highest value of the engineering unit range. */
    public readonly eguMax?: number,
    /** After this long, a value is sent even if it stayed in the deadband. */
    public readonly timeout?: Duration,
  ) {}
}

/** Options of a percent deadband. */
export interface OpcUaPercentDeadbandOptions {
  /**
   * Lowest value of the engineering unit range.
   *
   * @default - the server's EURange
   */
  readonly eguMin?: number;
  /**
   * Highest value of the engineering unit range.
   *
   * @default - the server's EURange
   */
  readonly eguMax?: number;
  /**
   * Send a value after this long even if it stayed in the deadband. At least 100 ms.
   *
   * @default - no timeout
   */
  readonly timeout?: Duration;
}

/** Options of an absolute deadband. */
export interface OpcUaAbsoluteDeadbandOptions {
  /**
   * Send a value after this long even if it stayed in the deadband. At least 100 ms.
   *
   * @default - no timeout
   */
  readonly timeout?: Duration;
}

/** How the gateway reads nodes: on change, or by polling. */
export class OpcUaScanMode {
  /** The server reports changes (subscription). */
  public static exception(): OpcUaScanMode {
    return new OpcUaScanMode('EXCEPTION');
  }

  /**
   * The gateway polls at `rate`.
   *
   * @param rate time between polls
   * @param timestampToReturn which timestamp the values carry
   */
  public static poll(rate: Duration, timestampToReturn?: OpcUaTimestampToReturn): OpcUaScanMode {
    return new OpcUaScanMode('POLL', rate, timestampToReturn);
  }

  private constructor(
    /** `EXCEPTION` or `POLL`. */
    public readonly type: string,
    /** Time between polls. */
    public readonly rate?: Duration,
    /** Which timestamp polled values carry. */
    public readonly timestampToReturn?: OpcUaTimestampToReturn,
  ) {}
}

/** Which data qualities a property group lets through. */
export interface OpcUaDataQualityOptions {
  /** @default true */
  readonly allowGoodQuality?: boolean;
  /** @default false */
  readonly allowBadQuality?: boolean;
  /** @default false */
  readonly allowUncertainQuality?: boolean;
}

/** Subscription settings of a property group. */
export interface OpcUaSubscriptionOptions {
  /**
   * What counts as a data change.
   *
   * @default - the collector's default
   */
  readonly dataChangeTrigger?: OpcUaDataChangeTrigger;
  /**
   * Values kept per node between publishes.
   *
   * @default - the collector's default
   */
  readonly queueSize?: number;
  /**
   * How often the server publishes.
   *
   * @default - the collector's default
   */
  readonly publishingInterval?: Duration;
  /**
   * How often a snapshot of every node is taken.
   *
   * @default - the collector's default
   */
  readonly snapshotFrequency?: Duration;
}

/** A group of nodes with its own data settings. */
export interface OpcUaPropertyGroupProps {
  /** The group's name, unique within the source. */
  readonly name: string;
  /**
   * Root paths of the nodes in the group (each starting with `/`, with `*` and `**` wildcards).
   * Groups of one source must not overlap.
   *
   * @default - every node; then the source may have no other group
   */
  readonly rootPaths?: string[];
  /** @default - no deadband */
  readonly deadband?: OpcUaDeadband;
  /** @default - the collector's default */
  readonly scanMode?: OpcUaScanMode;
  /** @default - the collector's default */
  readonly dataQuality?: OpcUaDataQualityOptions;
  /** @default - the collector's default */
  readonly subscription?: OpcUaSubscriptionOptions;
}

/** Periodic discovery of new nodes (V3). */
export interface OpcUaPeriodicDiscoveryOptions {
  /** Time between discoveries, at least 30 seconds. */
  readonly interval: Duration;
  /**
   * Most nodes discovered per interval.
   *
   * @default - no limit
   */
  readonly maxNodesDiscoveredPerInterval?: number;
}

/** How the collector browses the server's node tree (V3 gateways). */
export interface OpcUaDiscoveryOptions {
  /** @default - the collector's default */
  readonly enableNodeTraversal?: boolean;
  /** @default - the collector's default */
  readonly avoidNodeTreeLoops?: boolean;
  /**
   * Browse requests in flight at once, 1 to 500.
   *
   * @default - the collector's default
   */
  readonly maxConcurrentBrowseRequests?: number;
  /**
   * Nodes per browse request, 1 to 1000.
   *
   * @default - the collector's default
   */
  readonly maxNodesPerBrowseRequest?: number;
  /** @default - no periodic discovery */
  readonly periodicDiscovery?: OpcUaPeriodicDiscoveryOptions;
}

/** One OPC UA server the gateway collects from. */
export interface OpcUaSourceProps {
  /** A name unique within the gateway. */
  readonly name: string;
  /** The server's endpoint, `opc.tcp://host:port`. */
  readonly endpointUri: string;
  /** @default OpcUaCertificateTrust.trustAny() */
  readonly certificateTrust?: OpcUaCertificateTrust;
  /** @default OpcUaSecurityPolicy.NONE */
  readonly securityPolicy?: OpcUaSecurityPolicy;
  /** @default OpcUaMessageSecurityMode.NONE */
  readonly messageSecurityMode?: OpcUaMessageSecurityMode;
  /** @default OpcUaIdentity.anonymous() */
  readonly identity?: OpcUaIdentity;
  /**
   * Root paths of the nodes to collect (each starting with `/`, with `*` and `**` wildcards).
   *
   * @default - every node except those under `/Server/`
   */
  readonly includePaths?: string[];
  /**
   * Prefix of every data stream of the source.
   *
   * @default ''
   */
  readonly measurementDataStreamPrefix?: string;
  /** @default false */
  readonly convertArraysToJson?: boolean;
  /** @default false */
  readonly convertDatetimesToIso8601?: boolean;
  /**
   * Where the data goes: MQTT on V3 gateways, a Stream Manager stream on V2 gateways.
   *
   * @default - MQTT on V3; required on V2
   */
  readonly destination?: OpcUaDestination;
  /** @default - none */
  readonly propertyGroups?: OpcUaPropertyGroupProps[];
  /**
   * Node discovery settings (V3 gateways only).
   *
   * @default - the collector's default
   */
  readonly discovery?: OpcUaDiscoveryOptions;
  /**
   * What counts as a data change for nodes outside any property group (V3 gateways only).
   *
   * @default - the collector's default
   */
  readonly defaultDataChangeTrigger?: OpcUaDataChangeTrigger;
}
