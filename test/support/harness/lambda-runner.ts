import { randomBytes, randomUUID } from 'crypto';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ScaledClock } from '../clock';
import { SessionCredentials } from './iam-policies';
import { HarnessDisposedError } from './time';
import { InvocationRecord, RequestType } from './types';

/** Entry file of every execution environment (plain JS, see its header for the protocol). */
const WORKER_FILE = path.join(__dirname, 'lambda-worker.js');
/** Where `@aws-sdk/*` resolves from in a worker, standing in for the runtime's /var/runtime/node_modules. */
const RUNTIME_MODULE_PATHS = [path.resolve(__dirname, '..', '..', '..')];
/** Lambda's synchronous invocation payload limits. */
const MAX_REQUEST_BYTES = 6_291_456;
const MAX_RESPONSE_BYTES = 6_291_556;

/** Everything about a deployed function that decides how it runs. */
export interface LambdaFunctionConfiguration {
  readonly logicalId: string;
  readonly functionName: string;
  readonly functionArn: string;
  /** Directory holding the function code (the asset directory in the cloud assembly). */
  readonly taskRoot: string;
  readonly handler: string;
  readonly runtime: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  /** `Environment.Variables`, resolved. */
  readonly environment: Record<string, string>;
  readonly logFormat: 'Text' | 'JSON';
  readonly applicationLogLevel?: string;
  /** The execution role's ARN (`Role`), whose session credentials the environment gets. */
  readonly roleArn?: string;
}

/** The part of the Lambda Invoke API response the provider framework reads. */
export interface LambdaInvokeOutput {
  readonly FunctionError?: 'Unhandled';
  readonly Payload: string;
}

/** An error the Lambda API itself returns (the SDK call throws, rather than a FunctionError). */
export class LambdaServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface LambdaServiceOptions {
  readonly clock: ScaledClock;
  readonly region: string;
  readonly accountId: string;
  /** Merged last into every function's environment (e.g. AWS_ENDPOINT_URL of the emulator). */
  readonly env: Record<string, string>;
  /** Also print function logs to this process's stdout. */
  readonly echoLogs: boolean;
  readonly signal: AbortSignal;
  readonly onInvocation: (record: InvocationRecord) => void;
  /** The credentials of a function's execution role session (as Lambda puts them in the environment). */
  readonly credentialsFor: (config: LambdaFunctionConfiguration) => SessionCredentials;
}

interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

type WorkerOutcome =
  | { kind: 'result'; result: string }
  | { kind: 'error'; error: LambdaErrorPayload }
  | { kind: 'crash'; error: LambdaErrorPayload };

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaErrorPayload }
  | { type: 'log'; text: string }
  | { type: 'result'; id: string; result: string }
  | { type: 'error'; id?: string; error: LambdaErrorPayload; crashed?: boolean };

/**
 * Runs user Lambda functions the way the Lambda service does: each execution environment is
 * a long-lived worker thread (module state survives between invocations), one invocation at a
 * time per environment (concurrent invocations get another, cold, environment), a function
 * Timeout in simulated time that kills the environment, and code/config changes that retire
 * old environments.
 */
export class LambdaService {
  private readonly environments = new Map<string, ExecutionEnvironment[]>();
  private readonly currentFingerprint = new Map<string, string>();
  private readonly logLines = new Map<string, string[]>();
  private readonly prewarming = new Map<string, { fingerprint: string; started: Promise<StartResult> }>();
  private readonly terminations = new Set<Promise<void>>();

  constructor(private readonly options: LambdaServiceOptions) {}

