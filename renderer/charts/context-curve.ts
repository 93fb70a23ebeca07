import type { VerdictStatus } from '../../core/plan/types';

/** One format's memory at each context, with each point's verdict. */
export interface ContextCurve {
  readonly label: string;
  readonly points: readonly {
    readonly contextTokens: number;
    readonly bytes: number;
    readonly status: VerdictStatus;
  }[];
  /** Longest context that runs on the devices (null: none; undefined: not searched). */
  readonly maxContext: number | null | undefined;
  /**
   * The longest context is the model's trained context (config.json max_position_embeddings),
   * not a memory limit: more memory would not raise it.
   */
  readonly maxIsTrainedContext: boolean;
}

/** A horizontal line: a device's capacity. */
export interface CapacityLine {
  readonly label: string;
  readonly bytes: number;
}
