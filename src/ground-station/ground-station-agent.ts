import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What the AWS Ground Station Agent on a receiver instance needs. */
export class GroundStationAgent {
  /**
   * The AWS managed policy for the agent's instance role.
   *
   * `iam.ManagedPolicy.fromAwsManagedPolicyName('AWSGroundStationAgentInstancePolicy')`; prefer
   * `grantAgentPermissions` for statements scoped to this account and region.
   */
  public static readonly MANAGED_POLICY_NAME = 'AWSGroundStationAgentInstancePolicy';

  /**
   * Lets the agent on instances with `role` register and report its status: the statements of
   * AWSGroundStationAgentInstancePolicy, scoped to agents of this account and region.
   * RegisterAgent has no resource type, so it is allowed on `*`.
   */
  public static grantAgentPermissions(role: iam.IRole): iam.Grant {
    const agents = Stack.of(role).formatArn({ service: 'groundstation', resource: 'agent', resourceName: '*' });
    const register = iam.Grant.addToPrincipal({ grantee: role, actions: ['groundstation:RegisterAgent'], resourceArns: ['*'] });
    const report = iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['groundstation:UpdateAgentStatus', 'groundstation:GetAgentConfiguration', 'groundstation:GetAgentTaskResponseUrl'],
      resourceArns: [agents],
    });
    return register.combine(report);
  }

  private constructor() {}
}
