/**
 * NVIDIA architecture names and compute capabilities, both ways. Source: CUDA C++ Programming
 * Guide, "Compute Capabilities" (6.x Pascal, 7.0/7.2 Volta, 7.5 Turing, 8.0/8.6/8.7 Ampere,
 * 8.9 Ada Lovelace, 9.0 Hopper, 10.x and 12.x Blackwell), and nvidia-smi's "Product
 * Architecture" values (`nvidia-smi -q`: "Hopper", "Turing"; `-q -x` <product_architecture>).
 */

/**
 * The architecture of a compute capability.
 * @param computeCapability e.g. `8.9`
 * @returns its name, or `sm_NN` for one this table does not know
 * @example cudaArchitectureName('8.9') // 'Ada Lovelace'
 */
export function cudaArchitectureName(computeCapability: string): string {
  if (computeCapability === '7.5') return 'Turing';
  if (computeCapability === '8.9') return 'Ada Lovelace';
  const major = Number(computeCapability.split('.')[0]);
  const names: Record<number, string> = {
    6: 'Pascal',
    7: 'Volta',
    8: 'Ampere',
    9: 'Hopper',
    10: 'Blackwell',
    12: 'Blackwell',
  };
  return names[major] ?? `sm_${computeCapability.replace('.', '')}`;
}

/**
 * The lowest compute capability (major * 10 + minor) of each architecture name, for a GPU whose
 * tool names the architecture but not the capability. The lowest member decides what is
 * assumed: a "Pascal" GPU is taken as 6.1 (GeForce/Tesla P40), not 6.0 (P100, full-rate fp16),
 * since only the P100 has the latter. Blackwell 10.0 and 12.0 run the same dtypes natively.
 */
const FIRST_CC_BY_ARCHITECTURE: Readonly<Record<string, number>> = {
  pascal: 61,
  volta: 70,
  turing: 75,
  ampere: 80,
  ada: 89,
  'ada lovelace': 89,
  hopper: 90,
  blackwell: 100,
};

/**
 * @param name an architecture name as nvidia-smi prints it ("Hopper", "Ada Lovelace")
 * @returns the compute capability (major * 10 + minor) its dtypes are judged by, or undefined
 * @example computeCapabilityOfArchitecture('Ampere') // 80
 */
export function computeCapabilityOfArchitecture(name: string): number | undefined {
  return FIRST_CC_BY_ARCHITECTURE[name.trim().toLowerCase()];
}
