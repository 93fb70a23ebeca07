import { describe, expect, it } from 'vitest';
import {
  parseNvidiaQueryCsv,
  rejectedQueryField,
} from '../../../../electron/services/detect/nvidia-csv-parse';
import {
  nameMigInstances,
  parseNvidiaList,
  parseNvidiaXml,
} from '../../../../electron/services/detect/nvidia-mig-parse';
import { normalizePciAddress } from '../../../../electron/services/detect/pci';
import { parseByteQuantity } from '../../../../electron/services/detect/values';
import { describeWithShared, readSharedText } from '../../../helpers/shared';
import { MIG_LIST as LIST, MIG_XML as XML } from './mig-example';
import {
  captureSection,
  H100_CAPTURE,
  queryCsv,
  RTX2080S_CAPTURE,
  RTX3090_XML,
} from './shared-captures';

const MIB = 2 ** 20;

/** Keeps only some columns of a recorded CSV (header and rows), in a new order. */
function selectColumns(csv: string, fields: readonly string[]): string {
  const [header = '', ...rows] = csv.split('\n').filter((line) => line !== '');
  const names = header.split(',').map((cell) => cell.trim().replace(/\s*\[.*\]$/, ''));
  const picks = fields.map((field) => names.indexOf(field));
  const pick = (line: string) => {
    const cells = line.split(',');
    return picks.map((i) => cells[i]).join(',');
  };
  return `${[pick(header), ...rows.map(pick)].join('\n')}\n`;
}

/** The `nounits` form of a recording: no `[MiB]` in the header, no ` MiB` after values. */
function withoutUnits(csv: string): string {
  return csv.replace(/ \[[^\]]+\]/g, '').replace(/(\d) (MiB|W|MHz|%|us)\b/g, '$1');
}

describe('PCI addresses and quantities', () => {
  it("normalises nvidia-smi's 8-digit domain and rocm-smi's upper case to one form", () => {
    // 00000000:00:09.0 is the H100 capture's pci.bus_id; 0000:C4:00.0 rocm-smi's "PCI Bus" for a
    // Radeon 780M (sebhildebrandt/systeminformation PR #960); 01:00.0 lspci's form, no domain.
    expect(normalizePciAddress('00000000:00:09.0')).toBe('0000:00:09.0');
    expect(normalizePciAddress('0000:C4:00.0')).toBe('0000:c4:00.0');
    expect(normalizePciAddress('01:00.0')).toBe('0000:01:00.0');
    expect(normalizePciAddress('GPU-00000000')).toBeUndefined();
  });

  it('reads MiB quantities with or without the unit, and nothing from [N/A]', () => {
    expect(parseByteQuantity('81559 MiB', 'MiB')).toBe(81559 * MIB);
    expect(parseByteQuantity('81559', 'MiB')).toBe(81559 * MIB);
    expect(parseByteQuantity('[N/A]', 'MiB')).toBeUndefined();
    expect(parseByteQuantity('[Not Supported]', 'MiB')).toBeUndefined();
    expect(parseByteQuantity('81559 Mi', 'MiB')).toBeUndefined();
  });
});

describeWithShared('nvidia-smi --query-gpu CSV, parsed by its header', () => {
  it('reads the H100 recording: 81559 MiB total, 81081 MiB free, compute capability 9.0', () => {
    // utkuozdemir/nvidia_gpu_exporter capture, H100 80GB HBM3, driver 590.48.01, idle query row.
    const result = parseNvidiaQueryCsv(queryCsv(H100_CAPTURE));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(1);
    expect(result.value[0]).toMatchObject({
      name: 'NVIDIA H100 80GB HBM3',
      pciBusId: '0000:00:09.0',
      uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      memoryTotalBytes: 81559 * MIB,
      memoryFreeBytes: 81081 * MIB,
      computeCapability: '9.0',
      migEnabled: false,
    });
  });

  it('reads the RTX 2080 SUPER (Windows, WDDM): 8192 MiB, 7286 MiB free, 7.5, MIG [N/A]', () => {
    const result = parseNvidiaQueryCsv(queryCsv(RTX2080S_CAPTURE));
    if (!result.ok) throw new Error(result.reason);
    expect(result.value[0]).toMatchObject({
      name: 'NVIDIA GeForce RTX 2080 SUPER',
      pciBusId: '0000:0c:00.0',
      memoryTotalBytes: 8192 * MIB,
      memoryFreeBytes: 7286 * MIB,
      computeCapability: '7.5',
    });
    expect(result.value[0]?.migEnabled).toBeUndefined();
  });

  it('gives the same answer for any subset and order of the columns, with or without units', () => {
    const full = queryCsv(H100_CAPTURE);
    const subset = selectColumns(full, ['memory.free', 'name', 'pci.bus_id', 'memory.total']);
    for (const csv of [subset, withoutUnits(subset), withoutUnits(full)]) {
      const result = parseNvidiaQueryCsv(csv);
      if (!result.ok) throw new Error(result.reason);
      expect(result.value[0]).toMatchObject({
        name: 'NVIDIA H100 80GB HBM3',
        memoryTotalBytes: 81559 * MIB,
        memoryFreeBytes: 81081 * MIB,
      });
    }
  });

  it('derives free memory as total - reserved - used when memory.free is not queried', () => {
    // H100 row: total 81559, reserved 479, used 0 → 81080 MiB (nvidia-smi printed 81081: the
    // three parts add up to total within 1 MiB, SOURCES.md).
    const csv = selectColumns(queryCsv(H100_CAPTURE), [
      'name',
      'memory.total',
      'memory.reserved',
      'memory.used',
    ]);
    const result = parseNvidiaQueryCsv(csv);
    if (!result.ok) throw new Error(result.reason);
    expect(result.value[0]?.memoryFreeBytes).toBe(81080 * MIB);
  });

  it('drops a row cut short and refuses output with no complete row', () => {
    const full = queryCsv(H100_CAPTURE);
    const cutInRow = full.slice(0, full.indexOf('81559 MiB') + 4);
    const result = parseNvidiaQueryCsv(cutInRow);
    expect(result.ok).toBe(false);
    const twoRows = full + full.split('\n')[1];
    const kept = parseNvidiaQueryCsv(twoRows);
    expect(kept.ok && kept.value).toHaveLength(1);
  });
});

