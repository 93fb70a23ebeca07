import { onBeforeUnmount, watch } from 'vue';

/**
 * How long the controls must stay still before a follow-up search goes out: 100 ms. Holding an
 * arrow key on a select changes it at the keyboard's auto-repeat rate, 25 per second (40 ms
 * apart) by default on X11 (Xorg's `xset q`: "auto repeat delay: 660 repeat rate: 25"), so two
 * repeats fit in the wait and a held key sends no search until it is released; one click or one
 * key press still has its search sent 0.1 s after its own plans are back.
 */
export const SETTLE_QUIET_MS = 100;

/**
 * Refreshes `store` when its requests change, but only once the change has settled: after
 * `first()` (the view's main plans for the same change) has resolved and no newer change came
 * within `quietMs`. A search superseded while it waits is never sent, so slow follow-up work
 * (Compare's answer searches, ~5–30 ms each on the Node side) stays out of the way of the next
 * control change's cards. The view's first refresh waits only for `first()`. The timer stops
 * with the view's component.
 */
export function useSettledRefresh(
  store: { readonly entries: unknown; refresh(): Promise<void> },
  first: () => Promise<void>,
  quietMs: number = SETTLE_QUIET_MS,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  let opened = false;
  watch(
    () => store.entries,
    async () => {
      const change = ++latest;
      clearTimeout(timer);
      await first();
      if (change !== latest) return;
      if (!opened) {
        opened = true;
        void store.refresh();
        return;
      }
      timer = setTimeout(() => {
        if (change === latest) void store.refresh();
      }, quietMs);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    latest++;
    clearTimeout(timer);
  });
}
