import { randomUUID } from 'crypto';
import { ScaledClock } from '../clock';
import { runInDependencyOrder } from './dependency-order';
import { IntrinsicContext, resolveIntrinsics, TemplateError } from './intrinsics';
import { inventedPhysicalId, OperationOutcome, ResourceDriver } from './resource-drivers';
import { DeployedResource } from './stack-state';
import { stubAttribute } from './stub-resources';
import { CfnResource, CfnTemplate, isCustomResourceType, TemplateModel } from './template';
import { ResourceStatus, StackEvent, StackOperationResult, StackStatus } from './types';

export interface StackServices {
  readonly clock: ScaledClock;
  readonly region: string;
  readonly accountId: string;
  /** Overrides of template parameter defaults. */
  readonly parameters: Record<string, string>;
  /** Custom resource, registered provider or stub driver for a resource type. */
  driverFor(type: string): ResourceDriver;
  onEvent(event: StackEvent): void;
  onResourceDeleted(resource: DeployedResource): void;
}

/** What one resource operation of a deployment did, for cleanup and rollback. */
type Change =
  | { readonly kind: 'created'; readonly record: DeployedResource }
  /** `record` carries the physical id CloudFormation will delete during rollback, if it has one. */
  | { readonly kind: 'create-failed'; readonly logicalId: string; readonly record?: DeployedResource }
  | { readonly kind: 'updated'; readonly previous: DeployedResource; readonly attempted: Record<string, unknown>; readonly attemptedDependencies: string[] }
  /**
   * `attempted` is absent when no request was sent (template error). `recordedPhysicalId`: the
   * physical id of the FAILED response, which CloudFormation records (and sends the rollback
   * Update to), when it differs from the previous one.
   */
  | {
    readonly kind: 'update-failed';
    readonly previous: DeployedResource;
    readonly attempted?: Record<string, unknown>;
    readonly attemptedDependencies: string[];
    readonly recordedPhysicalId?: string;
  }
  | { readonly kind: 'replaced'; readonly previous: DeployedResource; readonly record: DeployedResource }
  /** Nothing sent; only template attributes (DeletionPolicy...) or dependencies changed. */
  | { readonly kind: 'unchanged'; readonly previous: DeployedResource };

/** An update whose resources are applied, before its cleanup or rollback. */
interface PendingUpdate {
  readonly previousTemplate: CfnTemplate;
  readonly previousOutputs: Record<string, unknown>;
  readonly model: TemplateModel;
  readonly changes: Change[];
  readonly failures: string[];
  /** The parent cancelled it (a sibling failed) while resources were in flight. */
  readonly cancelled: boolean;
}

/** A resource to Update back to its pre-deployment properties. */
interface Revert {
  readonly previous: DeployedResource;
  readonly attempted: Record<string, unknown>;
  /** Its dependencies in the template of the failed update. */
  readonly attemptedDependencies: string[];
  /** The physical id CloudFormation has on record for it now, which the rollback Update is sent with. */
  readonly physicalId: string;
}

interface DeletionEntry {
  readonly record: DeployedResource;
  /** Which template attribute may retain it: DeletionPolicy (removal), UpdateReplacePolicy (replaced), none. */
  readonly policy?: 'DeletionPolicy' | 'UpdateReplacePolicy';
  /** Created by the operation now rolling back (RetainExceptOnCreate deletes it). */
  readonly createdInThisOperation: boolean;
}

const BLOCKED_STATUSES: readonly StackStatus[] = ['ROLLBACK_FAILED', 'UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED'];

/**
 * One CloudFormation stack: create, update (with cleanup) and delete, and their rollbacks,
 * with resources processed concurrently in dependency order.
 */
export class CloudFormationStack {
  public status?: StackStatus;
  public template?: CfnTemplate;
  public outputs: Record<string, unknown> = {};
  public stackId: string;
  public readonly resources = new Map<string, DeployedResource>();
  private operationEvents?: StackEvent[];
  /** A nested stack's update waiting for its parent's cleanup or rollback. */
  private pending?: PendingUpdate;
  /** The resources whose Create failed (not cancelled) in the last create. */
  private createFailures: string[] = [];

