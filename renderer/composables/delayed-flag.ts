import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

/**
 * Progress is shown for anything that takes longer than this (issue 8: "progress for anything
 * > 200 ms"); quicker answers would only flash an indicator.
 */
const PROGRESS_DELAY_MS = 200;

/** True once `source` has stayed true for `delayMs`; false as soon as it turns false. */
export function useDelayedFlag(source: Ref<boolean>, delayMs = PROGRESS_DELAY_MS): Ref<boolean> {
  const shown = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = watch(
    source,
    (on) => {
      clearTimeout(timer);
      if (!on) {
        shown.value = false;
        return;
      }
      timer = setTimeout(() => (shown.value = true), delayMs);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    stop();
  });
  return shown;
}
