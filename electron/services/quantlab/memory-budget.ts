/**
 * The quantization lab's memory bound (issue 9: "≤ 256 MiB whatever the file size") and how
 * many worker threads fit in it. Each worker holds one read buffer, one float32 chunk and its
 * own V8 isolate; the main process holds the CLI or app baseline. The worker count is the
 * number of cores, capped so that baseline + workers stay under the bound.
 */
import { availableParallelism } from 'node:os';

const MIB = 2 ** 20;
/** Issue 9: the lab streams any file in at most 256 MiB of memory. */
export const QUANTLAB_MEMORY_BUDGET_BYTES = 256 * MIB;
/** Bytes per file read in a worker: 1 MiB (512 Ki bf16 values, decoded to 2 MiB of float32). */
export const DEFAULT_CHUNK_BYTES = 1 * MIB;
/**
 * Resident memory of the main process, not counting workers: on the build machine (Node 20,
 * x86-64, 2 cores) `node --import tsx` alone peaks at 73 MiB and a scan of a tiny file with
 * one worker at 103 MiB, i.e. about 85 MiB for the main thread with the lab loaded; rounded up.
 */
const MAIN_PROCESS_RESERVE_BYTES = 96 * MIB;
/**
 * What one worker thread adds besides its buffers (V8 isolate, heap, compiled modules, tsx's
 * require hook when run from sources): peak RSS grew by 20 MiB per worker from 2 to 8 workers
 * with 1 MiB chunks (3.25 MiB of buffers) on the same machine, so about 17 MiB; rounded up.
 */
const WORKER_OVERHEAD_BYTES = 18 * MIB;
/** Smallest element size the lab reads (F16/BF16): the float32 chunk is twice the read buffer. */
const MIN_ELEMENT_BYTES = 2;
/** float32 scratch of the scan kernels: 2^20 elements at most (NF4 block 4096 with double quantization). */
const KERNEL_SCRATCH_BYTES = 4 * MIB;
/* With the defaults: 18 + 1 + 2 + 4 = 25 MiB per worker, (256 − 96) / 25 → 6 workers at most. */

/** Memory one worker needs with this read buffer. */
function workerBytes(chunkBytes: number): number {
  return (
    WORKER_OVERHEAD_BYTES + chunkBytes + (chunkBytes / MIN_ELEMENT_BYTES) * 4 + KERNEL_SCRATCH_BYTES
  );
}

/** Workers that fit in the budget next to the main process. */
function workersWithinBudget(
  chunkBytes: number,
  budgetBytes = QUANTLAB_MEMORY_BUDGET_BYTES,
): number {
  return Math.max(
    1,
    Math.floor((budgetBytes - MAIN_PROCESS_RESERVE_BYTES) / workerBytes(chunkBytes)),
  );
}

/** Every core, as far as the memory budget allows. */
export function defaultWorkerCount(chunkBytes = DEFAULT_CHUNK_BYTES): number {
  return Math.max(1, Math.min(availableParallelism(), workersWithinBudget(chunkBytes)));
}
