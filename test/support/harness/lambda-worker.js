'use strict';
/**
 * One Lambda execution environment ("container") for the CloudFormation harness, run as a
 * worker thread. Plain CommonJS so it runs the bundle exactly as the Lambda Node.js runtime
 * would, without ts-jest in between.
 *
 * Before the handler module is loaded it:
 *  - installs the harness's simulated clock (Date, timers, performance.now), so the bundle's
 *    waits and timestamps follow simulated time like the emulator and the harness do;
 *  - makes the modules the Lambda runtime provides (`@aws-sdk/*`, `@smithy/*`) resolvable, and
 *    only those, so a bundle that forgot to include a dependency fails here as it would in AWS;
 *  - routes console/stdout/stderr to the parent as log lines in Lambda's log format.
 *
 * Protocol (parentPort):
 *   worker → parent  { type: 'ready' } | { type: 'init-error', error }          after loading the handler
 *   parent → worker  { type: 'invoke', id, event: <JSON text>, context }
 *   worker → parent  { type: 'result', id, result: <JSON text> } | { type: 'error', id, error }
 *   worker → parent  { type: 'log', text }
 * where `error` is Lambda's error payload { errorType, errorMessage, trace }.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const util = require('node:util');
const { parentPort, workerData } = require('node:worker_threads');
const { installScaledClock } = require('../scaled-clock');

/** The directory Lambda extracts the code into; stack traces are rewritten to it. */
const LAMBDA_TASK_ROOT = '/var/task';
/** What the Node.js runtime's own frames look like in a Lambda stack trace. */
const RUNTIME_FRAME = '    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1205:29)';
/** Module prefixes the Lambda Node.js runtime ships (AWS SDK for JavaScript v3). */
const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/', '@smithy/', '@aws-crypto/'];
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

const { clock, taskRoot, handler, runtimeModulePaths, logFormat, applicationLogLevel } = workerData;

/** The invocation in progress, for log lines and unhandled errors. */
let current;

installScaledClock(clock);
installRuntimeProvidedModules(runtimeModulePaths);
installLogCapture();
installCrashReporting();
void init();

async function init() {
  let userHandler;
  try {
    userHandler = await loadHandler(taskRoot, handler);
  } catch (err) {
    parentPort.postMessage({ type: 'init-error', error: toLambdaError(err) });
    return;
  }
  parentPort.on('message', (message) => {
    if (message.type === 'invoke') void invoke(userHandler, message);
  });
  parentPort.postMessage({ type: 'ready' });
}

async function invoke(userHandler, { id, event, context }) {
  current = { id, awsRequestId: context.awsRequestId };
  try {
    const result = await callHandler(userHandler, JSON.parse(event), lambdaContext(context));
    let text;
    try {
      text = JSON.stringify(result);
    } catch (err) {
      throw Object.assign(new Error(`Unable to stringify response body: ${err.message}`), { name: 'Runtime.MalformedHandlerResponse' });
    }
    // A handler that returns nothing answers `null`, as the Lambda Invoke API does.
    parentPort.postMessage({ type: 'result', id, result: text === undefined ? 'null' : text });
  } catch (err) {
    parentPort.postMessage({ type: 'error', id, error: toLambdaError(err) });
  } finally {
    current = undefined;
  }
}

function callHandler(userHandler, event, context) {
  if (userHandler.length < 3) return Promise.resolve().then(() => userHandler(event, context));
  // Callback-style handler (older runtimes): settles on the callback or the returned promise.
  return new Promise((resolve, reject) => {
    const callback = (err, value) => (err ? reject(err) : resolve(value));
    Promise.resolve(userHandler(event, context, callback)).then((value) => value !== undefined && resolve(value), reject);
  });
}

function lambdaContext(context) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: context.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: String(context.memoryLimitInMB),
    awsRequestId: context.awsRequestId,
    logGroupName: `/aws/lambda/${context.functionName}`,
    logStreamName: context.logStreamName,
    // Simulated milliseconds left before the function's Timeout (Date.now is simulated here).
    getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
  };
}

/** Lambda's `Handler` setting: `dir/module.export.path` → module `dir/module`, export path `export.path`. */
async function loadHandler(root, handlerSetting) {
  const slash = handlerSetting.lastIndexOf('/');
  const dot = handlerSetting.indexOf('.', slash + 1);
  if (dot < 0) throw lambdaError('Runtime.MalformedHandlerName', `Bad handler ${handlerSetting}`);
  const moduleName = handlerSetting.slice(0, dot);
  const exportPath = handlerSetting.slice(dot + 1).split('.');

  let loaded;
  const base = path.resolve(root, moduleName);
  const candidates = ['.js', '.cjs', '.mjs'].map((extension) => base + extension);
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) throw lambdaError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  try {
    loaded = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND') {
      throw lambdaError('Runtime.ImportModuleError', `Error: ${rewritePaths(err.message)}`, err.stack);
    }
    throw err;
  }
  const fn = exportPath.reduce((value, key) => (value == null ? undefined : value[key]), loaded);
  if (typeof fn !== 'function') {
    throw lambdaError('Runtime.HandlerNotFound', `${handlerSetting} is undefined or not exported`);
  }
  return fn;
}

