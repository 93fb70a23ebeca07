import { HeadroomError } from '../errors';
import { parseLlamaLog } from './llama-log';
import { lastLine, lineError, logLines, sizeBytes, type LogLine } from './log-lines';
import type { MeasuredCategory, MeasuredRun, MeasuredSettings } from './types';

/**
 * Ollama server logs (`ollama serve`, journalctl -u ollama). Its scheduler prints, before it
 * starts a runner, one `msg=offload` line (older: `msg="offload to cuda"`, llm/memory.go) with
 * the layers it offloads and the memory it expects: memory.required.full / .partial / .kv,
 * memory.required.allocations per GPU, memory.weights.*, memory.graph.full / .partial, sizes
 * from format.HumanBytes2 (1024-based). Then `msg="starting llama server" cmd="… --ctx-size N
 * --batch-size N --n-gpu-layers N --parallel N"`. Those are Ollama's estimate; when the same log
 * has the runner's llama.cpp buffer lines, the allocated buffers are taken instead.
 */

/** `key=value` and `key="quoted value"` pairs of a Go slog line. */
function slogFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of text.matchAll(/([A-Za-z_][\w.]*)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    fields.set(match[1]!, match[2] ?? match[3]!);
  }
  return fields;
}

const isOffloadLine = (text: string): boolean =>
  /msg=offload\b|msg="offload to /.test(text) && text.includes('memory.required');

function requiredSize(fields: Map<string, string>, name: string, line: LogLine, file: string) {
  const text = fields.get(name);
  if (text === undefined) throw lineError(file, line, `an Ollama offload line without ${name}`);
  const bytes = sizeBytes(text);
  if (bytes === null) throw lineError(file, line, `${name}="${text}" is not a size`);
  return bytes;
}

/** `[21.8 GiB 21.8 GiB]` as byte counts. */
function sizeList(text: string, line: LogLine, file: string): number[] {
  const inner = text.replace(/^\[|\]$/g, '').trim();
  if (inner === '') return [];
  const parts = inner.match(/[0-9.]+ ?[KMGT]?i?B/g) ?? [];
  return parts.map((part) => {
    const bytes = sizeBytes(part);
    if (bytes === null) throw lineError(file, line, `"${part}" is not a size`);
    return bytes;
  });
}

/** The settings the runner's command line gives: context per sequence, sequences, GPU layers. */
function commandSettings(
  text: string,
): Pick<MeasuredSettings, 'contextTokens' | 'batch' | 'gpuLayers'> {
  const flag = (name: string): number | undefined => {
    const value = new RegExp(`--${name} (\\d+)`).exec(text)?.[1];
    return value === undefined ? undefined : Number(value);
  };
  const context = flag('ctx-size');
  const parallel = flag('parallel');
  const layers = flag('n-gpu-layers');
  return {
    // Ollama's --ctx-size is the whole cache: each of --parallel sequences gets its share.
    ...(context !== undefined ? { contextTokens: context / (parallel ?? 1) } : {}),
    ...(parallel !== undefined ? { batch: parallel } : {}),
    ...(layers !== undefined ? { gpuLayers: layers } : {}),
  };
}

/**
 * Reads an Ollama server log: the last model load in it.
 *
 * @throws HeadroomError BAD_FILE naming an offload line that lacks a figure, or the last line
 *   when the log ends before the scheduler's offload line
 * @example parseOllamaLog(journal, 'ollama.log').settings.gpuLayers
 */
export function parseOllamaLog(text: string, file: string): MeasuredRun {
  const lines = logLines(text);
  const offloads = lines.filter((line) => isOffloadLine(line.text));
  const mentions = lines.filter((line) => /msg=offload|msg="offload to /.test(line.text));
  const broken = mentions.find((line) => !isOffloadLine(line.text));
  if (broken) throw lineError(file, broken, 'an Ollama offload line without memory.required');
  if (offloads.length === 0) {
    if (lines.some((line) => /level=(INFO|DEBUG|WARN) source=/.test(line.text))) {
      throw lineError(
        file,
        lastLine(lines),
        'the Ollama log ends before the scheduler chose the offload (msg=offload); nothing was imported',
      );
    }
    throw new HeadroomError('BAD_FILE', `${file}: no line reads as an Ollama server log line`);
  }
  const offload = offloads[offloads.length - 1]!;
  const fields = slogFields(offload.text);
  const layersModel = Number(fields.get('layers.model'));
  const layersOffload = Number(fields.get('layers.offload'));
  if (!Number.isFinite(layersModel) || !Number.isFinite(layersOffload)) {
    throw lineError(
      file,
      offload,
      'an Ollama offload line without layers.model and layers.offload',
    );
  }
  const full = layersOffload >= layersModel;
  const allocations = sizeList(fields.get('memory.required.allocations') ?? '', offload, file);
  const memory: Partial<Record<MeasuredCategory, number>> = {
    total:
      allocations.length > 0
        ? allocations.reduce((sum, bytes) => sum + bytes, 0)
        : requiredSize(
            fields,
            full ? 'memory.required.full' : 'memory.required.partial',
            offload,
            file,
          ),
  };
  if (full) {
    memory.kvCache = requiredSize(fields, 'memory.required.kv', offload, file);
    memory.weights = requiredSize(fields, 'memory.weights.total', offload, file);
    if (fields.has('memory.graph.full')) {
      memory.activations = requiredSize(fields, 'memory.graph.full', offload, file);
    }
  }
  const start = lines.find(
    (line) => line.number > offload.number && line.text.includes('starting llama server'),
  );
  const settings: MeasuredSettings = {
    mode: 'inference',
    gpuLayers: layersOffload,
    totalLayers: layersModel,
    ...(start ? commandSettings(start.text) : {}),
  };
  const notes = [
    "memory.required.* is Ollama's own estimate before loading, not what the runner allocated",
  ];
  let run: MeasuredRun = {
    id: `${file}#${offload.number}`,
    format: 'ollama-log',
    engine: 'ollama',
    model: /--model (\S+)/.exec(start?.text ?? '')?.[1] ?? null,
    device: null,
    deviceCount: Math.max(1, allocations.length),
    settings,
    memoryBytes: memory,
    speed: {},
    source: { file, line: offload.number },
    notes,
  };
  // The runner's own buffer lines, when the log has them, are what was really allocated.
  const runnerText = lines
    .filter((line) => line.number > offload.number)
    .map((line) => line.text)
    .join('\n');
  if (/buffer size\s*=\s*[0-9.]+ MiB/.test(runnerText)) {
    try {
      const runner = parseLlamaLog(runnerText, file);
      run = {
        ...run,
        device: runner.device,
        memoryBytes: runner.memoryBytes,
        ...(runner.hostMemoryBytes !== undefined
          ? { hostMemoryBytes: runner.hostMemoryBytes }
          : {}),
        notes: ["memory from the runner's llama.cpp buffers (allocated), not Ollama's estimate"],
      };
    } catch {
      // The runner's lines stop early (a crash at load): Ollama's estimate stands, as noted.
    }
  }
  return run;
}
