import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_PROBES,
  createDetector,
  detectDevices,
  type DetectOptions,
} from '../../../../electron/services/detect/detect';
import { nvidiaProbe } from '../../../../electron/services/detect/nvidia-probe';
import type { DetectResult } from '../../../../electron/services/detect/types';
import { describeWithShared } from '../../../helpers/shared';
import { fakeTools, type FakeTools } from './fake-tools';
import { H100_CAPTURE, queryCsv } from './shared-captures';

const MIB = 2 ** 20;
/** Per-tool and overall deadlines of the fault suite: short, so it stays fast. */
const TOOL_TIMEOUT_MS = 500;
const DEADLINE_MS = 2_000;

let tools: FakeTools;
let emptySysfs: string;
beforeEach(() => {
  tools = fakeTools();
  emptySysfs = mkdtempSync(join(tmpdir(), 'headroom-sysfs-'));
});
afterEach(() => {
  tools.remove();
  rmSync(emptySysfs, { recursive: true, force: true });
});

function options(extra: Partial<DetectOptions> = {}): DetectOptions {
  return {
    env: tools.env,
    platform: 'linux',
    toolTimeoutMs: TOOL_TIMEOUT_MS,
    deadlineMs: DEADLINE_MS,
    sysfsRoot: emptySysfs,
    nvidiaSmiFallbacks: [],
    probes: [nvidiaProbe],
    ...extra,
  };
}

/** Detection with only the nvidia-smi probe; it must resolve, within its deadline. */
async function detectNvidia(extra: Partial<DetectOptions> = {}): Promise<DetectResult> {
  const started = performance.now();
  const result = await detectDevices(options(extra));
  expect(performance.now() - started).toBeLessThan((extra.deadlineMs ?? DEADLINE_MS) + 1_000);
  return result;
}

const nvidiaReport = (result: DetectResult) => result.probes.find((p) => p.name === 'nvidia-smi');

describe('detection faults (fake nvidia-smi on PATH): a device list and a reason, never a throw', () => {
  it('tool missing: "No GPU found", saying nvidia-smi is not installed', async () => {
    const result = await detectNvidia();
    expect(result.devices).toEqual([]);
    expect(nvidiaReport(result)).toMatchObject({ status: 'missing' });
    expect(result.gpuVerdict).toMatchObject({
      kind: 'none-found',
      message: expect.stringContaining('nvidia-smi'),
    });
  });

  it('tool hangs past its timeout: timeout, and "could not detect"', async () => {
    tools.tool('nvidia-smi', 'sleep 30');
    const result = await detectNvidia();
    expect(nvidiaReport(result)).toMatchObject({
      status: 'timeout',
      reason: expect.stringContaining('500 ms'),
    });
    expect(result.gpuVerdict.kind).toBe('undetermined');
  });

  it('exit code 2 on every try: failed with the code', async () => {
    tools.tool('nvidia-smi', 'echo "Invalid combination of input arguments." >&2\nexit 2');
    const result = await detectNvidia();
    expect(nvidiaReport(result)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('code 2'),
    });
  });

  it('garbage output: failed, "not understood"', async () => {
    tools.tool(
      'nvidia-smi',
      'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver"',
    );
    const result = await detectNvidia();
    expect(nvidiaReport(result)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('not understood'),
    });
    expect(result.gpuVerdict.kind).toBe('undetermined');
  });

  it('huge output: bounded read, failed', async () => {
    tools.tool('nvidia-smi', 'yes "index, name, memory.total [MiB]"');
    const result = await detectNvidia({ maxOutputBytes: 256 * 1024 });
    expect(nvidiaReport(result)).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('more than'),
    });
  });

  it('very slow start past the deadline: timeout', async () => {
    tools.tool('nvidia-smi', 'sleep 3\necho late');
    expect(nvidiaReport(await detectNvidia())?.status).toBe('timeout');
  });

  it('killed by a signal: failed, naming it', async () => {
    tools.tool('nvidia-smi', 'kill -9 $$');
    expect(nvidiaReport(await detectNvidia())).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('SIGKILL'),
    });
  });

  it('permission denied: failed, saying so', async () => {
    tools.tool('nvidia-smi', 'exit 0', { executable: false });
    expect(nvidiaReport(await detectNvidia())).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('permission denied'),
    });
  });

  it('never exceeds the overall deadline even when every tool hangs', async () => {
    for (const name of ['nvidia-smi', 'rocm-smi', 'amd-smi', 'xpu-smi', 'lspci'])
      tools.tool(name, 'sleep 30');
    const deadlineMs = 1_500;
    const started = performance.now();
    const result = await detectDevices(
      options({ probes: ALL_PROBES, toolTimeoutMs: 10_000, deadlineMs }),
    );
    expect(performance.now() - started).toBeLessThan(deadlineMs + 1_000);
    for (const name of ['nvidia-smi', 'rocm-smi', 'amd-smi', 'xpu-smi']) {
      expect(result.probes.find((p) => p.name === name)?.status).toBe('timeout');
    }
    // systeminformation's graphics() runs the hanging nvidia-smi too: its child is killed as well;
    // the CPU device comes from /proc and Node's os module, so it is still there.
    expect(result.probes.find((p) => p.name === 'systeminformation')?.status).toBe('timeout');
    expect(result.devices.map((d) => d.vendor)).toEqual(['cpu']);
    expect(result.gpuVerdict.kind).toBe('undetermined');
  });
});

