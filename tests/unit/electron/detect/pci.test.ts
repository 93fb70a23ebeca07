import { describe, expect, it } from 'vitest';
import {
  normalizePciAddress,
  siClinfoNvidiaAddress,
} from '../../../../electron/services/detect/pci';
import { parseSiGraphics } from '../../../../electron/services/detect/si-parse';
import { describeWithShared, readSharedText } from '../../../helpers/shared';

describe('PCI addresses in every form the tools print', () => {
  it('puts nvidia-smi, kernel, lspci, lshw and Xorg spellings of 00:06.0 in one form', () => {
    for (const text of [
      '00000000:00:06.0', // nvidia-smi (H200 recording)
      '0000:00:06.0', // sysfs PCI_SLOT_NAME, rocm-smi, amd-smi
      '00:06.0', // lspci, systeminformation on Linux
      ' 0000:00:06.0\n',
      'pci@0000:00:06.0', // lshw bus info
      'PCI:0000:00:06.0',
    ]) {
      expect(normalizePciAddress(text), text).toBe('0000:00:06.0');
    }
    expect(normalizePciAddress('0000:C4:00.0')).toBe('0000:c4:00.0');
    expect(normalizePciAddress('00000001:41:00.0')).toBe('0001:41:00.0');
  });

  it('refuses what is not an address: a UUID, device 0x20+, function 8, empty text', () => {
    expect(normalizePciAddress('GPU-6278eac8-1ec0-725e-6dfc-a68eea45b77b')).toBeUndefined();
    expect(normalizePciAddress('00:20.0')).toBeUndefined();
    expect(normalizePciAddress('00:06.8')).toBeUndefined();
    expect(normalizePciAddress('')).toBeUndefined();
    expect(normalizePciAddress(undefined)).toBeUndefined();
  });

  it("undoes systeminformation's clinfo decoding of NVIDIA slots (decimal bus, slot as dev.fn)", () => {
    // si: `${bus}:${slot >> 3}.${slot & 7}` in decimal, slot = CL_DEVICE_PCI_SLOT_ID_NV.
    expect(siClinfoNvidiaAddress('00:00.6')).toBe('0000:00:06.0');
    expect(siClinfoNvidiaAddress('65:01.2')).toBe('0000:41:0a.0'); // bus 65 = 0x41, slot 10
    expect(siClinfoNvidiaAddress('129:00.0')).toBe('0000:81:00.0'); // three decimal digits
    expect(siClinfoNvidiaAddress('256:00.0')).toBeUndefined(); // no bus 256
    expect(siClinfoNvidiaAddress('00:04.0')).toBeUndefined(); // slot 32: no such device
    expect(siClinfoNvidiaAddress('0000:00:06.0')).toBeUndefined();
  });
});

describeWithShared("systeminformation's own forms in si-graphics.json", () => {
  it('H200 server: the clinfo controller is at 0000:00:06.0 with its OpenCL memory', () => {
    const text = readSharedText('fixtures/detect/h200-live-dump/si-graphics.json');
    const parsed = parseSiGraphics(text, 'linux');
    expect(parsed).toEqual({
      ok: true,
      value: [
        {
          source: 'systeminformation',
          vendor: 'nvidia',
          toolIndex: 0,
          name: 'NVIDIA H200',
          pciBusId: '0000:00:06.0',
          memoryTotalBytes: 143156 * 2 ** 20,
          memoryConfidence: 'measured',
        },
      ],
    });
  });
});

describe("systeminformation's forms by platform", () => {
  const graphics = (controller: Record<string, unknown>) =>
    JSON.stringify({ controllers: [controller], displays: [] });

  it('Linux lspci: the address as printed, the BAR size not taken as memory', () => {
    const lspci = {
      vendor: 'NVIDIA Corporation',
      model: 'GH100 [H200 SXM 141GB]',
      bus: 'Onboard',
      busAddress: '00:06.0',
      vram: 256,
    };
    const parsed = parseSiGraphics(graphics(lspci), 'linux');
    expect(parsed.ok && parsed.value[0]).toMatchObject({ pciBusId: '0000:00:06.0' });
    expect(parsed.ok && parsed.value[0]?.memoryTotalBytes).toBeUndefined();
  });

  it("Windows: nvidia-smi's pciBus merged in by si (8-digit domain), no busAddress", () => {
    const windows = {
      vendor: 'NVIDIA',
      model: 'NVIDIA GeForce RTX 2080 SUPER',
      bus: 'PCI',
      vram: 8192,
      pciBus: '00000000:01:00.0',
      memoryTotal: 8192,
    };
    const parsed = parseSiGraphics(graphics(windows), 'win32');
    expect(parsed.ok && parsed.value[0]).toMatchObject({
      pciBusId: '0000:01:00.0',
      memoryTotalBytes: 8192 * 2 ** 20,
    });
  });

  it('macOS: no address at all', () => {
    const mac = { vendor: 'Apple', model: 'Apple M1', bus: 'Built-In', vram: 0, vramDynamic: true };
    const parsed = parseSiGraphics(graphics(mac), 'darwin');
    expect(parsed.ok && parsed.value[0]?.pciBusId).toBeUndefined();
  });
});
