import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { planFromRequest } from '../../../core/plan/plan-request';
import { formatBytes } from '../../../core/units/bytes';
import MemoryBars from '../../../renderer/charts/MemoryBars.vue';
import { memoryRows } from '../../../renderer/charts/memory-rows';

// A card's memory bars (issue 17: drawn with the card, no Chart.js update per change): one bar
// per device against its capacity, on an axis of 1, 2 or 5 × 10^n steps as the report's chart.

function plan(deviceIds: string[]) {
  return planFromRequest({
    modelId: 'meta-llama/Llama-3.1-8B',
    deviceIds,
    weightsFormat: 'bf16',
    kvFormat: 'fp16',
    contextTokens: 4096,
    batch: 1,
    engine: 'vllm',
    marginFraction: 0.05,
    unit: 'GiB',
  });
}

describe('memory bars', () => {
  it('draws Llama 3.1 8B bf16 on an RTX 4090 (24 GiB) against a 0–25 GiB axis', () => {
    const rows = memoryRows(plan(['nvidia-rtx-4090']));
    const bars = mount(MemoryBars, { props: { rows, unit: 'GiB', label: 'BF16 on RTX 4090' } });
    // 24 GiB of capacity: steps of 5 (niceStep(24, 5)) up to the first step past it.
    expect(bars.findAll('.bars__tick').map((tick) => tick.text())).toEqual([
      '0',
      '5',
      '10',
      '15',
      '20',
      '25',
    ]);
    // The catalog's 24 GiB: its line sits at 24 / 25 of the axis, labelled above the bar.
    const capacity = bars.get('.bars__capacity');
    expect(capacity.attributes('style')).toContain('left: 96.000%');
    expect(capacity.text()).toBe('total 24.0 GiB');
    // Weights first, each segment named with its size for the pointer and for screen readers.
    const segments = bars.findAll('.bars__segment');
    const breakdown = rows[0]!.breakdown;
    expect(segments[0]!.attributes('title')).toBe(
      `Weights: ${formatBytes(breakdown.weights, 'GiB')}`,
    );
    const description = bars.get('[role="img"]').attributes('aria-label');
    expect(description).toContain(`KV cache ${formatBytes(breakdown.kvCache, 'GiB')}`);
    expect(description).toContain('capacity 24.00 GiB');
    expect(bars.findAll('.bars__legend li').map((item) => item.text())).toContain('KV cache');
  });

  it('numbers the bars of several devices and labels a shared capacity once', () => {
    const rows = memoryRows(plan(['nvidia-rtx-4090', 'nvidia-rtx-4090']));
    const bars = mount(MemoryBars, { props: { rows, unit: 'GiB', label: 'two 4090s' } });
    expect(bars.findAll('.bars__row-label').map((label) => label.text())).toEqual(['#1', '#2']);
    expect(bars.findAll('.bars__capacity')).toHaveLength(2);
    expect(bars.findAll('.bars__capacity-label')).toHaveLength(1);
  });

  it('draws what a plan without a device needs, on an axis that holds it', () => {
    const rows = memoryRows(plan([]));
    const bars = mount(MemoryBars, { props: { rows, unit: 'GB', label: 'needed' } });
    expect(bars.findAll('.bars__capacity')).toHaveLength(0);
    const ticks = bars.findAll('.bars__tick').map((tick) => Number(tick.text()));
    const needGb = Object.values(rows[0]!.breakdown).reduce((sum, bytes) => sum + bytes, 0) / 1e9;
    expect(ticks.at(-1)!).toBeGreaterThanOrEqual(needGb);
    expect(ticks.at(-2)!).toBeLessThan(needGb);
  });
});
