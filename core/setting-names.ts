/**
 * The settings a core message may ask the user to change, in words: core says what to change,
 * each face says how (STYLE.md habit 13). The CLI names each one's flag
 * (electron/cli/setting-flags.ts); the workbench's controls carry these words in their labels.
 */
export const SETTING_NAMES = {
  model: 'a model with its architecture (a catalog id or a config.json)',
  params: 'a bare parameter count',
  zeroStage: 'the ZeRO stage',
  fsdp: 'FSDP sharding',
  gradAccum: 'the gradient accumulation',
  tensorParallel: 'the tensor-parallel degree',
  pipelineParallel: 'the pipeline-parallel degree',
  precision: 'the training precision',
  launchEngine: 'the launch engine',
  mmproj: 'the image projector (mmproj) file',
  quantMethod: 'the quantization method',
  quantBits: 'the bit width',
  quantBlock: 'the block size',
  quantAxis: 'the per-row or per-column scaling',
  quantThreshold: 'the outlier threshold',
  quantDoubleQuant: 'double quantization',
} as const;

export type SettingName = keyof typeof SETTING_NAMES;
