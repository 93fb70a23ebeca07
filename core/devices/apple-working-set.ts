import { BYTES_PER_GIB } from '../units/bytes';

/**
 * How much of an Apple Silicon Mac's unified memory Metal lets the GPU use by default: the
 * device's `recommendedMaxWorkingSetSize`. Apple does not document the formula; llama.cpp prints
 * the value at start-up (`ggml_metal_init: recommendedMaxWorkingSetSize = … MB`, in MiB), and the
 * published logs show two regimes:
 *
 * - 2/3 of RAM up to 32 GiB: 10922.67 MiB on 16 GiB (abetlen/llama-cpp-python#687),
 *   21845.34 MiB on 32 GiB (ollama/ollama#434 on an M2 Max; ggml-org/llama.cpp#2011 on an M1 Max);
 * - 3/4 of RAM above: 49152 MiB on 64 GiB (llama-cpp-python server log), 73728 MiB on 96 GiB
 *   (ggml-org/llama.cpp#3213, M2 Max), ~96 GiB on 128 GiB (Ollama's reported GPU memory).
 *
 * 36 GiB machines land in the upper regime (about 27 GiB reported for 36 GB Macs), so the break is
 * above 32 GiB, not at 36. Newer macOS releases raise the budget on some machines (28991 MiB on a
 * 36 GiB M4 Max; 107.52 GiB on a 128 GiB M5 Max under macOS 26, antirez/ds4#893), and
 * `sudo sysctl iogpu.wired_limit_mb=N` overrides it, so this is the conservative catalog value;
 * detection should read the real one.
 */

/** Largest RAM size, in GiB, that gets the two-thirds budget. */
const APPLE_TWO_THIRDS_MAX_RAM_GIB = 32;
/** Share of RAM the GPU may use at or below 32 GiB (2/3, from the logs above). */
const APPLE_SMALL_WORKING_SET_FRACTION = 2 / 3;
/** Share of RAM the GPU may use above 32 GiB (3/4, from the logs above). */
const APPLE_LARGE_WORKING_SET_FRACTION = 3 / 4;

/**
 * The default Metal GPU working-set budget for a Mac with this much RAM.
 * @param ramBytes total unified memory (`sysctl hw.memsize`)
 * @returns bytes the GPU may keep resident by default
 * @example appleGpuWorkingSetBytes(16 * 2 ** 30) / 2 ** 20 // 10922.67 (MiB)
 * @example appleGpuWorkingSetBytes(192 * 2 ** 30) / 2 ** 30 // 144 (GiB)
 */
export function appleGpuWorkingSetBytes(ramBytes: number): number {
  const fraction =
    ramBytes <= APPLE_TWO_THIRDS_MAX_RAM_GIB * BYTES_PER_GIB
      ? APPLE_SMALL_WORKING_SET_FRACTION
      : APPLE_LARGE_WORKING_SET_FRACTION;
  return Math.floor(ramBytes * fraction);
}
