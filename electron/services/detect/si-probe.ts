/**
 * systeminformation, run in a child Node process. Its `graphics()` calls nvidia-smi with
 * execFileSync and no timeout (systeminformation lib/graphics.js, nvidiaSmi()), which would
 * block the Electron main thread for as long as the driver hangs; in a child it gets the same
 * deadline and SIGKILL as any other tool. It is the OS inventory, needed only where no vendor
 * tool lists the GPUs: once one has (`vendorAnswer`), the graphics child is stopped rather than
 * waited for (its lspci, clinfo and xrandr calls took ~0.5 s on the H200 server, issue 14). On
 * Linux the CPU and RAM come from /proc (host-probe.ts); elsewhere a second child reads cpu() and
 * mem(), in parallel, and is always waited for.
 */
import { createRequire } from 'node:module';
import { CAPTURE_FILES, PROBE_NAMES } from './interpret';
import {
  combineOutputs,
  type ProbeContext,
  type ProbeDefinition,
  type ProbeOutput,
} from './probe-kit';
import type { ToolRun } from './runner';
import { isRecord, parseJsonSafely } from './values';

/**
 * What the child does: argv[1] is systeminformation's path, argv[2] the parts to read. Each
 * part is printed as one JSON line as soon as it is known.
 */
const CHILD_SCRIPT = `
const si = require(process.argv[1]);
const parts = process.argv[2].split(',');
const line = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
(async () => {
  if (parts.includes('cpu')) line({ cpu: await si.cpu(), mem: await si.mem() });
  else if (parts.includes('mem')) line({ mem: await si.mem() });
  if (parts.includes('graphics')) line({ graphics: await si.graphics() });
})().catch((error) => { process.stderr.write(String((error && error.message) || error)); process.exitCode = 1; });
`;

function systeminformationPath(): string {
  return createRequire(import.meta.url).resolve('systeminformation');
}

/** Runs the child with this process's Node (Electron's binary acts as Node with ELECTRON_RUN_AS_NODE). */
function runChild(
  context: ProbeContext,
  parts: string,
  signal: AbortSignal = context.signal,
): Promise<ToolRun> {
  return context.run(process.execPath, ['-e', CHILD_SCRIPT, systeminformationPath(), parts], {
    timeoutMs: context.toolTimeoutMs,
    env: { ...context.env, ELECTRON_RUN_AS_NODE: '1' },
    signal,
    ...(context.maxOutputBytes !== undefined ? { maxOutputBytes: context.maxOutputBytes } : {}),
  });
}

const FILE_OF: Readonly<Record<string, string>> = {
  graphics: CAPTURE_FILES.siGraphics,
  cpu: CAPTURE_FILES.siCpu,
  mem: CAPTURE_FILES.siMem,
};

/**
 * Splits the child's JSON lines into the dump files (`si-cpu.json`, `si-mem.json`,
 * `si-graphics.json`). Lines printed before a timeout are kept: the status says what was cut.
 */
function splitChildOutput(run: ToolRun): ProbeOutput {
  const captures: (readonly [string, string])[] = [];
  for (const line of run.stdout.split('\n')) {
    const json = parseJsonSafely(line);
    if (!isRecord(json)) continue;
    for (const [part, value] of Object.entries(json)) {
      const file = FILE_OF[part];
      if (file) captures.push([file, `${JSON.stringify(value, null, 2)}\n`]);
    }
  }
  const base = { ms: run.ms, captures, ...(run.reason ? { reason: run.reason } : {}) };
  if (run.status === 'ok' && captures.length === 0) {
    return { ...base, status: 'failed', reason: 'the systeminformation child printed no JSON' };
  }
  return { ...base, status: run.status };
}

/**
 * The graphics scan, stopped when a vendor tool lists the GPUs first.
 * @returns the scan's output, or undefined when it was not waited for, with the tool that answered
 */
async function graphicsUnlessAnswered(
  context: ProbeContext,
): Promise<{ output?: ProbeOutput; answeredBy?: string }> {
  const stop = new AbortController();
  let answeredBy: string | undefined;
  void context.vendorAnswer.then((tool) => {
    if (tool === undefined) return;
    answeredBy = tool;
    stop.abort(`not waited for: ${tool} listed the GPUs`);
  });
  const run = await runChild(context, 'graphics', AbortSignal.any([context.signal, stop.signal]));
  return answeredBy !== undefined && run.status !== 'ok'
    ? { answeredBy }
    : { output: splitChildOutput(run) };
}

export const systeminformationProbe: ProbeDefinition = {
  name: PROBE_NAMES.systeminformation,
  platforms: ['linux', 'win32', 'darwin'],
  findsGpus: true,
  inventory: true,
  async run(context) {
    const [graphics, cpu] = await Promise.all([
      graphicsUnlessAnswered(context),
      context.platform === 'linux' ? undefined : runChild(context, 'cpu').then(splitChildOutput),
    ]);
    const skipped = graphics.answeredBy
      ? `GPU scan not waited for: ${graphics.answeredBy} listed the GPUs`
      : undefined;
    if (!cpu) {
      return graphics.output ?? { status: 'skipped', ms: 0, reason: skipped ?? '', captures: [] };
    }
    if (!graphics.output)
      return { ...cpu, reason: [cpu.reason, skipped].filter(Boolean).join('; ') };
    return combineOutputs([cpu, graphics.output]);
  },
  async refresh(context) {
    if (context.platform === 'linux') {
      return { status: 'skipped', ms: 0, reason: 'RAM is re-read from /proc', captures: [] };
    }
    return splitChildOutput(await runChild(context, 'mem'));
  },
};