describe('nvidia-smi CSV faults and the retry field', () => {
  it('refuses text that has no nvidia-smi header', () => {
    expect(
      parseNvidiaQueryCsv(
        'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n',
      ).ok,
    ).toBe(false);
    expect(parseNvidiaQueryCsv('').ok).toBe(false);
  });

  it('names the field an R470-era driver rejects with exit code 2', () => {
    // Message as nvidia-smi prints it (SOURCES.md: compute_cap is not valid on R470 drivers).
    expect(rejectedQueryField('Field "compute_cap" is not a valid field to query.\n')).toBe(
      'compute_cap',
    );
    expect(rejectedQueryField('some other error')).toBeUndefined();
  });
});

describeWithShared('nvidia-smi -L and -q -x', () => {
  it('reads the H100 `-L` line: name and UUID', () => {
    const result = parseNvidiaList(captureSection(H100_CAPTURE, 'nvidia-smi -L'));
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toEqual([
      {
        source: 'nvidia-smi -L',
        vendor: 'nvidia',
        name: 'NVIDIA H100 80GB HBM3',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        toolIndex: 0,
      },
    ]);
  });

  it('reads the RTX 3090 `-q -x` report: 24576 MiB total, 24120 MiB free, PCI 0000:09:00.0, Ampere', () => {
    // influxdata/telegraf testdata 3090-v13.xml, fb_memory_usage and product_architecture.
    const result = parseNvidiaXml(readSharedText(RTX3090_XML));
    if (!result.ok) throw new Error(result.reason);
    expect(result.value).toEqual([
      {
        source: 'nvidia-smi -q -x',
        vendor: 'nvidia',
        name: 'NVIDIA GeForce RTX 3090',
        uuid: 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab',
        pciBusId: '0000:09:00.0',
        toolIndex: 0,
        architectureName: 'Ampere',
        memoryTotalBytes: 24576 * MIB,
        memoryConfidence: 'measured',
        memoryFreeBytes: 24120 * MIB,
      },
    ]);
  });

  it('refuses a truncated XML report instead of guessing', () => {
    const xml = readSharedText(RTX3090_XML);
    expect(parseNvidiaXml(xml.slice(0, Math.floor(xml.length / 2))).ok).toBe(false);
  });
});

describe('MIG instances', () => {
  it('takes each instance memory from -q -x and its profile name from -L', () => {
    const xml = parseNvidiaXml(XML);
    const list = parseNvidiaList(LIST);
    if (!xml.ok || !list.ok) throw new Error('parse failed');
    const [gpu] = nameMigInstances(xml.value, list.value);
    expect(gpu?.migEnabled).toBe(true);
    expect(gpu?.memoryTotalBytes).toBe(81920 * MIB);
    expect(gpu?.mig).toEqual([
      {
        name: '3g.40gb',
        uuid: 'MIG-b3061c09-2a4c-5026-a575-79f86a5bb12c',
        memoryTotalBytes: 40448 * MIB,
      },
    ]);
  });

  it('lists MIG names from -L alone when the XML is missing', () => {
    const list = parseNvidiaList(LIST);
    expect(list.ok && list.value[0]?.mig).toEqual([
      { name: '3g.40gb', uuid: 'MIG-b3061c09-2a4c-5026-a575-79f86a5bb12c' },
    ]);
  });
});