  constructor(
    public readonly stackName: string,
    private readonly services: StackServices,
  ) {
    this.stackId = this.newStackId();
  }

  /** CreateStack on the first call (or after ROLLBACK_COMPLETE, as the CDK CLI does), UpdateStack after. */
  public async deploy(template: CfnTemplate, cancelledByParent?: Promise<void>): Promise<StackOperationResult> {
    if (this.status && BLOCKED_STATUSES.includes(this.status)) {
      throw new Error(`Stack ${this.stackName} is in ${this.status} state and can not be updated`);
    }
    if (this.status === 'ROLLBACK_COMPLETE' || this.status === 'DELETE_COMPLETE') this.reset();
    if (this.status === undefined) return this.operation(() => this.create(template, cancelledByParent));
    if (JSON.stringify(template) === JSON.stringify(this.template)) {
      // "No updates are to be performed."
      return { status: this.status, events: [], durationMs: 0, outputs: { ...this.outputs } };
    }
    return this.operation(() => this.update(template));
  }

  /** DeleteStack. */
  public async destroy(): Promise<StackOperationResult> {
    if (this.status === undefined || this.status === 'DELETE_COMPLETE') {
      return { status: 'DELETE_COMPLETE', events: [], durationMs: 0, outputs: {} };
    }
    return this.operation(async () => {
      this.setStatus('DELETE_IN_PROGRESS', 'User Initiated');
      const entries = [...this.resources.values()].map((record): DeletionEntry => ({ record, policy: 'DeletionPolicy', createdInThisOperation: false }));
      const failed = await this.deleteInReverseOrder(entries);
      if (failed.length > 0) {
        return this.setStatus('DELETE_FAILED', `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
      }
      this.outputs = {};
      return this.setStatus('DELETE_COMPLETE');
    });
  }

  /** The template with intrinsics evaluated against the current stack state. */
  public templateModel(template: CfnTemplate): TemplateModel {
    const parameters: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      parameters[name] = this.services.parameters[name] ?? parameter.Default;
    }
    const context: Omit<IntrinsicContext, 'condition'> = {
      pseudoParameters: {
        'AWS::Region': this.services.region,
        'AWS::AccountId': this.services.accountId,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
        'AWS::StackName': this.stackName,
        'AWS::StackId': this.stackId,
        'AWS::NotificationARNs': [],
      },
      parameters,
      mappings: template.Mappings ?? {},
      ref: (logicalId) => this.deployed(logicalId).physicalId,
      getAtt: (logicalId, attribute) => this.attribute(this.deployed(logicalId), attribute),
    };
    return new TemplateModel(template, context);
  }

  private async create(template: CfnTemplate, cancelledByParent?: Promise<void>): Promise<StackStatus> {
    this.template = template;
    this.setStatus('CREATE_IN_PROGRESS', 'User Initiated');
    const model = this.templateModel(template);
    const { changes, failures, cancelled } = await this.apply(model, cancelledByParent);
    this.createFailures = failures;
    if (failures.length === 0 && !cancelled) {
      this.outputs = this.resolveOutputs(model);
      return this.setStatus('CREATE_COMPLETE');
    }

    this.setStatus('ROLLBACK_IN_PROGRESS', failures.length === 0 ? 'Resource creation cancelled'
      : `The following resource(s) failed to create: [${failures.join(', ')}]. Rollback requested by user.`);
    const entries = createdRecords(changes).map((record): DeletionEntry => ({ record, policy: 'DeletionPolicy', createdInThisOperation: true }));
    const failed = await this.deleteInReverseOrder(entries);
    return this.setStatus(failed.length > 0 ? 'ROLLBACK_FAILED' : 'ROLLBACK_COMPLETE');
  }

  private async update(template: CfnTemplate): Promise<StackStatus> {
    const pending = await this.applyUpdate(template);
    return pending.failures.length === 0 && !pending.cancelled ? this.cleanUp(pending) : this.rollBack(pending);
  }

  /**
   * A nested stack's update, as its parent's resource operation runs it: Create (and its own
   * rollback) as usual, but an Update stops after its resources are updated. Successful, it is
   * UPDATE_COMPLETE_CLEANUP_IN_PROGRESS with its new outputs until the parent's cleanup
   * (`completeNestedUpdate`); failed, it waits (UPDATE_IN_PROGRESS) for the parent's rollback to
   * roll it back (`rollBackNestedUpdate`). A sibling that completed its update is rolled back too.
   */
  public async deployNested(
    template: CfnTemplate,
    cancelledByParent?: Promise<void>,
  ): Promise<StackOperationResult & { failures: string[]; cancelled: boolean }> {
    if (this.pending) throw new Error(`CloudFormation harness: nested stack ${this.stackName} has an update pending`);
    if (this.status !== undefined && this.status !== 'ROLLBACK_COMPLETE' && this.status !== 'DELETE_COMPLETE'
      && !BLOCKED_STATUSES.includes(this.status)) {
      let failures: string[] = [];
      let cancelled = false;
      const result = await this.operation(async () => {
        const pending = await this.applyUpdate(template, cancelledByParent);
        ({ failures, cancelled } = pending);
        this.pending = pending;
        if (failures.length > 0 || cancelled) return this.status!;
        this.outputs = this.resolveOutputs(pending.model);
        return this.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      });
      return { ...result, failures, cancelled };
    }
    this.createFailures = [];
    const result = await this.deploy(template, cancelledByParent);
    return { ...result, failures: this.createFailures, cancelled: result.status !== 'CREATE_COMPLETE' && this.createFailures.length === 0 };
  }

  /** The parent's cleanup: the nested stack's own cleanup, to UPDATE_COMPLETE. */
  public async completeNestedUpdate(): Promise<StackOperationResult> {
    const pending = this.pending;
    if (!pending) return { status: this.status!, events: [], durationMs: 0, outputs: { ...this.outputs } };
    this.pending = undefined;
    return this.operation(() => this.cleanUp(pending, false));
  }

  /** The parent's rollback: the nested stack back to its previous template (UPDATE_ROLLBACK_COMPLETE). */
  public async rollBackNestedUpdate(): Promise<StackOperationResult> {
    const pending = this.pending;
    if (!pending) return { status: this.status!, events: [], durationMs: 0, outputs: { ...this.outputs } };
    this.pending = undefined;
    return this.operation(() => this.rollBack(pending));
  }

  /** Whether a nested update waits for its parent's cleanup or rollback. */
  public get hasPendingUpdate(): boolean {
    return this.pending !== undefined;
  }

  private async applyUpdate(template: CfnTemplate, cancelledByParent?: Promise<void>): Promise<PendingUpdate> {
    const previousTemplate = this.template!;
    const previousOutputs = this.outputs;
    this.template = template;
    this.setStatus('UPDATE_IN_PROGRESS', 'User Initiated');
    const model = this.templateModel(template);
    const { changes, failures, cancelled } = await this.apply(model, cancelledByParent);
    return { previousTemplate, previousOutputs, model, changes, failures, cancelled };
  }

  private async cleanUp(pending: PendingUpdate, announce = true): Promise<StackStatus> {
    const { model, changes } = pending;
    if (announce) this.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    // Nested stacks updated in this operation do their own cleanup now, as part of this one.
    await Promise.all(changes.flatMap((change) => {
      if (change.kind !== 'updated') return [];
      const driver = this.services.driverFor(change.previous.type);
      const current = this.resources.get(change.previous.logicalId);
      return driver.completeUpdate && current ? [driver.completeUpdate(current.physicalId)] : [];
    }));
    const kept = new Set(model.resourceIds());
    const removed = [...this.resources.values()].filter((record) => !kept.has(record.logicalId));
    const replaced = changes.flatMap((change) => (change.kind === 'replaced' ? [change.previous] : []));
    await this.deleteInReverseOrder([
      ...removed.map((record): DeletionEntry => ({ record, policy: 'DeletionPolicy', createdInThisOperation: false })),
      ...replaced.map((record): DeletionEntry => ({ record, policy: 'UpdateReplacePolicy', createdInThisOperation: false })),
    ]);
    // A Delete that fails during an update's cleanup is reported but the update succeeds: the resource is abandoned.
    removed.forEach((record) => this.forget(record));
    this.outputs = this.resolveOutputs(model);
    return this.setStatus('UPDATE_COMPLETE');
  }

  private async rollBack(pending: PendingUpdate): Promise<StackStatus> {
    const { previousTemplate, previousOutputs, changes, failures } = pending;
    this.setStatus('UPDATE_ROLLBACK_IN_PROGRESS', failures.length > 0 ? failureSummary(changes, failures) : 'Rollback requested by the parent stack');
    // A replaced resource's original is untouched: the stack points back at it, the new one is cleaned up.
    const replacements = changes.flatMap((change) => (change.kind === 'replaced' ? [change] : []));
    replacements.forEach((change) => this.resources.set(change.previous.logicalId, change.previous));
    for (const change of changes) {
      if (change.kind === 'unchanged') this.resources.set(change.previous.logicalId, change.previous);
    }

    // Every resource updated in place, including the failed and cancelled ones, gets an Update back to its old properties.
    const reverts = new Map<string, Revert>();
    for (const change of changes) {
      if (change.kind === 'updated') {
        const { previous, attempted, attemptedDependencies } = change;
        reverts.set(previous.logicalId, { previous, attempted, attemptedDependencies, physicalId: previous.physicalId });
      } else if (change.kind === 'update-failed' && change.attempted) {
        const physicalId = change.recordedPhysicalId ?? change.previous.physicalId;
        const { previous, attempted, attemptedDependencies } = change;
        reverts.set(previous.logicalId, { previous, attempted, attemptedDependencies, physicalId });
      }
    }
    // In reverse dependency order: a resource is rolled back before what it depends on, so a custom
    // resource's rollback Update runs while its handler's policies are still the new ones.
    const dependsOn = this.transitiveDependencies(changes);
    const revertIds = [...reverts.keys()];
    const superseded: DeletionEntry[] = [];
    const reverted = await runInDependencyOrder(
      revertIds,
      (logicalId) => revertIds.filter((other) => dependsOn(other).has(logicalId)),
      async (logicalId) => {
        const revert = reverts.get(logicalId)!;
        const answered = await this.rollbackUpdate(revert);
        // The rollback answered another physical id than the one on record: the recorded one is
        // deleted in the rollback's cleanup, with the properties it was created with, in the order
        // of the template it was created from (before what it depended on there).
        if (answered !== undefined && answered !== revert.physicalId) {
          const { previous, physicalId, attempted, attemptedDependencies } = revert;
          const record = { ...previous, physicalId, properties: attempted, dependencies: attemptedDependencies };
          superseded.push({ record, createdInThisOperation: true });
        }
        return answered !== undefined;
      },
      { stopOnFailure: false },
    );
    this.template = previousTemplate;
    this.outputs = previousOutputs;
    if (reverted.failed.size > 0 || reverted.skipped.size > 0) return this.setStatus('UPDATE_ROLLBACK_FAILED');

    this.setStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    const created = createdRecords(changes);
    await this.deleteInReverseOrder([
      ...created.map((record): DeletionEntry => ({ record, policy: 'DeletionPolicy', createdInThisOperation: true })),
      ...replacements.map((change): DeletionEntry => ({ record: change.record, createdInThisOperation: true })),
      ...superseded,
    ]);
    created.forEach((record) => this.forget(record));
    return this.setStatus('UPDATE_ROLLBACK_COMPLETE');
  }

  /**
   * Creates or updates every resource of the template in dependency order. After the first
   * failure nothing new starts, and custom resource operations still in flight are cancelled:
   * CloudFormation stops waiting for them (their provider keeps running in the background).
   * A nested stack's operation is cancelled the same way when its parent's is (`cancelledByParent`).
   */
  private async apply(
    model: TemplateModel,
    cancelledByParent?: Promise<void>,
  ): Promise<{ changes: Change[]; failures: string[]; cancelled: boolean }> {
    const changes: Change[] = [];
    const failures: string[] = [];
    let cancel!: () => void;
    const cancelled = new Promise<void>((resolve) => {
      cancel = resolve;
    });
    let done = false;
    let parentCancelled = false;
    void cancelledByParent?.then(() => {
      if (done) return;
      parentCancelled = true;
      cancel();
    });
    await runInDependencyOrder(
      model.resourceIds(),
      (logicalId) => model.dependencies(logicalId),
      async (logicalId) => {
        const { change, ok, cancelledByOthers } = await this.applyResource(model, logicalId, cancelled);
        if (change) changes.push(change);
        if (!ok && !cancelledByOthers) {
          failures.push(logicalId);
          cancel();
        }
        return ok;
      },
      { stopOnFailure: true },
    );
    done = true;
    return { changes, failures, cancelled: parentCancelled };
  }

  private async applyResource(
    model: TemplateModel,
    logicalId: string,
    cancelled: Promise<void>,
  ): Promise<{ change?: Change; ok: boolean; cancelledByOthers?: boolean }> {
    const definition = model.resource(logicalId);
    const previous = this.resources.get(logicalId);
    const dependencies = model.dependencies(logicalId);
    let properties: Record<string, unknown>;
    try {
      properties = resolveIntrinsics(definition.Properties ?? {}, model.context()) as Record<string, unknown>;
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      this.resourceEvent(logicalId, definition.Type, previous ? 'UPDATE_FAILED' : 'CREATE_FAILED', previous?.physicalId, err.message);
      return previous ? { change: { kind: 'update-failed', previous, attemptedDependencies: [] }, ok: false } : { change: { kind: 'create-failed', logicalId }, ok: false };
    }

    if (!previous) return this.createResource(model, logicalId, definition, properties, dependencies, cancelled);
    if (previous.type !== definition.Type) {
      this.resourceEvent(logicalId, definition.Type, 'UPDATE_FAILED', previous.physicalId,
        `Update of resource type is not permitted. The new template modifies resource type of the following resources: [${logicalId}]`);
      return { change: { kind: 'update-failed', previous, attemptedDependencies: [] }, ok: false };
    }
    if (JSON.stringify(previous.properties) === JSON.stringify(properties)) {
      // Unchanged after resolution: nothing is sent (attributes like DeletionPolicy are taken over silently).
      this.resources.set(logicalId, { ...previous, definition, dependencies });
      return { change: { kind: 'unchanged', previous }, ok: true };
    }
    return this.updateResource(model, previous, definition, properties, dependencies, cancelled);
  }

  private async createResource(
    model: TemplateModel,
    logicalId: string,
    definition: CfnResource,
    properties: Record<string, unknown>,
    dependencies: string[],
    cancelled: Promise<void>,
  ): Promise<{ change: Change; ok: boolean; cancelledByOthers?: boolean }> {
    const type = definition.Type;
    this.resourceEvent(logicalId, type, 'CREATE_IN_PROGRESS');
    const outcome = this.checkAttributes(model, logicalId, type,
      await this.services.driverFor(type).create({ logicalId, type, properties }, cancelled));
    const record = (physicalId: string, attributes: Record<string, unknown> = {}): DeployedResource =>
      ({ logicalId, type, physicalId, properties, attributes, definition, dependencies });

    switch (outcome.status) {
      case 'COMPLETE': {
        const created = record(outcome.physicalId, outcome.attributes);
        this.resources.set(logicalId, created);
        this.resourceEvent(logicalId, type, 'CREATE_COMPLETE', outcome.physicalId);
        return { change: { kind: 'created', record: created }, ok: true };
      }
      case 'FAILED': {
        this.resourceEvent(logicalId, type, 'CREATE_FAILED', outcome.physicalId, outcome.reason);
        // Without a physical id in the response, CloudFormation deletes a custom resource by an invented one.
        const physicalId = outcome.physicalId ?? (isCustomResourceType(type) ? inventedPhysicalId(this.stackName, logicalId) : undefined);
        return { change: { kind: 'create-failed', logicalId, record: physicalId ? record(physicalId) : undefined }, ok: false };
      }
      case 'CANCELLED': {
        this.resourceEvent(logicalId, type, 'CREATE_FAILED', undefined, 'Resource creation cancelled');
        return { change: { kind: 'create-failed', logicalId, record: record(inventedPhysicalId(this.stackName, logicalId)) }, ok: false, cancelledByOthers: true };
      }
    }
  }

  private async updateResource(
    model: TemplateModel,
    previous: DeployedResource,
    definition: CfnResource,
    properties: Record<string, unknown>,
    dependencies: string[],
    cancelled: Promise<void>,
  ): Promise<{ change: Change; ok: boolean; cancelledByOthers?: boolean }> {
    const { logicalId, type } = previous;
    this.resourceEvent(logicalId, type, 'UPDATE_IN_PROGRESS', previous.physicalId);
    const outcome = this.checkAttributes(model, logicalId, type, await this.services.driverFor(type).update({
      logicalId,
      type,
      properties,
      physicalId: previous.physicalId,
      oldProperties: previous.properties,
      previousAttributes: previous.attributes,
      rollback: false,
    }, cancelled));

    switch (outcome.status) {
      case 'COMPLETE': {
        const updated: DeployedResource = {
          ...previous,
          physicalId: outcome.physicalId,
          properties,
          attributes: outcome.attributes,
          definition,
          dependencies,
        };
        this.resources.set(logicalId, updated);
        this.resourceEvent(logicalId, type, 'UPDATE_COMPLETE', outcome.physicalId);
        const change: Change = outcome.physicalId !== previous.physicalId
          ? { kind: 'replaced', previous, record: updated }
          : { kind: 'updated', previous, attempted: properties, attemptedDependencies: dependencies };
        return { change, ok: true };
      }
      case 'FAILED': {
        // CloudFormation records the physical id of a FAILED response (aws/aws-cdk#13527, #30012).
        const recordedPhysicalId = outcome.physicalId ?? previous.physicalId;
        if (recordedPhysicalId !== previous.physicalId) this.resources.set(logicalId, { ...previous, physicalId: recordedPhysicalId });
        this.resourceEvent(logicalId, type, 'UPDATE_FAILED', recordedPhysicalId, outcome.reason);
        return { change: { kind: 'update-failed', previous, attempted: properties, attemptedDependencies: dependencies, recordedPhysicalId }, ok: false };
      }
      case 'CANCELLED':
        this.resourceEvent(logicalId, type, 'UPDATE_FAILED', previous.physicalId, 'Resource update cancelled');
        return { change: { kind: 'update-failed', previous, attempted: properties, attemptedDependencies: dependencies }, ok: false, cancelledByOthers: true };
    }
  }

  /**
   * The rollback Update, sent with the physical id on record: ResourceProperties are the old
   * ones, OldResourceProperties the attempted ones. Returns the physical id it answered, or
   * undefined when it failed.
   */
  private async rollbackUpdate(change: Revert): Promise<string | undefined> {
    const { previous, physicalId } = change;
    this.resourceEvent(previous.logicalId, previous.type, 'UPDATE_IN_PROGRESS', physicalId);
    const outcome = await this.services.driverFor(previous.type).update({
      logicalId: previous.logicalId,
      type: previous.type,
      properties: previous.properties,
      physicalId,
      oldProperties: change.attempted,
      previousAttributes: previous.attributes,
      rollback: true,
    });
    if (outcome.status !== 'COMPLETE') {
      this.resourceEvent(previous.logicalId, previous.type, 'UPDATE_FAILED', physicalId, outcome.status === 'FAILED' ? outcome.reason : 'Resource update cancelled');
      return undefined;
    }
    this.resources.set(previous.logicalId, { ...previous, physicalId: outcome.physicalId, attributes: outcome.attributes });
    this.resourceEvent(previous.logicalId, previous.type, 'UPDATE_COMPLETE', outcome.physicalId);
    return outcome.physicalId;
  }

  /**
   * Everything each resource depends on, directly or through others, in the templates before and
   * after the update: the rollback order must see a custom resource depend on its handler's
   * policy through the functions in between, even when those did not change.
   */
  private transitiveDependencies(changes: readonly Change[]): (logicalId: string) => ReadonlySet<string> {
    const direct = new Map<string, Set<string>>();
    const add = (record: DeployedResource) => {
      const set = direct.get(record.logicalId) ?? new Set<string>();
      record.dependencies.forEach((dependency) => set.add(dependency));
      direct.set(record.logicalId, set);
    };
    this.resources.forEach(add);
    changes.forEach((change) => {
      if ('previous' in change) add(change.previous);
    });
    const cache = new Map<string, Set<string>>();
    const closure = (logicalId: string): Set<string> => {
      const cached = cache.get(logicalId);
      if (cached) return cached;
      const result = new Set<string>();
      cache.set(logicalId, result);
      const pending = [...(direct.get(logicalId) ?? [])];
      while (pending.length > 0) {
        const next = pending.pop()!;
        if (result.has(next) || next === logicalId) continue;
        result.add(next);
        pending.push(...(direct.get(next) ?? []));
      }
      return result;
    };
    return closure;
  }

  /**
   * Deletes entries once everything that depended on them is gone; a failed Delete keeps what
   * it depends on. Returns the logical ids whose Delete failed.
   */
  private async deleteInReverseOrder(entries: DeletionEntry[]): Promise<string[]> {
    const keyOf = (entry: DeletionEntry) => `${entry.record.logicalId}|${entry.record.physicalId}`;
    const byKey = new Map(entries.map((entry) => [keyOf(entry), entry]));
    const dependents = (key: string) => {
      const { logicalId } = byKey.get(key)!.record;
      return entries.filter((entry) => entry.record.dependencies.includes(logicalId)).map(keyOf);
    };
    const result = await runInDependencyOrder([...byKey.keys()], dependents, (key) => this.deleteResource(byKey.get(key)!), { stopOnFailure: false });
    return [...result.failed].map((key) => byKey.get(key)!.record.logicalId);
  }

  private async deleteResource(entry: DeletionEntry): Promise<boolean> {
    const { record } = entry;
    const policy = entry.policy ? record.definition[entry.policy] : undefined;
    if (policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !entry.createdInThisOperation)) {
      this.resourceEvent(record.logicalId, record.type, 'DELETE_SKIPPED', record.physicalId);
      this.forget(record);
      return true;
    }
    this.resourceEvent(record.logicalId, record.type, 'DELETE_IN_PROGRESS', record.physicalId);
    const outcome: OperationOutcome = await this.services.driverFor(record.type).delete({
      logicalId: record.logicalId,
      type: record.type,
      physicalId: record.physicalId,
      properties: record.properties,
    });
    if (outcome.status !== 'COMPLETE') {
      this.resourceEvent(record.logicalId, record.type, 'DELETE_FAILED', record.physicalId, outcome.status === 'FAILED' ? outcome.reason : undefined);
      // It still exists: keep it in the stack (a failed create's record was not in it yet).
      if (!this.resources.has(record.logicalId)) this.resources.set(record.logicalId, record);
      return false;
    }
    this.resourceEvent(record.logicalId, record.type, 'DELETE_COMPLETE', record.physicalId);
    this.forget(record);
    this.services.onResourceDeleted(record);
    return true;
  }

  /**
   * CloudFormation reads a custom resource's attributes from its response: when the template
   * uses an attribute the Data lacks, the resource itself fails.
   */
  private checkAttributes(model: TemplateModel, logicalId: string, type: string, outcome: OperationOutcome): OperationOutcome {
    if (outcome.status !== 'COMPLETE' || !isCustomResourceType(type)) return outcome;
    const missing = [...model.attributesReadFrom(logicalId)].find((attribute) => !(attribute in outcome.attributes));
    if (missing === undefined) return outcome;
    return {
      status: 'FAILED',
      physicalId: outcome.physicalId,
      reason: `CustomResource attribute error: Vendor response doesn't contain ${missing} key in object ${this.stackId}|${logicalId}|${outcome.physicalId} `
        + `in S3 bucket cloudformation-custom-resource-storage-${this.services.region.replace(/-/g, '')}`,
    };
  }

  private resolveOutputs(model: TemplateModel): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(model.template.Outputs ?? {})) {
      if (output.Condition !== undefined && !model.condition(output.Condition)) continue;
      outputs[name] = resolveIntrinsics(output.Value, model.context());
    }
    return outputs;
  }

  private deployed(logicalId: string): DeployedResource {
    const record = this.resources.get(logicalId);
    if (!record) throw new TemplateError(`Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
    return record;
  }

  private attribute(record: DeployedResource, attribute: string): unknown {
    if (attribute in record.attributes) return record.attributes[attribute];
    if (isCustomResourceType(record.type)) {
      throw new TemplateError(`CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object ${this.stackId}|${record.logicalId}|${record.physicalId}`);
    }
    const { region, accountId } = this.services;
    return stubAttribute(record.type, record.physicalId, attribute, { stackName: this.stackName, region, accountId });
  }

  private forget(record: DeployedResource): void {
    if (this.resources.get(record.logicalId) === record) this.resources.delete(record.logicalId);
  }

  private async operation(run: () => Promise<StackStatus>): Promise<StackOperationResult> {
    const events: StackEvent[] = [];
    const startedAt = this.services.clock.now();
    this.operationEvents = events;
    try {
      const status = await run();
      return { status, events, durationMs: this.services.clock.now() - startedAt, outputs: { ...this.outputs } };
    } finally {
      this.operationEvents = undefined;
    }
  }

  private setStatus(status: StackStatus, reason?: string): StackStatus {
    this.status = status;
    this.emit({ at: this.services.clock.now(), logicalId: this.stackName, resourceType: 'AWS::CloudFormation::Stack', physicalId: this.stackId, status, reason });
    return status;
  }

  private resourceEvent(logicalId: string, resourceType: string, status: ResourceStatus, physicalId?: string, reason?: string): void {
    this.emit({ at: this.services.clock.now(), logicalId, resourceType, physicalId, status, reason });
  }

  private emit(event: StackEvent): void {
    const clean = Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as unknown as StackEvent;
    this.operationEvents?.push(clean);
    this.services.onEvent(clean);
  }

  private reset(): void {
    this.status = undefined;
    this.template = undefined;
    this.outputs = {};
    this.resources.clear();
    this.stackId = this.newStackId();
  }

  private newStackId(): string {
    return `arn:aws:cloudformation:${this.services.region}:${this.services.accountId}:stack/${this.stackName}/${randomUUID()}`;
  }
}

/** Physical resources a failed operation created, which its rollback deletes. */
function createdRecords(changes: Change[]): DeployedResource[] {
  return changes.flatMap((change) => {
    if (change.kind === 'created') return [change.record];
    if (change.kind === 'create-failed' && change.record) return [change.record];
    return [];
  });
}

function failureSummary(changes: Change[], failures: string[]): string {
  const failedCreates = failures.filter((logicalId) => changes.some((change) => change.kind === 'create-failed' && change.logicalId === logicalId));
  const failedUpdates = failures.filter((logicalId) => !failedCreates.includes(logicalId));
  return [
    failedCreates.length > 0 ? `The following resource(s) failed to create: [${failedCreates.join(', ')}]. ` : '',
    failedUpdates.length > 0 ? `The following resource(s) failed to update: [${failedUpdates.join(', ')}]. ` : '',
  ].join('');
}