  /** Lambda Invoke (RequestResponse) of `payload` (JSON text). */
  public async invoke(config: LambdaFunctionConfiguration, payload: string): Promise<LambdaInvokeOutput> {
    const { clock, signal } = this.options;
    if (signal.aborted) throw new HarnessDisposedError();
    if (Buffer.byteLength(payload, 'utf8') > MAX_REQUEST_BYTES) {
      throw new LambdaServiceError('RequestEntityTooLargeException', `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`);
    }
    if (!config.runtime.startsWith('nodejs')) {
      throw new Error(`CloudFormation harness: runtime ${config.runtime} of ${config.logicalId} is not supported (Node.js only)`);
    }

    const fingerprint = fingerprintOf(config);
    this.retireStale(config.logicalId, fingerprint);
    const startedAt = clock.now();
    const event = parseEventSummary(payload);
    const awsRequestId = randomUUID();
    let endedAt: number | undefined;
    const record = (outcome: InvocationRecord['outcome'], output: LambdaInvokeOutput, coldStart: boolean) => {
      this.options.onInvocation({
        functionLogicalId: config.logicalId,
        functionName: config.functionName,
        handler: config.handler,
        ...event,
        awsRequestId,
        coldStart,
        startedAt,
        endedAt: endedAt ?? clock.now(),
        outcome,
        event: safeParse(payload),
        payload: safeParse(output.Payload),
      });
      return output;
    };

    let environment = this.environments.get(config.logicalId)?.find((candidate) => candidate.idle && candidate.fingerprint === fingerprint);
    const coldStart = environment === undefined;
    if (!environment) {
      const started = await (this.takePrewarmed(config.logicalId, fingerprint) ?? this.startEnvironment(config, fingerprint));
      if ('initError' in started) {
        this.log(config, `INIT_REPORT Init Duration: 0 ms\tPhase: init\tStatus: error\tError Type: ${started.initError.errorType}`);
        return record('error', { FunctionError: 'Unhandled', Payload: JSON.stringify(started.initError) }, true);
      }
      environment = started;
      this.addEnvironment(config.logicalId, environment);
    }

    this.log(config, `START RequestId: ${awsRequestId} Version: $LATEST`);
    const deadline = clock.now() + config.timeoutSeconds * 1000;
    const outcome = await raceTimeout(
      environment.invoke(payload, { ...contextFor(config, environment), awsRequestId, deadline }),
      clock,
      config.timeoutSeconds * 1000,
      signal,
    );
    endedAt = clock.now();
    const durationMs = endedAt - startedAt;
    this.log(config, `END RequestId: ${awsRequestId}`);
    this.log(config, `REPORT RequestId: ${awsRequestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${config.memorySizeMb} MB`);

    if (outcome === 'timeout') {
      // The Lambda service kills a timed-out sandbox; the next invocation starts cold.
      this.log(config, `${new Date(clock.now()).toISOString()} ${awsRequestId} Task timed out after ${config.timeoutSeconds.toFixed(2)} seconds`);
      this.removeEnvironment(config.logicalId, environment);
      this.terminateInBackground(environment);
      const error = { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${config.timeoutSeconds.toFixed(2)} seconds` };
      return record('timeout', { FunctionError: 'Unhandled', Payload: JSON.stringify(error) }, coldStart);
    }
    if (outcome.kind === 'crash') {
      this.removeEnvironment(config.logicalId, environment);
      this.terminateInBackground(environment);
    } else {
      environment.release();
      this.retireStale(config.logicalId, this.currentFingerprint.get(config.logicalId) ?? fingerprint);
    }
    if (outcome.kind !== 'result') {
      return record('error', { FunctionError: 'Unhandled', Payload: JSON.stringify(outcome.error) }, coldStart);
    }
    if (Buffer.byteLength(outcome.result, 'utf8') > MAX_RESPONSE_BYTES) {
      const error = { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).` };
      return record('error', { FunctionError: 'Unhandled', Payload: JSON.stringify(error) }, coldStart);
    }
    return record('success', { Payload: outcome.result }, coldStart);
  }

  /**
   * Boots an execution environment ahead of the first invocation, so that starting a worker and
   * loading the bundle (real time, hence many simulated seconds at a high scale) is not charged
   * to the first request. Its first invocation still counts as a cold start. Resolves when booted.
   */
  public async prewarm(config: LambdaFunctionConfiguration): Promise<void> {
    if (this.options.signal.aborted) throw new HarnessDisposedError();
    const fingerprint = fingerprintOf(config);
    const warm = this.environments.get(config.logicalId)?.some((environment) => environment.fingerprint === fingerprint);
    if (warm) return;
    let prewarmed = this.prewarming.get(config.logicalId);
    if (prewarmed?.fingerprint !== fingerprint) {
      this.discardPrewarmed(config.logicalId);
      prewarmed = { fingerprint, started: this.startEnvironment(config, fingerprint) };
      this.prewarming.set(config.logicalId, prewarmed);
    }
    await prewarmed.started;
  }