// ---------------------------------------------------------------------------------------------
// Module resolution like the Lambda Node.js runtime
// ---------------------------------------------------------------------------------------------

/**
 * Code in the task root sees what a Lambda sandbox has: its own files, Node.js builtins and the
 * runtime's AWS SDK, but not this repository's node_modules (so an unbundled dependency fails
 * with MODULE_NOT_FOUND, as it would in AWS, even when the assembly lives inside the repo).
 */
function installRuntimeProvidedModules(searchPaths) {
  const roots = [...new Set([path.resolve(taskRoot), fs.realpathSync(taskRoot)])];
  const insideTaskRoot = (file) => roots.some((root) => {
    const relative = path.relative(root, file);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveLikeLambda(request, parent, isMain, options) {
    if (!parent || typeof parent.filename !== 'string' || !insideTaskRoot(parent.filename)) {
      return originalResolve.call(this, request, parent, isMain, options);
    }
    let resolved;
    try {
      resolved = originalResolve.call(this, request, parent, isMain, options);
    } catch (err) {
      if (!RUNTIME_PROVIDED_MODULES.some((prefix) => request.startsWith(prefix))) throw err;
    }
    // Builtins resolve to their bare name; bundled files stay in the task root.
    if (resolved !== undefined && (!path.isAbsolute(resolved) || insideTaskRoot(resolved))) return resolved;
    if (RUNTIME_PROVIDED_MODULES.some((prefix) => request.startsWith(prefix))) {
      return originalResolve.call(this, request, parent, isMain, { ...options, paths: searchPaths });
    }
    const err = new Error(`Cannot find module '${request}'\nRequire stack:\n- ${parent.filename}`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  };
}

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

function installLogCapture() {
  const post = (text) => parentPort.postMessage({ type: 'log', text: String(text) });
  const methods = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', log: 'INFO', warn: 'WARN', error: 'ERROR' };
  for (const [method, level] of Object.entries(methods)) {
    console[method] = (...args) => {
      const line = formatLogLine(level, args);
      if (line !== undefined) post(line);
    };
  }
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = (chunk, encoding, callback) => {
      post(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') done();
      return true;
    };
  }
}

/**
 * Lambda's text format (`timestamp\trequestId\tLEVEL\tmessage`), or its JSON format with
 * level filtering, where a single argument is logged as a value (an object stays structured)
 * and several are formatted into one string, as the Node.js runtime does.
 */
function formatLogLine(level, args) {
  const timestamp = new Date().toISOString();
  const requestId = current ? current.awsRequestId : undefined;
  if (logFormat !== 'JSON') return `${timestamp}\t${requestId}\t${level}\t${util.format(...args)}`;
  if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(applicationLogLevel || 'INFO')) return undefined;
  if (args.length === 1) {
    try {
      return JSON.stringify({ timestamp, level, requestId, message: args[0] }, errorReplacer);
    } catch {
      // Not serialisable (a cycle, a BigInt): fall through to the formatted string.
    }
  }
  return JSON.stringify({ timestamp, level, requestId, message: util.format(...args) });
}

function errorReplacer(_key, value) {
  if (value instanceof Error) {
    return { ...value, errorType: value.name, errorMessage: value.message, stackTrace: String(value.stack || '').split('\n') };
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Like the Node.js runtime: an unhandled rejection fails the current invocation and ends the container. */
function installCrashReporting() {
  const crash = (errorType) => (reason) => {
    const error = toLambdaError(reason);
    parentPort.postMessage({
      type: 'error',
      id: current ? current.id : undefined,
      crashed: true,
      error: errorType ? { ...error, errorType, errorMessage: `${error.errorType}: ${error.errorMessage}` } : error,
    });
    process.exit(128);
  };
  process.on('unhandledRejection', crash('Runtime.UnhandledPromiseRejection'));
  process.on('uncaughtException', crash(undefined));
}

function lambdaError(name, message, stack) {
  const err = new Error(message);
  err.name = name;
  if (stack) err.stack = `${name}: ${message}\n${String(stack).split('\n').slice(1).join('\n')}`;
  return err;
}

/** Lambda's error payload: `{ errorType: err.name, errorMessage: err.message, trace: err.stack.split('\n') }`. */
function toLambdaError(err) {
  if (util.types.isNativeError(err) || err instanceof Error) {
    return {
      errorType: err.name,
      errorMessage: rewritePaths(err.message),
      trace: rewriteTrace(String(err.stack || '').split('\n')),
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

/** Makes traces look like they came from /var/task in Lambda, so Reason sizes match AWS. */
function rewriteTrace(lines) {
  const rewritten = [];
  for (const line of lines) {
    if (line.includes(__filename)) {
      if (!rewritten.includes(RUNTIME_FRAME)) rewritten.push(RUNTIME_FRAME);
      continue;
    }
    rewritten.push(rewritePaths(line));
  }
  return rewritten;
}

function rewritePaths(text) {
  return String(text).split(pathToFileURL(taskRoot).href).join(`file://${LAMBDA_TASK_ROOT}`).split(taskRoot).join(LAMBDA_TASK_ROOT);
}
