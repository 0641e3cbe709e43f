import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LambdaFunctionConfiguration } from './lambda-runner';
import { ProviderFrameworkConfiguration, WaiterRetryPolicy } from './provider-framework';
import { DeployedResource } from './stack-state';
import { CfnTemplate, LAMBDA_FUNCTION_TYPE, STATE_MACHINE_TYPE } from './template';

/**
 * Reads what the harness runs from the deployed (resolved) stack state: a Lambda function's
 * code and configuration, and which user functions and waiter policy a Provider's ServiceToken
 * stands for. Looking things up by ARN in the current state (not by template structure) means
 * a function updated earlier in the same deployment is invoked with its new code, as in AWS.
 */

/** Environment variables the framework onEvent function gets (aws-cdk-lib provider-framework/runtime/consts.js). */
const USER_ON_EVENT_FUNCTION_ARN_ENV = 'USER_ON_EVENT_FUNCTION_ARN';
const USER_IS_COMPLETE_FUNCTION_ARN_ENV = 'USER_IS_COMPLETE_FUNCTION_ARN';
const WAITER_STATE_MACHINE_ARN_ENV = 'WAITER_STATE_MACHINE_ARN';
/** Step Functions defaults for a Retrier without these fields. */
const STATES_RETRY_DEFAULTS: WaiterRetryPolicy = { intervalSeconds: 1, maxAttempts: 3, backoffRate: 2 };

export function findFunctionByArn(resources: Iterable<DeployedResource>, functionArn: string): DeployedResource | undefined {
  for (const resource of resources) {
    if (resource.type === LAMBDA_FUNCTION_TYPE && (resource.attributes.Arn === functionArn || resource.physicalId === functionArn)) return resource;
  }
  return undefined;
}

export function lambdaConfiguration(
  resource: Pick<DeployedResource, 'logicalId' | 'physicalId' | 'properties' | 'attributes'>,
  assetPaths: ReadonlyMap<string, string>,
): LambdaFunctionConfiguration {
  const properties = resource.properties as Record<string, any>;
  const variables: Record<string, unknown> = properties.Environment?.Variables ?? {};
  return {
    logicalId: resource.logicalId,
    functionName: resource.physicalId,
    functionArn: String(resource.attributes.Arn),
    taskRoot: codeDirectory(resource.logicalId, properties.Code ?? {}, assetPaths),
    handler: String(properties.Handler),
    runtime: String(properties.Runtime ?? 'nodejs'),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySizeMb: Number(properties.MemorySize ?? 128),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])),
    logFormat: properties.LoggingConfig?.LogFormat === 'JSON' ? 'JSON' : 'Text',
    applicationLogLevel: properties.LoggingConfig?.ApplicationLogLevel,
    ...(typeof properties.Role === 'string' ? { roleArn: properties.Role } : {}),
  };
}

/** Logical ids of the functions a Provider's framework invokes (`USER_*_FUNCTION_ARN: Fn::GetAtt [id, Arn]`). */
export function providerUserFunctionIds(template: CfnTemplate): Set<string> {
  const ids = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    const variables = (resource.Properties as any)?.Environment?.Variables ?? {};
    for (const name of [USER_ON_EVENT_FUNCTION_ARN_ENV, USER_IS_COMPLETE_FUNCTION_ARN_ENV]) {
      const getAtt = variables[name]?.['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn') ids.add(String(getAtt[0]));
    }
  }
  return ids;
}

/** The Provider behind a ServiceToken (the ARN of its framework onEvent function). */
export function providerForServiceToken(resources: readonly DeployedResource[], serviceToken: string): ProviderFrameworkConfiguration {
  const frameworkFunction = findFunctionByArn(resources, serviceToken);
  if (!frameworkFunction) {
    throw new Error(`CloudFormation harness: ServiceToken ${serviceToken} is not a Lambda function of this stack`);
  }
  const variables: Record<string, unknown> = (frameworkFunction.properties as any).Environment?.Variables ?? {};
  const onEventArn = variables[USER_ON_EVENT_FUNCTION_ARN_ENV];
  if (typeof onEventArn !== 'string') {
    throw new Error(`CloudFormation harness: ServiceToken ${serviceToken} (${frameworkFunction.logicalId}) is not the onEvent function of a `
      + 'custom_resources.Provider; only Provider-backed custom resources are supported');
  }
  const isCompleteArn = variables[USER_IS_COMPLETE_FUNCTION_ARN_ENV];
  const waiterArn = variables[WAITER_STATE_MACHINE_ARN_ENV];
  return {
    userOnEventFunctionArn: onEventArn,
    userIsCompleteFunctionArn: typeof isCompleteArn === 'string' ? isCompleteArn : undefined,
    waiter: typeof waiterArn === 'string' ? waiterRetryPolicy(resources, waiterArn) : undefined,
    waiterStateMachineArn: typeof waiterArn === 'string' ? waiterArn : undefined,
  };
}

/** `Retry[0]` of the waiter state machine's start state, from its (resolved) DefinitionString. */
function waiterRetryPolicy(resources: readonly DeployedResource[], stateMachineArn: string): WaiterRetryPolicy {
  const stateMachine = resources.find((resource) => resource.type === STATE_MACHINE_TYPE
    && (resource.physicalId === stateMachineArn || resource.attributes.Arn === stateMachineArn));
  if (!stateMachine) throw new Error(`CloudFormation harness: waiter state machine ${stateMachineArn} is not deployed`);
  const definition = JSON.parse(String((stateMachine.properties as any).DefinitionString));
  const retry = definition.States?.[definition.StartAt]?.Retry?.[0];
  if (!retry) throw new Error(`CloudFormation harness: waiter state machine ${stateMachine.logicalId} has no Retry on ${definition.StartAt}`);
  return {
    intervalSeconds: retry.IntervalSeconds ?? STATES_RETRY_DEFAULTS.intervalSeconds,
    maxAttempts: retry.MaxAttempts ?? STATES_RETRY_DEFAULTS.maxAttempts,
    backoffRate: retry.BackoffRate ?? STATES_RETRY_DEFAULTS.backoffRate,
  };
}

function codeDirectory(logicalId: string, code: Record<string, unknown>, assetPaths: ReadonlyMap<string, string>): string {
  if (typeof code.ZipFile === 'string') return inlineCodeDirectory(code.ZipFile);
  if (typeof code.S3Key !== 'string') {
    throw new Error(`CloudFormation harness: ${logicalId} has no Code.S3Key or Code.ZipFile`);
  }
  const assetPath = assetPaths.get(code.S3Key);
  if (!assetPath) throw new Error(`CloudFormation harness: no asset for ${logicalId} Code.S3Key ${code.S3Key} in the cloud assembly`);
  if (!fs.statSync(assetPath).isDirectory()) {
    throw new Error(`CloudFormation harness: asset ${assetPath} of ${logicalId} is a file; only directory assets (Code.fromAsset(dir)) can be run`);
  }
  return assetPath;
}

/** Lambda writes `Code.ZipFile` of a Node.js function to index.js. */
function inlineCodeDirectory(source: string): string {
  const directory = path.join(os.tmpdir(), 'cfn-harness-inline', createHash('sha256').update(source).digest('hex').slice(0, 16));
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'index.js'), source);
  return directory;
}
