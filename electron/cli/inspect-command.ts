import { Command, Option } from 'commander';
import { modelDocument, type ModelDocument } from '../../core/import/imported-model';
import type { ArchitectureSpec } from '../../core/models/types';
import { BYTE_UNITS, formatBytes, type ByteUnit } from '../../core/units/bytes';
import { formatInteger, formatParams } from '../../core/units/numbers';
import { inspectModelArgument } from '../services/model-files';
import { renderTable } from './table';

interface InspectOptions {
  readonly json?: boolean;
  readonly unit: ByteUnit;
}

/** The architecture in one line per group of numbers. */
function architectureLines(arch: ArchitectureSpec): string[] {
  const lines = [
    `family ${arch.family}, ${arch.layers} layers, hidden ${arch.hiddenSize}, FFN ${arch.intermediateSize}, vocab ${arch.vocabSize}`,
    `attention ${arch.attention}: ${arch.attentionHeads} heads, ${arch.kvHeads} KV heads, head dim ${arch.headDim}; context ${arch.maxContextTokens} tokens`,
    `embeddings ${arch.tiedEmbeddings ? 'tied to the output head' : 'separate from the output head'}`,
  ];
  if (arch.moe) {
    const moe = arch.moe;
    lines.push(
      `experts: ${moe.routedExperts} routed (${moe.activeExperts} per token, width ${moe.expertIntermediateSize})` +
        `${moe.sharedExperts ? `, ${moe.sharedExperts} shared` : ''}${moe.firstDenseLayers ? `, first ${moe.firstDenseLayers} layers dense` : ''}`,
    );
  }
  if (arch.mla) {
    lines.push(
      `MLA: KV rank ${arch.mla.kvLoraRank}, query rank ${arch.mla.qLoraRank ?? 'none'}, rope dims ${arch.mla.qkRopeHeadDim}`,
    );
  }
  if (arch.slidingWindow) {
    const sliding = arch.slidingWindow.slidingLayers.filter(Boolean).length;
    lines.push(
      `sliding window ${arch.slidingWindow.windowTokens} tokens on ${sliding} of ${arch.layers} layers`,
    );
  }
  return lines;
}

/**
 * The human form of `headroom inspect`: the model's counts, its stored dtypes, its architecture,
 * the files read and the warnings.
 */
function renderModel(doc: ModelDocument, unit: ByteUnit): string {
  const source =
    doc.source.kind === 'file'
      ? `${doc.source.format} at ${doc.source.path}`
      : doc.source.kind === 'hub'
        ? `Hugging Face Hub ${doc.source.repo}`
        : doc.source.kind === 'catalog'
          ? `catalog (${doc.source.config})`
          : doc.source.note;
  const lines = [
    `${doc.displayName}  (${source})`,
    `params          ${formatInteger(doc.params)}  (${formatParams(doc.params)})`,
  ];
  if (doc.activeParams !== doc.params) {
    lines.push(
      `active params   ${formatInteger(doc.activeParams)}  (${formatParams(doc.activeParams)}) per token`,
    );
  }
  lines.push(`format          ${doc.publishedFormat}`);
  if (doc.bytes !== null) {
    lines.push(
      `weights         ${formatBytes(doc.bytes, unit)}  (${formatInteger(doc.bytes)} bytes in ${doc.tensors} tensors)`,
    );
  }
  if (doc.dtypes.length > 0) {
    const rows = doc.dtypes.map((entry) => [
      entry.dtype,
      entry.format ?? '(packed)',
      String(entry.tensors),
      formatInteger(entry.params),
      formatBytes(entry.bytes, unit),
    ]);
    lines.push('', renderTable(['dtype', 'format', 'tensors', 'params', unit], rows, [2, 3, 4]));
  }
  lines.push('');
  if (doc.architecture) lines.push(...architectureLines(doc.architecture));
  else lines.push('architecture unknown: plans use the parameter count only');
  if (doc.files.length > 0) {
    const rows = doc.files.map((file) => [file.kind, formatBytes(file.sizeBytes, unit), file.path]);
    lines.push('', renderTable(['file', 'size', 'path'], rows, [1]));
  }
  if (doc.warnings.length > 0)
    lines.push('', 'warnings:', ...doc.warnings.map((warning) => `  - ${warning}`));
  return lines.join('\n');
}

/**
 * `headroom inspect <path|id>`: reads a model folder, config.json, safetensors checkpoint
 * (single or sharded) or GGUF file — or a catalog id, or a Hub repo when online — and prints
 * what Headroom will plan with.
 */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description(
      'Show the model Headroom reads from a folder, config.json, .safetensors, index, .gguf, catalog id or Hub repo.',
    )
    .argument('<model>', 'path (folder or file), catalog id, or Hugging Face org/name')
    .addOption(
      new Option('--unit <unit>', 'unit for printed sizes').choices(BYTE_UNITS).default('GB'),
    )
    .option('--json', 'print one JSON document (schema headroom.model/v1)')
    .action(async (model: string, options: InspectOptions) => {
      const doc = modelDocument(await inspectModelArgument(model));
      process.stdout.write(
        options.json ? `${JSON.stringify(doc, null, 2)}\n` : `${renderModel(doc, options.unit)}\n`,
      );
    });
}
