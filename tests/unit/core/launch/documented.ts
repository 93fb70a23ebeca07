/**
 * The argument and key names each engine documents, copied as names only from the engine's own
 * reference, with where. Launch settings may use nothing outside these lists.
 */

/**
 * `vllm serve` engine arguments: docs.vllm.ai "Engine Arguments" (generated from
 * vllm/engine/arg_utils.py).
 */
export const VLLM_SERVE_ARGS = new Set([
  '--tensor-parallel-size',
  '--pipeline-parallel-size',
  '--data-parallel-size',
  '--enable-expert-parallel',
  '--max-model-len',
  '--gpu-memory-utilization',
  '--quantization',
  '--kv-cache-dtype',
  '--max-num-seqs',
  '--dtype',
  '--speculative-config',
  '--limit-mm-per-prompt',
]);
/** vllm/config (ModelDType): auto, half, float16, bfloat16, float, float32. */
export const VLLM_DTYPES = new Set(['auto', 'half', 'float16', 'bfloat16', 'float', 'float32']);
/** vllm/config/cache.py CacheDType: auto, fp8, fp8_e4m3, fp8_e5m2. */
export const VLLM_KV_CACHE_DTYPES = new Set(['auto', 'fp8', 'fp8_e4m3', 'fp8_e5m2']);
/** vllm/model_executor/layers/quantization/__init__.py QuantizationMethods (current main). */
export const VLLM_QUANTIZATION_METHODS = new Set([
  'awq',
  'fp8',
  'fbgemm_fp8',
  'fp_quant',
  'modelopt',
  'modelopt_fp4',
  'modelopt_mixed',
  'gguf',
  'gptq_marlin',
  'awq_marlin',
  'gptq',
  'compressed-tensors',
  'bitsandbytes',
  'experts_int8',
  'quark',
  'moe_wna16',
  'torchao',
  'inc',
  'mxfp4',
  'petit_nvfp4',
  'cpu_awq',
]);

/**
 * `python -m sglang.launch_server` server arguments: docs/advanced_features/server_arguments.md
 * (generated from python/sglang/srt/server_args.py ServerArgs).
 */
export const SGLANG_SERVER_ARGS = new Set([
  '--model-path',
  '--tp-size',
  '--dp-size',
  '--enable-dp-attention',
  '--ep-size',
  '--context-length',
  '--mem-fraction-static',
  '--max-running-requests',
  '--max-total-tokens',
  '--chunked-prefill-size',
  '--dtype',
  '--quantization',
  '--kv-cache-dtype',
]);
/** server_args.py --dtype choices: auto, half, float16, bfloat16, float, float32. */
export const SGLANG_DTYPES = new Set(['auto', 'half', 'float16', 'bfloat16', 'float', 'float32']);
/** server_args.py --kv-cache-dtype choices. */
export const SGLANG_KV_CACHE_DTYPES = new Set([
  'auto',
  'fp8_e5m2',
  'fp8_e4m3',
  'bf16',
  'bfloat16',
  'fp4_e2m1',
]);
/** server_args.py QUANTIZATION_CHOICES (2026 main), the ones Headroom's formats map to. */
export const SGLANG_QUANTIZATION_METHODS = new Set([
  'awq',
  'fp8',
  'gptq',
  'bitsandbytes',
  'modelopt_fp4',
  'w8a8_int8',
  'mxfp4',
]);

/** `llama-server` arguments: llama.cpp tools/server/README.md, "Usage" (llama-gen-docs). */
export const LLAMA_SERVER_ARGS = new Set([
  '-m',
  '-c',
  '-np',
  '-ngl',
  '--tensor-split',
  '-ts',
  '-ctk',
  '-ctv',
  '-fa',
  '--mmproj',
  '-md',
  '--draft-max',
]);
/** Same README: -ctk/-ctv allowed values. */
export const LLAMA_CACHE_TYPES = new Set([
  'f32',
  'f16',
  'bf16',
  'q8_0',
  'q4_0',
  'q4_1',
  'iq4_nl',
  'q5_0',
  'q5_1',
]);
/** Same README: `-fa, --flash-attn [on|off|auto]`. */
export const LLAMA_FLASH_ATTN_VALUES = new Set(['on', 'off', 'auto']);

