import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { AnyPlanRequest } from '../../core/bridge';
import type { Envelope } from '../../core/errors';
import type { Plan } from '../../core/plan/types';
import { useBridge } from '../bridge/current';
import { errorMessage } from './error-message';

/** One planned cell: its key, the request sent and what came back (a plan or its error). */
export interface PlannedCell<Key> {
  readonly key: Key;
  readonly request: AnyPlanRequest;
  readonly outcome: Envelope<Plan>;
}

interface PlanBatchState<Key> {
  /** The cells of the latest completed batch, in request order. */
  readonly cells: ShallowRef<readonly PlannedCell<Key>[]>;
  /** A batch is in flight. */
  readonly pending: Ref<boolean>;
  /** The bridge itself failed (not one plan): shown above the view. */
  readonly error: Ref<string | null>;
  /** Completed batches so far: views and tests wait on it. */
  readonly revision: Ref<number>;
  run(entries: readonly { key: Key; request: AnyPlanRequest }[]): Promise<void>;
}

/**
 * Runs plan requests through the bridge's planBatch in one round trip. Only the answer to the
 * latest call is kept, so a slow answer to an older control value never overwrites a newer one.
 */
export function createPlanBatch<Key>(): PlanBatchState<Key> {
  const cells = shallowRef<readonly PlannedCell<Key>[]>([]);
  const pending = ref(false);
  const error = ref<string | null>(null);
  const revision = ref(0);
  let latestCall = 0;

  async function run(entries: readonly { key: Key; request: AnyPlanRequest }[]): Promise<void> {
    const call = ++latestCall;
    pending.value = true;
    try {
      const outcomes =
        entries.length === 0
          ? []
          : await useBridge().planBatch(entries.map((entry) => entry.request));
      if (call !== latestCall) return;
      cells.value = entries.map((entry, i) => ({ ...entry, outcome: outcomes[i]! }));
      error.value = null;
    } catch (thrown) {
      if (call !== latestCall) return;
      error.value = errorMessage(thrown);
      cells.value = [];
    } finally {
      if (call === latestCall) {
        pending.value = false;
        revision.value++;
      }
    }
  }

  return { cells, pending, error, revision, run };
}
