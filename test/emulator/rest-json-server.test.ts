import { DescribeGatewayCommand } from '@aws-sdk/client-iotsitewise';
import { authorization, siteWiseClient, startEmulator } from './emulator-test-support';
import { ScaledClock } from '../support/clock';
import {
  AwsError, AwsRestJsonServer, EMULATOR_CREDENTIALS, FaultInjector, IamEmulator, parseCredentialScope, PathTemplate, SeededRandom,
  UNRECOGNIZED_CLIENT,
  type AwsOperation, type AwsServiceDefinition, type HttpMethod, type LocalAwsEndpoint,
} from '../support/emulator';

describe('with the SiteWise endpoint', () => {
  let emulator: LocalAwsEndpoint;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.reset());
  afterAll(async () => emulator.stop());

  test('an unsigned request is refused with 403 MissingAuthenticationTokenException; SDK requests are signed', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    const response = await fetch(`${emulator.url}/20200301/gateways/${gatewayId}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });

    const client = siteWiseClient(emulator);
    await client.send(new DescribeGatewayCommand({ gatewayId }));
    client.destroy();
    expect(emulator.requests.map((r) => [r.service, r.status])).toEqual([[undefined, 403], ['iotsitewise', 200]]);
  });

  test('an Authorization header without a SigV4 credential scope is 403 IncompleteSignatureException', async () => {
    const response = await fetch(`${emulator.url}/20200301/gateways`, { headers: { authorization: 'Bearer token' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });

  test('unknown services and unknown routes are 404 UnknownOperationException', async () => {
    const unknownService = await fetch(`${emulator.url}/20200301/gateways`, { headers: { authorization: authorization('sqs') } });
    expect(unknownService.status).toBe(404);
    expect(unknownService.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const unknownRoute = await fetch(`${emulator.url}/20200301/gateways/x/y/z`, { method: 'PATCH', headers: { authorization: authorization('iotsitewise') } });
    expect(unknownRoute.status).toBe(404);
    expect(((await unknownRoute.json()) as { message: string }).message).toContain('PATCH /20200301/gateways/x/y/z');
  });

  test('a body that is not a JSON object is 400 SerializationException', async () => {
    const response = await fetch(`${emulator.url}/20200301/gateways`, {
      method: 'POST', body: '[1,2', headers: { 'authorization': authorization('iotsitewise'), 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });
});

describe('registering another service on the generic server', () => {
  const clock = new ScaledClock(100);
  const faults = new FaultInjector(new SeededRandom(1));
  let server: AwsRestJsonServer;

  // Shaped like Kinesis Video (error member `Message`, throttling = ClientLimitExceededException 400)
  // and Ground Station (non-standard 431 with an extra `parameterName` member).
  const videoLike: AwsServiceDefinition = {
    signingName: 'kinesisvideo',
    errorMessageMember: 'Message',
    throttlingError: { code: 'ClientLimitExceededException', status: 400 },
    internalError: { code: 'InternalFailureException', status: 500 },
    accessDeniedError: { code: 'AccessDeniedException', status: 401 },
    unrecognizedClientError: UNRECOGNIZED_CLIENT,
  };
  const groundLike: AwsServiceDefinition = {
    signingName: 'groundstation',
    errorMessageMember: 'message',
    throttlingError: { code: 'ThrottlingException', status: 429 },
    internalError: { code: 'DependencyException', status: 531 },
    accessDeniedError: { code: 'AccessDeniedException', status: 403 },
    unrecognizedClientError: UNRECOGNIZED_CLIENT,
  };
  const operation = (service: string, name: string, method: HttpMethod, path: string, handler: AwsOperation['handler']): AwsOperation =>
    ({ service, name, method, path, successStatus: 200, handler });
  const operations: AwsOperation[] = [
    operation('kinesisvideo', 'DescribeEdgeConfiguration', 'POST', '/describeEdgeConfiguration',
      ({ body, now }) => ({ StreamName: body.StreamName, LastUpdatedTime: now / 1000 })),
    operation('groundstation', 'UpdateAgentStatus', 'PUT', '/agent/{agentId}', ({ labels }) => {
      if (labels.agentId === 'bad') throw new AwsError('InvalidParameterException', 431, 'agentId is invalid', { parameterName: 'agentId' });
      return { agentId: labels.agentId };
    }),
    operation('groundstation', 'GetAgent', 'GET', '/agent/{agentId}', ({ labels }) => ({ agentId: labels.agentId })),
    operation('groundstation', 'Crash', 'GET', '/agent/crash', () => {
      throw new Error('boom');
    }),
    operation('groundstation', 'GetObject', 'GET', '/objects/{key+}', ({ labels, query }) => ({ key: labels.key, version: query.get('v') })),
  ];

  beforeAll(async () => {
    server = await AwsRestJsonServer.start({ clock, faults, iam: new IamEmulator({ homeAccountId: '123456789012', homeAdministratorKey: EMULATOR_CREDENTIALS.accessKeyId, now: () => clock.now() }) });
    server.addService(videoLike);
    server.addService(groundLike);
    server.addOperations(operations);
  });
  afterEach(() => {
    faults.clear();
    server.requests.length = 0;
  });
  afterAll(async () => server.stop());

  const call = (service: string, method: string, path: string, body?: object) => fetch(`${server.url}${path}`, {
    method, headers: { 'authorization': authorization(service), 'content-type': 'application/json' }, body: body && JSON.stringify(body),
  });

  test('operations are routed by signing name, method and path template', async () => {
    const response = await call('kinesisvideo', 'POST', '/describeEdgeConfiguration', { StreamName: 'cam-1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ StreamName: 'cam-1', LastUpdatedTime: expect.any(Number) });
    // The same path under another signing name is a different (unknown) operation.
    expect((await call('groundstation', 'POST', '/describeEdgeConfiguration', {})).status).toBe(404);
  });

  test('errors use the status, code and extra members the handler gives, and the service\'s message member', async () => {
    const response = await call('groundstation', 'PUT', '/agent/bad', {});
    expect(response.status).toBe(431);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
    expect(await response.json()).toEqual({ message: 'agentId is invalid', parameterName: 'agentId' });
  });

  test('a crashing handler becomes the service\'s internal error', async () => {
    const response = await call('groundstation', 'GET', '/agent/crash');
    expect(response.status).toBe(531);
    expect(response.headers.get('x-amzn-errortype')).toBe('DependencyException');
    expect(((await response.json()) as { message: string }).message).toContain('boom');
  });

  test('literal path segments win over labels; greedy labels take the rest of the path', async () => {
    expect(await (await call('groundstation', 'PUT', '/agent/a%2Fb', {})).json()).toEqual({ agentId: 'a/b' });
    expect(await (await call('groundstation', 'GET', '/agent/a')).json()).toEqual({ agentId: 'a' });
    expect((await call('groundstation', 'GET', '/agent/crash')).status).toBe(531);
    expect(server.requests.map((r) => r.operation)).toEqual(['UpdateAgentStatus', 'GetAgent', 'Crash']);
    expect(await (await call('groundstation', 'GET', '/objects/a/b%20c?v=2')).json()).toEqual({ key: 'a/b c', version: '2' });
  });

  test('injected faults use each service\'s own throttling error and message member', async () => {
    faults.set({ throttleRate: 1, services: ['kinesisvideo'] });
    const throttled = await call('kinesisvideo', 'POST', '/describeEdgeConfiguration', {});
    expect(throttled.status).toBe(400);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('ClientLimitExceededException');
    expect(await throttled.json()).toEqual({ Message: 'Rate exceeded' });
    expect((await call('groundstation', 'PUT', '/agent/a', {})).status).toBe(200);

    faults.set({ serverErrorRate: 1, operations: ['UpdateAgentStatus'] });
    expect((await call('groundstation', 'PUT', '/agent/a', {})).status).toBe(531);
  });

  test('registering an operation of an unknown service or twice is refused', () => {
    expect(() => server.addOperations([{ ...operations[0], service: 'nope' }])).toThrow(/unknown service nope/);
    expect(() => server.addOperations([operations[0]])).toThrow(/already registered/);
    expect(() => server.addService(videoLike)).toThrow(/already registered/);
  });
});

describe('building blocks', () => {
  test('PathTemplate decodes labels and matches whole paths only', () => {
    const template = new PathTemplate('/20200301/gateways/{gatewayId}/capability/{capabilityNamespace}');
    expect(template.match('/20200301/gateways/g-1/capability/iotsitewise%3Aopcuacollector%3A3'))
      .toEqual({ gatewayId: 'g-1', capabilityNamespace: 'iotsitewise:opcuacollector:3' });
    expect(template.match('/20200301/gateways/g-1/capability')).toBeUndefined();
    expect(template.match('/20200301/gateways/g-1/capability/x/extra')).toBeUndefined();
    expect(template.match('/20200301/gateways//capability/x')).toBeUndefined();
  });

  test('parseCredentialScope reads region and signing name', () => {
    expect(parseCredentialScope(authorization('iotsitewise', 'eu-west-1'))).toEqual({
      accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, date: '20261121', region: 'eu-west-1', service: 'iotsitewise',
    });
    expect(parseCredentialScope('Bearer xyz')).toBeUndefined();
  });

  test('SeededRandom is deterministic and makes valid lowercase UUID v4s', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const ids = Array.from({ length: 50 }, () => a.uuidV4());
    expect(Array.from({ length: 50 }, () => b.uuidV4())).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    ids.forEach((id) => expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
    a.reseed(7);
    expect(a.uuidV4()).toBe(ids[0]);
  });
});