/** Ollama docs/modelfile.mdx, "Instructions" (a line starting with # is a comment). */
export const OLLAMA_INSTRUCTIONS = new Set([
  'FROM',
  'PARAMETER',
  'TEMPLATE',
  'SYSTEM',
  'ADAPTER',
  'LICENSE',
  'MESSAGE',
  'REQUIRES',
]);
/**
 * Modelfile PARAMETER names: num_ctx in docs/modelfile.mdx's "Valid Parameters and Values";
 * num_gpu is a runner option (api/types.go, Runner: NumGPU `json:"num_gpu"`).
 */
export const OLLAMA_PARAMETERS = new Set([
  'num_ctx',
  'num_gpu',
  'repeat_last_n',
  'repeat_penalty',
  'temperature',
  'seed',
  'stop',
  'num_predict',
  'top_k',
  'top_p',
  'min_p',
]);

/** DeepSpeed docs/_pages/config-json.md: the keys and sub-keys these settings may use. */
export const DEEPSPEED_KEYS: Readonly<Record<string, ReadonlySet<string> | null>> = {
  train_micro_batch_size_per_gpu: null,
  gradient_accumulation_steps: null,
  train_batch_size: null,
  fp16: new Set(['enabled']),
  bf16: new Set(['enabled', 'bf16_master_weights_and_grads', 'bf16_optimizer_states']),
  torch_autocast: new Set(['enabled', 'dtype', 'lower_precision_safe_modules']),
  zero_optimization: new Set(['stage', 'offload_optimizer', 'offload_param']),
  tensor_parallel: new Set(['autotp_size']),
};
/** config-json.md "Optimizer offloading" / "Parameter offloading": device cpu or nvme. */
export const DEEPSPEED_OFFLOAD_KEYS = new Set(['device', 'nvme_path', 'pin_memory']);

/**
 * accelerate's config file keys: the fields of BaseConfig and ClusterConfig
 * (src/accelerate/commands/config/config_args.py; from_yaml_file refuses any other key).
 */
export const ACCELERATE_CONFIG_KEYS = new Set([
  'compute_environment',
  'distributed_type',
  'mixed_precision',
  'use_cpu',
  'debug',
  'num_processes',
  'machine_rank',
  'num_machines',
  'gpu_ids',
  'main_process_ip',
  'main_process_port',
  'rdzv_backend',
  'same_network',
  'main_training_function',
  'enable_cpu_affinity',
  'fp8_config',
  'deepspeed_config',
  'fsdp_config',
  'parallelism_config',
  'megatron_lm_config',
  'mpirun_config',
  'downcast_bf16',
  'dynamo_config',
]);
/** accelerate docs/source/usage_guides/fsdp.md: the fsdp_config keys it documents. */
export const ACCELERATE_FSDP_KEYS = new Set([
  'fsdp_sharding_strategy',
  'fsdp_offload_params',
  'fsdp_auto_wrap_policy',
  'fsdp_transformer_layer_cls_to_wrap',
  'fsdp_min_num_params',
  'fsdp_backward_prefetch_policy',
  'fsdp_forward_prefetch',
  'fsdp_state_dict_type',
  'fsdp_use_orig_params',
  'fsdp_cpu_ram_efficient_loading',
  'fsdp_sync_module_states',
  'fsdp_activation_checkpointing',
]);
/** Same guide: [1] FULL_SHARD … [5] HYBRID_SHARD_ZERO2. */
export const FSDP_SHARDING_STRATEGIES = new Set([
  'FULL_SHARD',
  'SHARD_GRAD_OP',
  'NO_SHARD',
  'HYBRID_SHARD',
  'HYBRID_SHARD_ZERO2',
]);

/** transformers src/transformers/utils/quantization_config.py, BitsAndBytesConfig.__init__. */
export const BITS_AND_BYTES_CONFIG_ARGS = new Set([
  'load_in_8bit',
  'load_in_4bit',
  'llm_int8_threshold',
  'llm_int8_skip_modules',
  'llm_int8_enable_fp32_cpu_offload',
  'llm_int8_has_fp16_weight',
  'bnb_4bit_compute_dtype',
  'bnb_4bit_quant_type',
  'bnb_4bit_use_double_quant',
  'bnb_4bit_quant_storage',
]);

/** PyTorch "torchrun (Elastic Launch)" docs (torch.distributed.run). */
export const TORCHRUN_ARGS = new Set([
  '--nnodes',
  '--nproc-per-node',
  '--nproc_per_node',
  '--rdzv-backend',
  '--rdzv-endpoint',
  '--rdzv-id',
  '--standalone',
]);