  /** Log lines (START/END/REPORT and the function's own output) of a function, oldest first. */
  public logs(logicalId: string): string[] {
    return [...(this.logLines.get(logicalId) ?? [])];
  }

  public logGroups(): string[] {
    return [...this.logLines.keys()];
  }

  /** Ends the execution environments of a deleted function. */
  public retireFunction(logicalId: string): void {
    this.currentFingerprint.delete(logicalId);
    this.discardPrewarmed(logicalId);
    const idle = (this.environments.get(logicalId) ?? []).filter((environment) => environment.idle);
    idle.forEach((environment) => {
      this.removeEnvironment(logicalId, environment);
      this.terminateInBackground(environment);
    });
  }

  public async dispose(): Promise<void> {
    [...this.prewarming.keys()].forEach((logicalId) => this.discardPrewarmed(logicalId));
    [...this.environments.values()].flat().forEach((environment) => this.terminateInBackground(environment));
    this.environments.clear();
    await Promise.all([...this.terminations]);
  }

  /** A function's code or configuration changed: environments of the old version are not reused. */
  private retireStale(logicalId: string, fingerprint: string): void {
    this.currentFingerprint.set(logicalId, fingerprint);
    if (this.prewarming.get(logicalId)?.fingerprint !== fingerprint) this.discardPrewarmed(logicalId);
    for (const environment of this.environments.get(logicalId) ?? []) {
      if (environment.idle && environment.fingerprint !== fingerprint) {
        this.removeEnvironment(logicalId, environment);
        this.terminateInBackground(environment);
      }
    }
  }

  /** Terminating a worker takes real time; the invocation it served is over already. */
  private terminateInBackground(environment: ExecutionEnvironment): void {
    const termination = environment.terminate().finally(() => this.terminations.delete(termination));
    this.terminations.add(termination);
  }

  private startEnvironment(config: LambdaFunctionConfiguration, fingerprint: string): Promise<StartResult> {
    return ExecutionEnvironment.start(config, fingerprint, this.workerOptions(config), (line) => this.log(config, line));
  }

  private takePrewarmed(logicalId: string, fingerprint: string): Promise<StartResult> | undefined {
    const prewarmed = this.prewarming.get(logicalId);
    if (prewarmed?.fingerprint !== fingerprint) return undefined;
    this.prewarming.delete(logicalId);
    return prewarmed.started;
  }

  private discardPrewarmed(logicalId: string): void {
    const prewarmed = this.prewarming.get(logicalId);
    if (!prewarmed) return;
    this.prewarming.delete(logicalId);
    void prewarmed.started.then((started) => {
      if (!('initError' in started)) this.terminateInBackground(started);
    });
  }

  private addEnvironment(logicalId: string, environment: ExecutionEnvironment): void {
    this.environments.set(logicalId, [...(this.environments.get(logicalId) ?? []), environment]);
  }

  private removeEnvironment(logicalId: string, environment: ExecutionEnvironment): void {
    this.environments.set(logicalId, (this.environments.get(logicalId) ?? []).filter((candidate) => candidate !== environment));
  }

  private log(config: LambdaFunctionConfiguration, text: string): void {
    const lines = this.logLines.get(config.logicalId) ?? [];
    this.logLines.set(config.logicalId, lines);
    for (const line of text.replace(/\n$/, '').split('\n')) {
      lines.push(line);
      if (this.options.echoLogs) process.stdout.write(`[${config.functionName}] ${line}\n`);
    }
  }