/** Whether a process still runs; a zombie (killed, not yet reaped by its new parent) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe.runIf(process.platform === 'linux')(
  'a hung tool whose child left its session (setsid): killed at the deadline all the same',
  () => {
    /** A child in a session of its own (setsid(1)): outside the tool's process group. */
    const escape = (pidFile: string) => `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 30' &`;
    const waitFor = async (file: string) => {
      for (let i = 0; i < 50 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
      return Number(readFileSync(file, 'utf8'));
    };

    it('the tool hangs beside its setsid child: both are gone after the timeout', async () => {
      const pidFile = join(tools.dir, 'escaped.pid');
      tools.tool('nvidia-smi', `${escape(pidFile)}\nsleep 30`);
      const result = await detectNvidia();
      expect(nvidiaReport(result)).toMatchObject({ status: 'timeout' });
      const escaped = await waitFor(pidFile);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive(escaped)).toBe(false);
    });

    it('the tool exits at once but its setsid child holds the output open: the child is killed', async () => {
      const pidFile = join(tools.dir, 'orphan.pid');
      tools.tool('nvidia-smi', `${escape(pidFile)}\nexit 0`);
      const result = await detectNvidia();
      expect(nvidiaReport(result)).toMatchObject({ status: 'timeout' });
      const orphan = await waitFor(pidFile);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive(orphan)).toBe(false);
    });
  },
);

