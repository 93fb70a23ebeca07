import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, reactive } from 'vue';
import { SETTLE_QUIET_MS, useSettledRefresh } from '../../../renderer/composables/settled-refresh';

/** A view that follows `store` the way Compare follows its answer searches. */
function mountFollower(
  store: { entries: number; refresh(): Promise<void> },
  first: () => Promise<void>,
) {
  return mount(
    defineComponent({
      setup() {
        useSettledRefresh(store, first);
        return () => h('div');
      },
    }),
  );
}

/** Lets the watcher's `await first()` and its continuation run. */
async function settlePromises(): Promise<void> {
  await nextTick();
  await Promise.resolve();
  await Promise.resolve();
}

describe('follow-up searches sent once the controls settle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('searches when the view opens, once its first plans are back', async () => {
    const refresh = vi.fn(() => Promise.resolve());
    const wrapper = mountFollower(reactive({ entries: 0, refresh }), () => Promise.resolve());
    await settlePromises();
    expect(refresh).toHaveBeenCalledTimes(1);
    wrapper.unmount();
  });

  it('sends one search for a burst of changes at key-repeat pace, 100 ms after the last', async () => {
    const refresh = vi.fn(() => Promise.resolve());
    const store = reactive({ entries: 0, refresh });
    const wrapper = mountFollower(store, () => Promise.resolve());
    await settlePromises();
    refresh.mockClear();
    // Five changes 40 ms apart (X11's default auto-repeat, 25 per second): none is searched yet.
    for (let i = 1; i <= 5; i++) {
      store.entries = i;
      await settlePromises();
      await vi.advanceTimersByTimeAsync(40);
    }
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SETTLE_QUIET_MS - 40);
    expect(refresh).toHaveBeenCalledTimes(1);
    wrapper.unmount();
  });

  it('waits for the change’s own plans before the quiet period starts', async () => {
    const refresh = vi.fn(() => Promise.resolve());
    const store = reactive({ entries: 0, refresh });
    let release: () => void = () => {};
    let plans = Promise.resolve();
    const wrapper = mountFollower(store, () => plans);
    await settlePromises();
    refresh.mockClear();
    plans = new Promise<void>((resolve) => (release = resolve));
    store.entries = 1;
    await settlePromises();
    await vi.advanceTimersByTimeAsync(SETTLE_QUIET_MS * 3);
    expect(refresh).not.toHaveBeenCalled();
    release();
    await settlePromises();
    await vi.advanceTimersByTimeAsync(SETTLE_QUIET_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
    wrapper.unmount();
  });

  it('sends nothing after the view has closed', async () => {
    const refresh = vi.fn(() => Promise.resolve());
    const store = reactive({ entries: 0, refresh });
    const wrapper = mountFollower(store, () => Promise.resolve());
    await settlePromises();
    refresh.mockClear();
    store.entries = 1;
    await settlePromises();
    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(SETTLE_QUIET_MS * 2);
    expect(refresh).not.toHaveBeenCalled();
  });
});
