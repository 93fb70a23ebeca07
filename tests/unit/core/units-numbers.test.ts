import { describe, expect, it } from 'vitest';
import { parseParamCount } from '../../../core/models/params';
import {
  formatInteger,
  formatMetric,
  formatParams,
  formatPercent,
  formatSnr,
  formatTeraOps,
  formatTokenAmount,
  formatTokens,
  formatTokensPerSecond,
} from '../../../core/units/numbers';

describe('counts and rates, written without ICU', () => {
  it('groups thousands as en-US does', () => {
    // Past 2^53 too: the bounds name 1e18 training tokens (core/input-bounds.ts).
    for (const value of [0, 7, 999, 1000, 65_536, 8_030_261_248, -1_234_567, 1e18, 1e21, -1e22]) {
      expect(formatInteger(value)).toBe(value.toLocaleString('en-US'));
    }
    expect(formatInteger(0.05)).toBe('0.05');
    expect(formatInteger(Number.NaN)).toBe('NaN');
    expect(formatInteger(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('writes tokens per second whole from 100 up, one decimal below, a dash when unknown', () => {
    expect(formatTokensPerSecond(1415.15)).toBe('1,415');
    expect(formatTokensPerSecond(141.5)).toBe('142');
    expect(formatTokensPerSecond(61.03)).toBe('61.0');
    expect(formatTokensPerSecond(null)).toBe('—');
    expect(formatTokensPerSecond(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('writes parameter counts as model cards do: three significant figures', () => {
    // meta-llama/Llama-3.1-8B: 8,030,261,248 parameters, "8.03B" on its Hugging Face page.
    expect(formatParams(8_030_261_248)).toBe('8.03 B');
    // GPT-2 small: 124,439,808 parameters, "124M" in OpenAI's release.
    expect(formatParams(124_439_808)).toBe('124 M');
    // google/gemma-3-1b-pt: 999,885,952 parameters as the catalog counts them from its config; its card says 1B.
    expect(formatParams(999_885_952)).toBe('1 B');
    // Mixtral 8x7B: 46.7 B total (Mistral AI, "Mixtral of experts").
    expect(formatParams(46_702_792_704)).toBe('46.7 B');
    expect(formatParams(7e9)).toBe('7 B');
    expect(formatParams(999)).toBe('999');
  });

  it('writes context lengths with k = 1024, as engines do', () => {
    // Llama 3.1's config.json: max_position_embeddings 131072, the "128K context" of its card.
    expect(formatTokens(131_072)).toBe('128k');
    expect(formatTokens(8192)).toBe('8k');
    expect(formatTokens(3000)).toBe('3,000');
  });

  it('writes token budgets so that core reads them back', () => {
    // Llama 3 was pre-trained on "over 15T tokens" (Meta, Llama 3 model card).
    expect(formatTokenAmount(15e12)).toBe('15T');
    expect(formatTokenAmount(2.5e11)).toBe('250B');
    for (const tokens of [1e9, 15e12, 2.5e11, 1_500_000, 123_456]) {
      expect(parseParamCount(formatTokenAmount(tokens))).toBe(tokens);
    }
  });

  it('writes peak throughput in TFLOPS, a dash when the datasheet gives none', () => {
    // NVIDIA Ada whitepaper, RTX 4090: 165.2 dense FP16 Tensor TFLOPS (FP32 accumulate).
    expect(formatTeraOps(165.2e12)).toBe('165.2');
    expect(formatTeraOps(undefined)).toBe('—');
  });

  it('writes percentages with a space before the sign, signed for deviations', () => {
    // N(0, σ²): P(|x| ≥ σ) = 31.73 % (the normal distribution's 68.27 % within one σ).
    expect(formatPercent(0.3173, { fractionDigits: 2 })).toBe('31.73 %');
    // docs/accuracy.md prints a plan 0.1 % under its measurement as "−0.1 %".
    expect(formatPercent(-0.001, { signed: true })).toBe('−0.1 %');
    expect(formatPercent(0.05, { signed: true })).toBe('+5.0 %');
    expect(formatPercent(0.5)).toBe('50.0 %');
  });

  it('writes error metrics with significant figures, SNR in dB with decimals', () => {
    expect(formatMetric(0.000123)).toBe('1.23e-4');
    expect(formatMetric(1.190551181, 5)).toBe('1.1906');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(Number.POSITIVE_INFINITY)).toBe('∞');
    // An ideal 8-bit quantizer of a full-scale sine: 6.02 × 8 + 1.76 = 49.92 dB (Bennett 1948).
    expect(formatSnr(6.02 * 8 + 1.76)).toBe('49.9');
    expect(formatSnr(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});
