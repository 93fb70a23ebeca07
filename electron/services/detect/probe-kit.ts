/**
 * What every probe gets (an injectable runner, PATH, deadlines) and gives back (a status and
 * raw captures). Probes are thin: they run tools and keep their output; parsing is elsewhere.
 */
import type { Runner, ToolRun } from './runner';
import type { ProbeStatus } from './types';

export interface ProbeContext {
  /** Starts tools; tests pass the real runner with a PATH of fake executables. */
  readonly run: Runner;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** Deadline of one tool run, milliseconds. */
  readonly toolTimeoutMs: number;
  /** Aborted when the overall detection deadline passes. */
  readonly signal: AbortSignal;
  /** Root of sysfs, `/sys` on a real machine. */
  readonly sysfsRoot: string;
  /** Root of procfs, `/proc` on a real machine. */
  readonly procRoot: string;
  /**
   * Settles when the vendor GPU tools are done: with the tool that listed GPUs with memory as
   * soon as one has, or undefined when none did. An OS inventory need not be waited for after
   * the former.
   */
  readonly vendorAnswer: Promise<string | undefined>;
  /** Where else nvidia-smi may live when it is not on PATH (WSL's /usr/lib/wsl/lib/nvidia-smi). */
  readonly nvidiaSmiFallbacks: readonly string[];
  readonly maxOutputBytes?: number;
}

/** A probe's answer: how it went, and the raw outputs by dump file name. */
export interface ProbeOutput {
  readonly status: ProbeStatus;
  readonly ms: number;
  readonly reason?: string;
  readonly captures: readonly (readonly [string, string])[];
}

export interface ProbeDefinition {
  readonly name: string;
  /** Where the tool exists; elsewhere the probe is reported `skipped`. */
  readonly platforms: readonly NodeJS.Platform[];
  /** Whether it looks for GPUs (a failure then means "could not detect"). */
  readonly findsGpus: boolean;
  /**
   * An OS inventory (systeminformation), not a vendor tool: it waits on `vendorAnswer` and is
   * not counted among the vendor tools that settle it.
   */
  readonly inventory?: boolean;
  run(context: ProbeContext): Promise<ProbeOutput>;
  /** Re-reads only what changes while the app runs (free memory); absent: nothing to refresh. */
  refresh?(context: ProbeContext): Promise<ProbeOutput>;
}

/** Runs a tool with the context's deadline, environment, read limit and abort signal. */
export function runIn(
  context: ProbeContext,
  command: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<ToolRun> {
  return context.run(command, args, {
    timeoutMs: timeoutMs ?? context.toolTimeoutMs,
    env: context.env,
    signal: context.signal,
    ...(context.maxOutputBytes !== undefined ? { maxOutputBytes: context.maxOutputBytes } : {}),
  });
}

/** One tool run as a probe output, its stdout kept under `file` when it succeeded. */
export function outputOf(run: ToolRun, file: string): ProbeOutput {
  return {
    status: run.status,
    ms: run.ms,
    ...(run.reason ? { reason: run.reason } : {}),
    captures: run.status === 'ok' ? [[file, run.stdout]] : [],
  };
}

const STATUS_ORDER: readonly ProbeStatus[] = ['ok', 'failed', 'timeout', 'missing', 'skipped'];

/**
 * Several tool runs of one probe as one output: ok if any gave output (the others' reasons
 * kept), otherwise the first run's status. Runs went in parallel, so the time is the longest.
 */
export function combineOutputs(outputs: readonly ProbeOutput[]): ProbeOutput {
  const captures = outputs.flatMap((o) => o.captures);
  const ms = Math.max(0, ...outputs.map((o) => o.ms));
  const reasons = outputs.map((o) => o.reason).filter((r): r is string => r !== undefined);
  const reason = reasons.length > 0 ? { reason: [...new Set(reasons)].join('; ') } : {};
  if (captures.length > 0) return { status: 'ok', ms, captures, ...reason };
  const status = [...outputs].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
  )[0]?.status;
  return {
    status: status === 'ok' || status === undefined ? 'failed' : status,
    ms,
    captures,
    ...reason,
  };
}
