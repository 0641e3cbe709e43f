import { createHash } from 'crypto';

/**
 * Deterministic stand-ins for resources the harness does not really create (roles, policies,
 * functions, state machines...): a physical id for `Ref` and values for `Fn::GetAtt`, shaped
 * like the real ones so ARNs that handlers parse (e.g. a function name from an ARN) still work.
 */
export interface StubEnvironment {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

export interface StubIdentity {
  readonly physicalId: string;
  readonly attributes: Record<string, unknown>;
}

export function stubIdentity(type: string, logicalId: string, properties: Record<string, any>, env: StubEnvironment): StubIdentity {
  const { region, accountId } = env;
  const named = (nameProperty: string, fallback: string) => (typeof properties[nameProperty] === 'string' ? properties[nameProperty] : fallback);
  const generatedName = `${env.stackName}-${logicalId}-${shortHash(env.stackName, logicalId)}`;

  switch (type) {
    case 'AWS::Lambda::Function': {
      const name = named('FunctionName', logicalId);
      return { physicalId: name, attributes: { Arn: `arn:aws:lambda:${region}:${accountId}:function:${name}` } };
    }
    case 'AWS::IAM::Role': {
      const name = named('RoleName', generatedName);
      return { physicalId: name, attributes: { Arn: `arn:aws:iam::${accountId}:role/${name}`, RoleId: `AROA${shortHash(name).toUpperCase()}` } };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const arn = `arn:aws:iam::${accountId}:policy/${named('ManagedPolicyName', generatedName)}`;
      return { physicalId: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::StepFunctions::StateMachine': {
      const name = named('StateMachineName', logicalId);
      const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
      return { physicalId: arn, attributes: { Arn: arn, Name: name } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName', generatedName);
      return { physicalId: name, attributes: { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*` } };
    }
    case 'AWS::S3::Bucket': {
      const name = named('BucketName', generatedName.toLowerCase().slice(0, 63));
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::SNS::Topic': {
      const name = named('TopicName', generatedName);
      const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
      return { physicalId: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::SQS::Queue': {
      const name = named('QueueName', generatedName);
      return {
        physicalId: `https://sqs.${region}.amazonaws.com/${accountId}/${name}`,
        attributes: { Arn: `arn:aws:sqs:${region}:${accountId}:${name}`, QueueName: name, QueueUrl: `https://sqs.${region}.amazonaws.com/${accountId}/${name}` },
      };
    }
    default:
      return { physicalId: generatedName, attributes: {} };
  }
}

/** `Fn::GetAtt` of a stub attribute nobody declared: an ARN for `*Arn`, the physical id for `*Id`, else a marker string. */
export function stubAttribute(type: string, physicalId: string, attribute: string, env: StubEnvironment): string {
  if (attribute === 'Arn' || attribute.endsWith('Arn')) {
    const [, service = 'unknown', kind = 'resource'] = type.split('::');
    return `arn:aws:${service.toLowerCase()}:${env.region}:${env.accountId}:${kind.toLowerCase()}/${physicalId}`;
  }
  if (attribute.endsWith('Id') || attribute === 'Name') return physicalId;
  return `${physicalId}.${attribute}`;
}

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 12).toUpperCase();
}