describeWithShared('detection faults with the recorded H100 output', () => {
  let csv: string;
  beforeEach(() => {
    csv = queryCsv(H100_CAPTURE);
  });

  it('exit 2 for an unknown field: retried without it, compute capability from the catalog', async () => {
    // R470-era drivers reject compute_cap with exit 2 (SOURCES.md); the fake does the same and
    // answers the retry with the recorded H100 row minus that column.
    const [header = '', row = ''] = csv.split('\n');
    const at = header.split(',').findIndex((cell) => cell.trim() === 'compute_cap');
    const drop = (line: string) =>
      line
        .split(',')
        .filter((_, i) => i !== at)
        .join(',');
    tools.file('r470.csv', `${drop(header)}\n${drop(row)}\n`);
    tools.tool(
      'nvidia-smi',
      `case "$1" in *compute_cap*) echo 'Field "compute_cap" is not a valid field to query.'; exit 2;; esac\ncat ${tools.dir}/r470.csv`,
    );
    const result = await detectNvidia();
    expect(nvidiaReport(result)).toMatchObject({
      status: 'ok',
      reason: expect.stringContaining('compute_cap'),
    });
    expect(result.devices[0]).toMatchObject({
      name: 'NVIDIA H100 80GB HBM3',
      memoryBytes: 81559 * MIB,
      // The H100 SXM catalog entry: compute capability 9.0 (CUDA C++ Programming Guide).
      architecture: { kind: 'cuda', computeCapability: '9.0' },
    });
  });

  it('truncated output: failed, "cut short"', async () => {
    tools.file('cut.csv', csv.slice(0, csv.indexOf('81559 MiB')));
    tools.tool('nvidia-smi', `cat ${tools.dir}/cut.csv`);
    expect(nvidiaReport(await detectNvidia())).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('cut short'),
    });
  });

  it('non-UTF-8 bytes in a name: still parsed, with the odd bytes reported', async () => {
    tools.file('latin1.csv', Buffer.from(csv.replace('NVIDIA H100', 'NVIDIA\u00e9H100'), 'latin1'));
    tools.tool('nvidia-smi', `cat ${tools.dir}/latin1.csv`);
    const result = await detectNvidia();
    expect(nvidiaReport(result)).toMatchObject({
      status: 'ok',
      reason: expect.stringContaining('not UTF-8'),
    });
    expect(result.devices[0]?.memoryBytes).toBe(81559 * MIB);
  });

  it('slow start within the deadline: ok', async () => {
    tools.file('h100.csv', csv);
    tools.tool('nvidia-smi', `sleep 0.2\ncat ${tools.dir}/h100.csv`);
    const result = await detectNvidia({ toolTimeoutMs: 800 });
    expect(result.devices.map((d) => d.name)).toEqual(['NVIDIA H100 80GB HBM3']);
  });

  it("WSL: nvidia-smi found at /usr/lib/wsl/lib's stand-in when PATH has none", async () => {
    const wsl = mkdtempSync(join(tmpdir(), 'headroom-wsl-'));
    const fake = fakeTools();
    fake.file('h100.csv', csv);
    const wslSmi = fake.tool('nvidia-smi', `cat ${fake.dir}/h100.csv`);
    try {
      const result = await detectNvidia({ nvidiaSmiFallbacks: [join(wsl, 'absent'), wslSmi] });
      expect(result.devices[0]?.name).toBe('NVIDIA H100 80GB HBM3');
    } finally {
      fake.remove();
      rmSync(wsl, { recursive: true, force: true });
    }
  });

  it('the detector caches static facts; refresh re-reads only free memory', async () => {
    // First answer: the recorded row. Later answers (refresh asks for uuid, pci.bus_id and
    // memory): the same GPU composed as if a process held 40960 MiB: used 40960, free 40121.
    const [header = '', row = ''] = csv.split('\n');
    const names = header.split(',').map((cell) => cell.trim().replace(/\s*\[.*\]$/, ''));
    const cells = row.split(',');
    const value = (field: string) => cells[names.indexOf(field)] ?? '';
    tools.file('h100.csv', csv);
    tools.file(
      'busy.csv',
      'uuid, pci.bus_id, memory.total [MiB], memory.used [MiB], memory.free [MiB]\n' +
        `${value('uuid').trim()}, ${value('pci.bus_id').trim()}, 81559 MiB, 40960 MiB, 40121 MiB\n`,
    );
    tools.file('calls', '');
    tools.tool(
      'nvidia-smi',
      `echo x >> ${tools.dir}/calls\ncase "$1" in *memory.used,memory.free) cat ${tools.dir}/busy.csv;; *) cat ${tools.dir}/h100.csv;; esac`,
    );
    const detector = createDetector(options());
    const first = await detector.detect();
    const again = await detector.detect();
    expect(again).toBe(first);
    expect(first.devices[0]?.memoryFreeBytes).toBe(81081 * MIB);
    const refreshed = await detector.refresh();
    expect(refreshed.devices[0]).toMatchObject({
      name: 'NVIDIA H100 80GB HBM3',
      memoryBytes: 81559 * MIB,
      memoryFreeBytes: 40121 * MIB,
    });
    expect(readFileSync(join(tools.dir, 'calls'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
