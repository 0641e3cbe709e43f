// Example: an EC2 receiver instance running the AWS Ground Station Agent, its dataflow endpoint
// group, and a readiness gate that holds the deploy until the agent reports healthy. Resources
// that need a working agent (mission profiles, contacts) should depend on the gate.
// `npx projen demo` deploys it against the local AWS emulator with a simulated agent.
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as groundstation from 'aws-cdk-lib/aws-groundstation';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataflowEndpointGroupReadiness, GroundStationAgent } from '../src'; // 'cdk-edge-sync' in your app

export class GroundStationReceiverStack extends Stack {
  public readonly readiness: DataflowEndpointGroupReadiness;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const role = new iam.Role(this, 'ReceiverRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    // RegisterAgent, UpdateAgentStatus, GetAgentConfiguration, GetAgentTaskResponseUrl.
    GroundStationAgent.grantAgentPermissions(role);

    // The agent is installed and started on the instance (user data or an AMI with the agent RPM).
    const receiver = new ec2.Instance(this, 'Receiver', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE4),
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      role,
    });
    const receiverIp = new ec2.CfnEIP(this, 'ReceiverIp', { instanceId: receiver.instanceId });

    const group = new groundstation.CfnDataflowEndpointGroup(this, 'EndpointGroup', {
      endpointDetails: [{
        awsGroundStationAgentEndpoint: {
          name: 'receiver-1',
          ingressAddress: { socketAddress: { name: receiverIp.ref, portRange: { minimum: 42000, maximum: 42050 } } },
          egressAddress: { socketAddress: { name: '127.0.0.1', port: 55000 } },
        },
      }],
    });

    // The deploy continues only once the agent on the receiver has registered and reports healthy.
    this.readiness = new DataflowEndpointGroupReadiness(this, 'AgentReady', {
      dataflowEndpointGroup: group,
      timeout: Duration.minutes(20),
    });
    this.readiness.node.addDependency(receiver);
  }
}

if (require.main === module) {
  const app = new App();
  new GroundStationReceiverStack(app, 'GroundStationReceiver');
  app.synth();
}
