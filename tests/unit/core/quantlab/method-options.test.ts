import { describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import { methodFromOptions } from '../../../../core/quantlab/method-options';

describe('method flags', () => {
  it('map onto specs with the documented defaults', () => {
    expect(methodFromOptions({ method: 'absmax' })).toEqual({
      method: 'absmax',
      bits: 8,
      granularity: { kind: 'tensor' },
    });
    expect(methodFromOptions({ method: 'absmax', block: 128 })).toEqual({
      method: 'absmax',
      bits: 8,
      granularity: { kind: 'block', blockSize: 128 },
    });
    expect(methodFromOptions({ method: 'blockwise', bits: 4 })).toEqual({
      method: 'absmax',
      bits: 4,
      granularity: { kind: 'block', blockSize: 64 },
    });
    expect(methodFromOptions({ method: 'zeropoint', per: 'column' })).toEqual({
      method: 'zeropoint',
      bits: 8,
      granularity: { kind: 'column' },
    });
    expect(methodFromOptions({ method: 'llm.int8' })).toEqual({ method: 'llm.int8', threshold: 6 });
    expect(methodFromOptions({ method: 'nf4', doubleQuant: true })).toEqual({
      method: 'nf4',
      blockSize: 64,
      doubleQuant: true,
    });
    expect(methodFromOptions({ method: 'q4_k', bits: 4, block: 256 })).toEqual({ method: 'q4_k' });
  });

  it('refuse combinations that mean nothing, naming the setting in words', () => {
    const refused = (options: Parameters<typeof methodFromOptions>[0], message: RegExp) => {
      expect(() => methodFromOptions(options)).toThrow(HeadroomError);
      expect(() => methodFromOptions(options)).toThrow(message);
    };
    refused({ method: 'nf4', bits: 8 }, /4-bit/);
    refused({ method: 'q8_0', block: 64 }, /blocks of 32/);
    refused(
      { method: 'absmax', block: 64, per: 'row' },
      /^Set the block size or the per-row or per-column scaling, not both\.$/,
    );
    refused({ method: 'blockwise', block: 100 }, /powers of two from/);
    refused({ method: 'blockwise', block: 8192 }, /powers of two from/);
    refused(
      { method: 'llm.int8', block: 64 },
      /^For llm\.int8, the block size does not apply: leave it unset\.$/,
    );
    refused({ method: 'absmax', doubleQuant: true }, /double quantization does not apply/);
    refused({ method: 'llm.int8', threshold: -1 }, /positive/);
  });
});
