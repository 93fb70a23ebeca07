/**
 * PCI addresses as the tools print them, in one form: `dddd:bb:dd.f`, lower-case hex. One
 * physical GPU is recognised across tools by this address (or its UUID), so every spelling a
 * tool uses must land on the same text.
 */

/**
 * A PCI device number is 5 bits (PCI Local Bus Specification 3.0, 3.2.2.3.1, Type 0/1
 * configuration address: device number bits 15:11), so 0x00–0x1f.
 */
const MAX_PCI_DEVICE = 0x1f;
/** A bus number is 8 bits (same section: bus number bits 23:16). */
const MAX_PCI_BUS = 0xff;
/** PCI segment (domain) numbers are 16 bits (PCI Firmware Specification 3.2, `_SEG`). */
const PCI_DOMAIN_MASK = 0xffff;

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

function address(domain: number, bus: number, device: number, fn: number): string | undefined {
  if (bus > MAX_PCI_BUS || device > MAX_PCI_DEVICE) return undefined;
  return `${hex(domain & PCI_DOMAIN_MASK, 4)}:${hex(bus, 2)}:${hex(device, 2)}.${fn}`;
}

/**
 * Normalises a PCI address to `dddd:bb:dd.f`, lower-case. Accepts nvidia-smi's 8-digit domain
 * (`00000000:00:06.0`), the kernel's and rocm-smi's 4-digit one (`0000:C4:00.0`), lspci's form
 * without a domain (`00:06.0`, domain 0) and lshw/Xorg prefixes (`pci@0000:01:00.0`,
 * `PCI:0000:01:00.0`). nvidia-smi's zero-padded 32-bit domain keeps its low 16 bits.
 * @returns undefined when the text is not a PCI address.
 * @example normalizePciAddress('00000000:0C:00.0') // '0000:0c:00.0'
 * @example normalizePciAddress('00:06.0') // '0000:00:06.0'
 */
export function normalizePciAddress(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const match = /^(?:pci[@:])?(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(
    text.trim(),
  );
  if (!match) return undefined;
  const [, domain = '0', bus = '', device = '', fn = ''] = match;
  return address(
    Number.parseInt(domain, 16),
    Number.parseInt(bus, 16),
    Number.parseInt(device, 16),
    Number(fn),
  );
}

/**
 * systeminformation's address for an NVIDIA GPU it found through `clinfo --raw` (Linux). It
 * prints `${bus}:${slot >> 3}.${slot & 7}` in decimal (systeminformation 5.33.23,
 * lib/graphics.js parseLinesLinuxClinfo), reading CL_DEVICE_PCI_SLOT_ID_NV as if it were a
 * device+function byte; NVIDIA's extension reports the device number alone. Evidence: the H200
 * recording in ../shared/fixtures/detect/h200-live-dump, where nvidia-smi says `00000000:00:06.0`
 * and systeminformation `00:00.6`. The domain is not read (taken as 0) and the function is 0.
 * @returns the real address, or undefined when the text is not in that form.
 * @example siClinfoNvidiaAddress('00:00.6') // '0000:00:06.0'
 * @example siClinfoNvidiaAddress('65:01.2') // '0000:41:0a.0'
 */
export function siClinfoNvidiaAddress(text: string): string | undefined {
  const match = /^(\d{1,3}):(\d{1,3})\.([0-7])$/.exec(text.trim());
  if (!match) return undefined;
  const [, bus = '', high = '', low = ''] = match;
  const slot = Number(high) * 8 + Number(low);
  return address(0, Number(bus), slot, 0);
}
