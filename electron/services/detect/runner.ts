/**
 * The one place detection starts programs. Each tool is spawned directly (no shell, as
 * `execFile` does), with its own deadline after which its whole process group gets SIGKILL, a
 * bounded read of its output, `windowsHide`, and stdin closed. A run never throws and never
 * outlives its deadline: every way a tool can go wrong ends as a `ToolRun` with a reason.
 *
 * Why `spawn` and not `execFile`: Node 20's execFile does not pass `detached` on to spawn
 * (lib/child_process.js), so a tool could not lead its own process group, and killing it on a
 * deadline left its children alive holding the output pipe (seen with a wrapper script whose
 * `sleep` outlived the kill). execFile's other duties (bounded buffering, a kill signal) are
 * done here. On Linux a deadline also kills what escaped the group with setsid (process-tree.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { newRunMark, processesOfRun, RUN_MARK_VARIABLE } from './process-tree';

/** How a tool run ended. `missing`: not installed (not on PATH). */
type ToolRunStatus = 'ok' | 'missing' | 'timeout' | 'failed';

export interface ToolRun {
  readonly status: ToolRunStatus;
  /** Wall time from spawn to settle, milliseconds. */
  readonly ms: number;
  /** Decoded stdout; complete for `ok`, possibly useful for `failed` (non-zero exit). */
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code when the tool exited by itself. */
  readonly exitCode?: number;
  /** Why it is not `ok`, or what was odd about an `ok` run (e.g. non-UTF-8 bytes). */
  readonly reason?: string;
}

interface RunOptions {
  /** Per-run deadline, milliseconds; the process group is killed with SIGKILL after it. */
  readonly timeoutMs: number;
  /** Environment of the child (PATH decides which executable runs). Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Most bytes read from stdout (and, separately, stderr); past it the tool is killed. */
  readonly maxOutputBytes?: number;
  /** Aborting it (the overall detection deadline) kills the tool at once. */
  readonly signal?: AbortSignal;
}

/** Starts one tool: the injectable seam between probes and the operating system. */
export type Runner = (
  command: string,
  args: readonly string[],
  options: RunOptions,
) => Promise<ToolRun>;

/**
 * 4 MiB: the largest tool output read. `nvidia-smi -q -x` on an 8-GPU server is ~400 KB
 * (the 1-GPU RTX 3090 capture in ../shared/fixtures/detect is 46 KB), so this leaves 10× room.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

const IS_WINDOWS = process.platform === 'win32';
const IS_LINUX = process.platform === 'linux';

/** Children still running, killed if this process exits first (they run in their own group). */
const inFlight = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of inFlight) killTree(child, 'now');
  });
}

/** The mark (process-tree.ts) each running child's processes carry in their environment. */
const runMarks = new WeakMap<ChildProcess, string>();

/** SIGKILL to each pid, ignoring those that exited meanwhile. */
function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

/**
 * Kills the child and every process it started: on POSIX its process group (it leads one), and
 * on Linux also what left the group with setsid (process-tree.ts). That search reads procfs
 * (~10 ms per 100 processes), so it runs just after the answer is given, finding the escaped
 * by their environment mark; at exit it runs at once.
 */
function killTree(child: ChildProcess, when: 'soon' | 'now' = 'soon'): void {
  child.stdout?.destroy();
  child.stderr?.destroy();
  const pid = child.pid;
  if (pid === undefined) return;
  const mark = runMarks.get(child);
  const findEscaped = () => (IS_LINUX && mark !== undefined ? processesOfRun(pid, mark) : []);
  const escapedNow = when === 'now' ? findEscaped() : [];
  let groupKilled = false;
  if (!IS_WINDOWS) {
    try {
      process.kill(-pid, 'SIGKILL');
      groupKilled = true;
    } catch {
      // The group is gone already, or was never made; fall through to the child alone.
    }
  }
  if (!groupKilled) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already exited.
    }
  }
  killAll(escapedNow);
  if (when === 'soon' && IS_LINUX && mark !== undefined) setImmediate(() => killAll(findEscaped()));
}

/**
 * Decodes tool output as UTF-8. Tools on misconfigured systems print other encodings; the
 * undecodable bytes become U+FFFD and the run says so, rather than failing.
 */
export function decodeToolOutput(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), valid: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), valid: false };
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}

/** Collects a stream's bytes up to a limit; says when the limit was passed. */
class BoundedSink {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  overflowed = false;

