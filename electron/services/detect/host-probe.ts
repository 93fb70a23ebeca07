/**
 * The CPU and RAM of this machine without starting a program: Node's `os` module, and on Linux
 * `/proc/cpuinfo` and `/proc/meminfo` (the files lscpu and free read). Starting
 * systeminformation's child for this cost ~0.5 s on the H200 server (issue 14); reading these
 * takes a millisecond. Elsewhere systeminformation still gives the CPU flags (macOS sysctl,
 * Windows WMI), which `os` does not.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import type { HostOsFacts } from './host-parse';
import { CAPTURE_FILES, PROBE_NAMES } from './interpret';
import type { ProbeContext, ProbeDefinition, ProbeOutput } from './probe-kit';

/** Node's view of the host, as `host-os.json` keeps it. */
function osFacts(): HostOsFacts {
  return {
    cpuModel: cpus()[0]?.model ?? '',
    logicalCpus: availableParallelism(),
    totalMemoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
  };
}

async function readHost(context: ProbeContext): Promise<ProbeOutput> {
  const started = performance.now();
  const read = (file: string) =>
    readFile(join(context.procRoot, file), 'utf8').then(
      (text) => text,
      () => undefined,
    );
  const [cpuInfo, memInfo] = await Promise.all([read('cpuinfo'), read('meminfo')]);
  const captures: (readonly [string, string])[] = [
    [CAPTURE_FILES.hostOs, `${JSON.stringify(osFacts(), null, 2)}\n`],
  ];
  if (cpuInfo !== undefined) captures.push([CAPTURE_FILES.procCpuInfo, cpuInfo]);
  if (memInfo !== undefined) captures.push([CAPTURE_FILES.procMemInfo, memInfo]);
  const missing = [cpuInfo === undefined && 'cpuinfo', memInfo === undefined && 'meminfo'].filter(
    Boolean,
  );
  return {
    status: 'ok',
    ms: Math.round(performance.now() - started),
    captures,
    ...(missing.length > 0
      ? { reason: `${context.procRoot}/${missing.join(', ')} unreadable: Node's os facts used` }
      : {}),
  };
}

export const hostProbe: ProbeDefinition = {
  name: PROBE_NAMES.host,
  platforms: ['linux'],
  findsGpus: false,
  run: readHost,
  refresh: readHost,
};
