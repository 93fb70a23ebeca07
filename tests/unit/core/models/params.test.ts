import { describe, expect, it } from 'vitest';
import { HeadroomError } from '../../../../core/errors';
import { paramsOnlyModel, parseParamCount } from '../../../../core/models/catalog';

describe('parseParamCount reads counts as model cards and people write them', () => {
  it.each([
    ['7e9', 7_000_000_000],
    ['7B', 7_000_000_000],
    ['70b', 70_000_000_000],
    ['1.5M', 1_500_000],
    ['405000000000', 405_000_000_000],
    ['405,000,000,000', 405_000_000_000],
    ['6_738_415_616', 6_738_415_616],
    ['1.1B', 1_100_000_000], // exact: not 1.1 × 1e9 in floating point
    ['7.24B', 7_240_000_000],
    ['0.5B', 500_000_000],
    ['125m', 125_000_000],
    ['1.5T', 1_500_000_000_000],
    ['  13 B ', 13_000_000_000],
    ['4.2e3K', 4_200_000],
  ])('%s → %d', (text, expected) => {
    expect(parseParamCount(text)).toBe(expected);
  });

  it.each([
    '',
    'B',
    'seven billion',
    '7X',
    '7BB',
    '-7B',
    '0',
    '0B',
    '1.5',
    '1.2345678901B',
    '1,5B',
    '12,34',
    'NaN',
    'Infinity',
    '1e400',
    '1e16',
    '7e9e9',
  ])('rejects %j with BAD_ARGUMENT', (text) => {
    expect(() => parseParamCount(text)).toThrow(HeadroomError);
    try {
      parseParamCount(text);
    } catch (error) {
      expect((error as HeadroomError).code).toBe('BAD_ARGUMENT');
      expect((error as HeadroomError).message).toContain(`"${text}"`);
    }
  });
});

describe('paramsOnlyModel', () => {
  it('makes a spec with no architecture, source kind params and id params:<n>', () => {
    const spec = paramsOnlyModel(7_000_000_000);
    expect(spec).toMatchObject({
      id: 'params:7000000000',
      displayName: '7 B parameters',
      source: { kind: 'params' },
      params: 7_000_000_000,
      activeParams: 7_000_000_000,
      publishedFormat: 'bf16',
    });
    expect(spec.architecture).toBeUndefined();
  });

  it('rejects counts that are not positive whole numbers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => paramsOnlyModel(bad)).toThrow(HeadroomError);
    }
  });
});