  constructor(private readonly limitBytes: number) {}

  push(chunk: Buffer): boolean {
    if (this.overflowed) return false;
    const room = this.limitBytes - this.bytes;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.bytes = this.limitBytes;
      this.overflowed = true;
      return false;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return true;
  }

  decode(): { text: string; valid: boolean } {
    return decodeToolOutput(Buffer.concat(this.chunks));
  }
}

function spawnErrorRun(
  command: string,
  error: NodeJS.ErrnoException,
): Pick<ToolRun, 'status' | 'reason'> {
  if (error.code === 'ENOENT') {
    return { status: 'missing', reason: `${command} is not installed (not found on PATH)` };
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return { status: 'failed', reason: `${command} could not be started: permission denied` };
  }
  return {
    status: 'failed',
    reason: `${command} could not be started: ${error.message.slice(0, 200)}`,
  };
}

/**
 * Runs one tool to completion or to its deadline, whichever comes first.
 * @param command Executable name (looked up on `options.env.PATH`) or absolute path.
 * @param args Arguments, passed without a shell.
 * @param options Deadline, environment, read limit, abort signal.
 * @returns Never rejects; the outcome is in `status` and `reason`.
 * @example await runTool('nvidia-smi', ['-L'], { timeoutMs: 3000 })
 */
export const runTool: Runner = (command, args, options) => {
  const startedMs = performance.now();
  const elapsed = () => Math.round(performance.now() - startedMs);
  const limitBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const stdout = new BoundedSink(limitBytes);
  const stderr = new BoundedSink(limitBytes);

  return new Promise<ToolRun>((resolve) => {
    let settled = false;
    let child: ChildProcess | undefined;
    const timer = setTimeout(
      () => stop('timeout', `${command} gave no answer within ${options.timeoutMs} ms (killed)`),
      options.timeoutMs,
    );

    const settle = (run: Omit<ToolRun, 'ms' | 'stdout' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (child) inFlight.delete(child);
      const out = stdout.decode();
      const err = stderr.decode();
      const oddBytes =
        run.status === 'ok' && !out.valid
          ? `${command} printed bytes that are not UTF-8 (replaced)`
          : undefined;
      resolve({
        ...run,
        ...(oddBytes ? { reason: oddBytes } : {}),
        ms: elapsed(),
        stdout: out.text,
        stderr: err.text,
      });
    };
    const stop = (status: ToolRunStatus, reason: string): void => {
      if (child) killTree(child);
      settle({ status, reason });
    };
    function onAbort(): void {
      const why: unknown = options.signal?.reason;
      stop(
        'timeout',
        typeof why === 'string' ? why : `${command} was stopped: detection deadline reached`,
      );
    }

    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    const mark = newRunMark();
    try {
      child = spawn(command, [...args], {
        shell: false,
        windowsHide: true,
        // Its own process group on POSIX, so a deadline kills what it started too.
        detached: !IS_WINDOWS,
        env: { ...(options.env ?? process.env), [RUN_MARK_VARIABLE]: mark },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      runMarks.set(child, mark);
    } catch (thrown) {
      const error =
        thrown instanceof Error ? (thrown as NodeJS.ErrnoException) : new Error(String(thrown));
      settle(spawnErrorRun(command, error));
      return;
    }
    const running = child;
    inFlight.add(running);
    installExitHook();
    const overflow = () =>
      stop(
        'failed',
        `${command} printed more than ${limitBytes} bytes; stopped reading and killed it`,
      );
    running.stdout?.on('data', (chunk: Buffer) => {
      if (!stdout.push(chunk)) overflow();
    });
    running.stderr?.on('data', (chunk: Buffer) => {
      if (!stderr.push(chunk)) overflow();
    });
    running.stdin?.on('error', () => undefined);
    running.stdin?.end();
    running.on('error', (error: NodeJS.ErrnoException) => {
      killTree(running);
      settle(spawnErrorRun(command, error));
    });
    running.on('close', (code, signal) => {
      if (signal) {
        settle({ status: 'failed', reason: `${command} was killed by ${signal}` });
      } else if (code === 0) {
        settle({ status: 'ok', exitCode: 0 });
      } else {
        const detail = firstLine(stderr.decode().text);
        settle({
          status: 'failed',
          exitCode: code ?? -1,
          reason: `${command} exited with code ${code}${detail ? `: ${detail}` : ''}`,
        });
      }
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
};
