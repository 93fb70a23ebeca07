import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultEngine } from '../../../core/plan/default-engine';
import { memoryScope } from '../../../core/plan/memory-scope';
import { planFromRequest } from '../../../core/plan/plan-request';
import { formatBytes } from '../../../core/units/bytes';
import App from '../../../renderer/App.vue';
import { installBridge } from '../../../renderer/bridge/current';
import { testBridge } from './test-bridge';

const FIRST_SCREEN = {
  modelId: 'meta-llama/Llama-3.1-8B',
  deviceIds: ['nvidia-rtx-4090'],
  kvFormat: 'fp16',
  contextTokens: 4096,
  batch: 1,
  engine: 'generic',
  marginFraction: 0.05,
} as const;

async function mountApp() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  // Catalogs, then the first plans: each is a bridge round trip.
  for (let i = 0; i < 5; i++) await flushPromises();
  return wrapper;
}

describe('the workbench window', () => {
  beforeEach(() => {
    installBridge(testBridge());
  });

  it('opens on Compare with the first screen planned: one card per format, numbers from the plan', async () => {
    const wrapper = await mountApp();
    const cards = wrapper.findAll('[data-testid="plan-card"]');
    expect(cards).toHaveLength(3);
    const plan = planFromRequest({
      ...FIRST_SCREEN,
      engine: defaultEngine('bf16'),
      unit: 'GiB',
      weightsFormat: 'bf16',
    });
    // One GPU: its memory, labelled per GPU as on every card (the busiest device).
    expect(cards[0]!.get('[data-testid="per-gpu-memory"]').text()).toBe(
      formatBytes(memoryScope(plan).perGpuBytes!, 'GiB'),
    );
    expect(cards[0]!.get('[data-status]').attributes('data-status')).toBe(plan.verdict.status);
    wrapper.unmount();
  });

  it('re-plans every card in GB when the unit toggle is switched', async () => {
    const wrapper = await mountApp();
    await wrapper.get('input[value="GB"]').setValue(true);
    for (let i = 0; i < 3; i++) await flushPromises();
    const plan = planFromRequest({
      ...FIRST_SCREEN,
      engine: defaultEngine('q8_0'),
      unit: 'GB',
      weightsFormat: 'q8_0',
    });
    const card = wrapper.findAll('[data-testid="plan-card"]')[1]!;
    expect(card.get('[data-testid="per-gpu-memory"]').text()).toBe(
      formatBytes(memoryScope(plan).perGpuBytes!, 'GB'),
    );
    expect(card.get('[data-testid="reason"]').text()).toBe(plan.verdict.reason);
    wrapper.unmount();
  });

  it('moves between views with the arrow keys on the tab list', async () => {
    const wrapper = await mountApp();
    const selected = () => wrapper.get('[role="tab"][aria-selected="true"]').text();
    expect(selected()).toBe('Compare');
    await wrapper.get('#tab-compare').trigger('keydown', { key: 'ArrowRight' });
    expect(selected()).toBe('Options matrix');
    await wrapper.get('#tab-matrix').trigger('keydown', { key: 'End' });
    expect(selected()).toBe('Quant lab');
    await wrapper.get('#tab-quantlab').trigger('keydown', { key: 'ArrowRight' });
    expect(selected()).toBe('Compare');
    expect(wrapper.findAll('[role="tab"][tabindex="0"]')).toHaveLength(1);
    wrapper.unmount();
  });

  it('labels every form control', async () => {
    const wrapper = await mountApp();
    const controls = wrapper.findAll('input, select, button');
    expect(controls.length).toBeGreaterThan(10);
    for (const control of controls) {
      const element = control.element as HTMLElement;
      const id = element.getAttribute('id');
      const labelled =
        element.getAttribute('aria-label') !== null ||
        element.closest('label') !== null ||
        (id !== null && document.querySelector(`label[for="${id}"]`) !== null) ||
        (element.tagName === 'BUTTON' && element.textContent!.trim() !== '');
      expect(labelled, element.outerHTML.slice(0, 120)).toBe(true);
    }
    wrapper.unmount();
  });
});
