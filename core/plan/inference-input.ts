import type { DeviceSpec } from '../devices/types';
import type { ModelSpec } from '../models/types';
import type { ByteUnit } from '../units/bytes';
import type { InferenceScenario } from './types';

/** What an inference plan is asked for: the model, the devices, the host and the scenario. */
export interface InferencePlanInput {
  readonly model: ModelSpec;
  /** The devices to run on (e.g. four entries for 4 × H100). May be empty. */
  readonly devices: readonly DeviceSpec[];
  /** System RAM for offloaded layers (a CPU device); without it, offload is not checked against RAM. */
  readonly host?: DeviceSpec;
  readonly scenario: InferenceScenario;
  /** Unit for the words of the verdict (numbers stay in bytes). */
  readonly unit?: ByteUnit;
  /** Skip the minimum-devices search (used by the searches themselves). */
  readonly skipMinDevices?: boolean;
  /** The draft model `scenario.draft` names (absent for none, or for `mtp`). */
  readonly draft?: ModelSpec;
  /** llama.cpp's vision projector as read from its GGUF header (`--mmproj`). */
  readonly mmproj?: MmprojFile;
}

/** An mmproj GGUF (llama.cpp tools/mtmd): the vision tower and projector, read from its header. */
export interface MmprojFile {
  /** The file's name as llama-server's `--mmproj` takes it. */
  readonly fileName: string;
  /** Bytes of its tensors (ggml_nbytes of each), what llama.cpp loads. */
  readonly weightBytes: number;
  readonly params: number;
  /** clip.projector_type (gemma3, pixtral, qwen2.5vl_merger, llama4 …), when stated. */
  readonly projector?: string;
}

/** Largest device count the minimum-devices search tries. */
export const MAX_DEVICES_SEARCHED = 512;
