import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCommand } from '../../../../electron/cli/detect-command';
import { COMPUTE_DTYPES } from '../../../../core/devices/dtypes';
import { detectWithCaptures } from '../../../../electron/services/detect/detect';
import { replayDump, writeDump } from '../../../../electron/services/detect/dump';
import { hostProbe } from '../../../../electron/services/detect/host-probe';
import { nvidiaProbe } from '../../../../electron/services/detect/nvidia-probe';
import { systeminformationProbe } from '../../../../electron/services/detect/si-probe';
import { describeWithShared } from '../../../helpers/shared';
import { writeEightGpuDump } from './eight-gpu';
import { fakeTools } from './fake-tools';
import { H100_CAPTURE, queryCsv } from './shared-captures';

const MIB = 2 ** 20;
/** This build machine, recorded with `headroom detect --dump` (no GPU; 2 cores; 24 GB). */
const OWN_RECORDING = 'tests/fixtures/detect/linux-x86_64-2core-cpu-only';
/** /proc/meminfo MemTotal of that machine: 24684092 kB. */
const OWN_RAM_BYTES = 24684092 * 1024;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-dump-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `headroom detect …` in process, collecting what it prints. */
async function cli(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const command = detectCommand({
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  }).exitOverride();
  await command.parseAsync([...args], { from: 'user' });
  return { stdout, stderr };
}

describe('replay of this machine’s own recording', () => {
  it('gives the CPU with its RAM, and "No GPU found" as recorded', async () => {
    const result = await replayDump(OWN_RECORDING);
    expect(result.devices).toHaveLength(1);
    expect(result.devices[0]).toMatchObject({
      id: 'local:0',
      vendor: 'cpu',
      memoryBytes: OWN_RAM_BYTES,
    });
    expect(result.gpuVerdict.kind).toBe('none-found');
    expect(result.probes.find((p) => p.name === 'nvidia-smi')?.status).toBe('missing');
  });

  it('prints one headroom.detect/v1 JSON document with --replay --json', async () => {
    const { stdout } = await cli(['--replay', OWN_RECORDING, '--json']);
    const json = JSON.parse(stdout) as {
      schema: string;
      devices: Record<string, unknown>[];
      probes: unknown[];
    };
    expect(json.schema).toBe('headroom.detect/v1');
    expect(Object.keys(json.devices[0] ?? {})).toEqual(
      expect.arrayContaining([
        'id',
        'vendor',
        'name',
        'memoryTotalBytes',
        'memoryFreeBytes',
        'dtypes',
        'source',
      ]),
    );
    expect(Object.keys(json.devices[0]?.['dtypes'] as object)).toEqual([...COMPUTE_DTYPES]);
    expect(json.probes.length).toBeGreaterThan(0);
  });

  it('prints the table: index, name, total, free, cc / arch, native dtypes, source', async () => {
    const { stdout } = await cli(['--replay', OWN_RECORDING, '--unit', 'GB']);
    const header = stdout.split('\n')[0] ?? '';
    for (const column of [
      'index',
      'name',
      'total',
      'free',
      'cc / arch',
      'native dtypes',
      'source',
    ]) {
      expect(header).toContain(column);
    }
    // 25276510208 bytes = 25.3 GB.
    expect(stdout).toContain('25.3 GB');
    expect(stdout).toContain('No GPU found');
  });
});

describe('bad input to detect', () => {
  it('refuses --dump with --replay, a missing folder, a file, and a folder with no recording', async () => {
    await expect(cli(['--dump', dir, '--replay', OWN_RECORDING])).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
    await expect(cli(['--replay', join(dir, 'absent')])).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    writeFileSync(join(dir, 'file.txt'), 'x');
    await expect(cli(['--replay', join(dir, 'file.txt')])).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
    await expect(cli(['--replay', dir])).rejects.toMatchObject({ code: 'BAD_FILE' });
  });
});

describeWithShared('dump and replay', () => {
  it('replays exactly what a live detection saw (fake nvidia-smi printing the H100 recording)', async () => {
    const tools = fakeTools();
    try {
      tools.file('h100.csv', queryCsv(H100_CAPTURE));
      tools.tool('nvidia-smi', `cat ${tools.dir}/h100.csv`);
      const live = await detectWithCaptures({
        env: tools.env,
        platform: 'linux',
        probes: [nvidiaProbe, hostProbe, systeminformationProbe],
        toolTimeoutMs: 5_000,
      });
      // nvidia-smi listed the GPU, so systeminformation's GPU scan was not waited for; the CPU
      // and RAM came from Node's os module and /proc.
      expect(live.result.probes.find((p) => p.name === 'systeminformation')).toMatchObject({
        status: 'skipped',
        reason: 'GPU scan not waited for: nvidia-smi listed the GPUs',
      });
      const files = await writeDump(dir, live);
      expect(files).toEqual([
        'host-os.json',
        'nvidia-smi-query.csv',
        'proc-cpuinfo.txt',
        'proc-meminfo.txt',
        'manifest.json',
      ]);
      expect(readFileSync(join(dir, 'nvidia-smi-query.csv'), 'utf8')).toBe(queryCsv(H100_CAPTURE));
      const replayed = await replayDump(dir);
      expect(replayed.devices.map((d) => [d.id, d.name, d.memoryBytes])).toEqual(
        live.result.devices.map((d) => [d.id, d.name, d.memoryBytes]),
      );
      expect(replayed.devices[0]?.memoryBytes).toBe(81559 * MIB);
    } finally {
      tools.remove();
    }
  });

  it('replays any subset: a folder with only a composed 8-GPU query CSV', async () => {
    await writeEightGpuDump(dir);
    const result = await replayDump(dir);
    expect(result.devices.map((d) => d.id)).toEqual([...Array(8).keys()].map((i) => `local:${i}`));
    expect(result.probes.find((p) => p.name === 'nvidia-smi')).toMatchObject({
      status: 'ok',
      reason: 'replayed',
    });
    expect(result.probes.find((p) => p.name === 'rocm-smi')?.status).toBe('skipped');
  });

  it('replays a query CSV with any set of columns', async () => {
    const [header = '', row = ''] = queryCsv(H100_CAPTURE).split('\n');
    const keep = (line: string) =>
      line
        .split(',')
        .filter((_, i) =>
          /^\s*(name|memory\.total|memory\.free)\b/.test(header.split(',')[i] ?? ''),
        )
        .join(',');
    writeFileSync(join(dir, 'nvidia-smi-query.csv'), `${keep(header)}\n${keep(row)}\n`);
    const { stdout } = await cli(['--replay', dir, '--json']);
    const json = JSON.parse(stdout) as { devices: { name: string; memoryFreeBytes: number }[] };
    expect(json.devices[0]).toMatchObject({
      name: 'NVIDIA H100 80GB HBM3',
      memoryFreeBytes: 81081 * MIB,
    });
  });
});