  private workerOptions(config: LambdaFunctionConfiguration): WorkerStartOptions {
    const { region, accountId, clock } = this.options;
    const logStreamName = `${new Date(clock.now()).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    // Built from scratch: the test process's environment (and any real credentials in it) never reaches a handler.
    const credentials = this.options.credentialsFor(config);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: config.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
      LAMBDA_TASK_ROOT: config.taskRoot,
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      ...config.environment,
      ...this.options.env,
      // Reserved: Lambda sets the execution role's session credentials, whatever the configuration says.
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    };
    return { clock, env, logStreamName, accountId };
  }
}

type StartResult = ExecutionEnvironment | { initError: LambdaErrorPayload };

interface WorkerStartOptions {
  readonly clock: ScaledClock;
  readonly env: Record<string, string>;
  readonly logStreamName: string;
  readonly accountId: string;
}

interface InvocationContext {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: number;
  readonly logStreamName: string;
  readonly awsRequestId: string;
  /** Simulated epoch ms at which the function times out. */
  readonly deadline: number;
}

/** One warm container: a worker thread that has loaded the handler. */
class ExecutionEnvironment {
  public static start(
    config: LambdaFunctionConfiguration,
    fingerprint: string,
    options: WorkerStartOptions,
    log: (line: string) => void,
  ): Promise<StartResult> {
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        clock: options.clock.origin,
        taskRoot: config.taskRoot,
        handler: config.handler,
        runtimeModulePaths: RUNTIME_MODULE_PATHS,
        logFormat: config.logFormat,
        applicationLogLevel: config.applicationLogLevel,
      },
      env: options.env,
      execArgv: [],
      // Anything written around the patched console still ends up in the function's log, not the test output.
      stdout: true,
      stderr: true,
    });
    worker.stdout.on('data', (chunk: Buffer) => log(chunk.toString('utf8')));
    worker.stderr.on('data', (chunk: Buffer) => log(chunk.toString('utf8')));
    const environment = new ExecutionEnvironment(worker, fingerprint, options.logStreamName, log);

    return new Promise((resolve) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          resolve(environment);
        } else if (message.type === 'init-error') {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          void worker.terminate();
          resolve({ initError: message.error });
        }
      };
      const onExit = (code: number) => {
        resolve({ initError: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}` } });
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });
  }

  private pending?: { id: string; resolve: (outcome: WorkerOutcome) => void };
  private busy = false;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    public readonly fingerprint: string,
    public readonly logStreamName: string,
    log: (line: string) => void,
  ) {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') {
        log(message.text);
      } else if ((message.type === 'result' || message.type === 'error') && this.pending && (message.id === this.pending.id || message.id === undefined)) {
        const { resolve } = this.pending;
        this.pending = undefined;
        if (message.type === 'result') resolve({ kind: 'result', result: message.result });
        else resolve({ kind: message.crashed ? 'crash' : 'error', error: message.error });
      }
    });
    worker.on('error', (err: Error) => log(`worker error: ${err.stack ?? err}`));
    worker.on('exit', (code) => {
      this.exited = true;
      if (this.pending) {
        const { id, resolve } = this.pending;
        this.pending = undefined;
        resolve({ kind: 'crash', error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status ${code}` } });
      }
    });
  }

  public get idle(): boolean {
    return !this.busy && !this.exited;
  }

  public invoke(payload: string, context: InvocationContext): Promise<WorkerOutcome> {
    this.busy = true;
    return new Promise((resolve) => {
      this.pending = { id: context.awsRequestId, resolve };
      this.worker.postMessage({ type: 'invoke', id: context.awsRequestId, event: payload, context });
    });
  }

  public release(): void {
    this.busy = false;
  }

  public async terminate(): Promise<void> {
    this.busy = true;
    this.pending = undefined;
    await this.worker.terminate();
  }
}

function contextFor(config: LambdaFunctionConfiguration, environment: ExecutionEnvironment) {
  return {
    functionName: config.functionName,
    invokedFunctionArn: config.functionArn,
    memoryLimitInMB: config.memorySizeMb,
    logStreamName: environment.logStreamName,
  };
}

/** Resolves with the worker's outcome, or 'timeout' after `timeoutMs` simulated ms. */
function raceTimeout(work: Promise<WorkerOutcome>, clock: ScaledClock, timeoutMs: number, signal: AbortSignal): Promise<WorkerOutcome | 'timeout'> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(new HarnessDisposedError());
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve('timeout');
    }, timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then((outcome) => {
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    }, reject);
  });
}

function fingerprintOf(config: LambdaFunctionConfiguration): string {
  const { logicalId: _logicalId, ...rest } = config;
  return JSON.stringify(rest);
}

function parseEventSummary(payload: string): { requestType?: RequestType; logicalResourceId?: string; requestId?: string } {
  const event = safeParse(payload) as Record<string, unknown> | undefined;
  if (!event || typeof event !== 'object') return {};
  return {
    requestType: event.RequestType as RequestType | undefined,
    logicalResourceId: event.LogicalResourceId as string | undefined,
    requestId: event.RequestId as string | undefined,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
