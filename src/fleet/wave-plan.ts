import { CfnResource, CfnWaitConditionHandle } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * Orders a fleet's resources into waves with CloudFormation dependencies, so that CloudFormation
 * itself runs the rollout: every resource of wave k+1 depends on a barrier (a
 * WaitConditionHandle, which CloudFormation creates at once and at no cost) that depends on every
 * resource of wave k. When a resource of wave k fails, CloudFormation never starts the later
 * waves and rolls back the ones done. Within a wave, resource i also depends on resource
 * i - maxConcurrent, so at most `maxConcurrent` apply at once.
 */
export function orderInWaves(scope: Construct, resources: readonly IConstruct[][], maxConcurrent: number): void {
  let barrier: CfnWaitConditionHandle | undefined;
  resources.forEach((wave, index) => {
    wave.forEach((resource, i) => {
      if (barrier) resource.node.addDependency(barrier);
      if (i >= maxConcurrent) resource.node.addDependency(wave[i - maxConcurrent]);
    });
    if (index < resources.length - 1) {
      barrier = new CfnWaitConditionHandle(scope, `AfterWave${index + 1}`);
      for (const resource of wave) barrier.node.addDependency(resource);
      // No physical change: a barrier is replaced only if its logical id changes.
      (barrier as CfnResource).cfnOptions.metadata = { 'cdk-edge-sync:wave': index + 1 };
    }
  });
}
