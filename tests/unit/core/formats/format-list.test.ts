import { describe, expect, it } from 'vitest';
import { FORMATS, getFormat } from '../../../../core/formats/catalog';
import { unaliasedFormatId } from '../../../../core/formats/aliases';
import { COMMON_FORMAT_IDS, groupFormats } from '../../../../core/formats/format-list';

const ids = (groups: ReturnType<typeof groupFormats>): string[] =>
  groups.flatMap((group) => group.formats.map((format) => format.id));
const group = (groups: ReturnType<typeof groupFormats>, label: string): string[] =>
  groups.find((entry) => entry.label === label)?.formats.map((format) => format.id) ?? [];

describe('the weights-format list (issue 17)', () => {
  it('names only catalog formats as common ones', () => {
    for (const id of COMMON_FORMAT_IDS) expect(getFormat(id)?.id).toBe(id);
  });

  it('folds llama-quantize aliases into the format they stand for (Q4_K → Q4_K_M)', () => {
    // quantize.cpp QUANT_OPTIONS: Q3_K, Q4_K and Q5_K are "alias for Q3_K_M/Q4_K_M/Q5_K_M".
    expect(unaliasedFormatId('q4_k')).toBe('q4_k_m');
    expect(unaliasedFormatId('q4_0')).toBe('q4_0');
    for (const all of [false, true]) {
      const listed = ids(groupFormats(FORMATS, all));
      expect(listed).toContain('q4_k_m');
      expect(listed).not.toContain('q4_k');
      expect(listed).not.toContain('q3_k');
      expect(listed).not.toContain('q5_k');
    }
  });

  it('lists the GGUF mixes of one main type biggest first, as quantize.cpp sizes them', () => {
    // quantize.cpp QUANT_OPTIONS at Llama-3-8B: Q5_K_M 5.33G, Q5_K_S 5.21G; Q4_K_M 4.58G,
    // Q4_K_S 4.37G; Q3_K_L 4.03G, Q3_K_M 3.74G, Q3_K_S 3.41G.
    const listed = ids(groupFormats(FORMATS, true));
    const order = (a: string, b: string) =>
      expect(listed.indexOf(a)).toBeLessThan(listed.indexOf(b));
    order('q5_k_m', 'q5_k_s');
    order('q4_k_m', 'q4_k_s');
    order('q3_k_l', 'q3_k_m');
    order('q3_k_m', 'q3_k_s');
    // Q8_0 7.96G before Q6_K 6.14G before Q5_K_M.
    order('q8_0', 'q6_k');
    order('q6_k', 'q5_k_m');
  });

  it('groups by bit width, widest first, with scales counted', () => {
    const groups = groupFormats(FORMATS, false);
    expect(groups.map((entry) => entry.label)).toEqual([
      '16 bits or more',
      '8 bits',
      '5–6 bits',
      '4 bits',
      '3 bits',
      '2 bits or fewer',
    ]);
    expect(group(groups, '16 bits or more')).toEqual(['fp32', 'bf16', 'fp16']);
    // Q8_0: 34 bytes per 32 weights (ggml-common.h block_q8_0) = 8.5 bits/weight.
    expect(group(groups, '8 bits')).toContain('q8_0');
    // Q4_K: 144 bytes per 256 weights (block_q4_K) = 4.5; AWQ int4 with group-128 scales.
    expect(group(groups, '4 bits')).toEqual(expect.arrayContaining(['q4_k_m', 'awq_int4', 'nf4']));
    // Q2_K: 84 bytes per 256 weights (block_q2_K) = 2.625.
    expect(group(groups, '2 bits or fewer')).toContain('q2_k');
  });

  it('keeps the obscure formats behind "all formats"', () => {
    const common = ids(groupFormats(FORMATS, false));
    const all = ids(groupFormats(FORMATS, true));
    expect(common).toHaveLength(COMMON_FORMAT_IDS.length);
    expect(common).not.toContain('q4_1');
    expect(common).not.toContain('tq1_0');
    expect(all).toEqual(expect.arrayContaining(['q4_1', 'tq1_0', 'iq1_s', ...common]));
    expect(all).toHaveLength(FORMATS.length - 3);
  });
});
