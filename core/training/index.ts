/**
 * Training planning (issue 5): precision recipes, optimizers, LoRA/QLoRA, activations,
 * ZeRO/FSDP/TP/PP/offload, speed. The public entry points; the modules beside this one hold
 * the pieces and their sources.
 */
export { planTraining, type TrainingPlanInput } from './training-plan';
export {
  planTrainingFromOptions,
  trainingInputFromRequest,
  type TrainingPlanRequest,
} from './from-options';
export {
  DEFAULT_TRAINING_SCENARIO,
  FSDP_ZERO_STAGE,
  trainingScenario,
  validateTrainingScenario,
} from './scenario';
export { PRECISION_RECIPES, TRAINING_PRECISIONS } from './precision';
export { OPTIMIZERS, OPTIMIZER_IDS } from './optimizers';
export { DEFAULT_LORA_RANK, DEFAULT_LORA_TARGETS } from './lora';
export { DEFAULT_MFU } from './speed';
export {
  estimateZero2ModelStatesMemNeeds,
  estimateZero3ModelStatesMemNeeds,
} from './deepspeed-estimate';
