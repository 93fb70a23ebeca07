import { computed, ref, watchEffect, type ComputedRef } from 'vue';
import type { ThemePreference } from '../../core/bridge';

type ColorScheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

const preference = ref<ThemePreference>('system');
const osDark = ref(false);
let started = false;

/** The scheme the page shows: the user's choice, or the OS's while the choice is "system". */
export const colorScheme: ComputedRef<ColorScheme> = computed(() =>
  preference.value === 'system' ? (osDark.value ? 'dark' : 'light') : preference.value,
);

/**
 * Keeps `<html data-theme>` on the scheme to show (renderer/styles.css keys its colours on
 * it) and follows the OS while the preference is "system". Call once, before mounting.
 */
export function startColorScheme(): void {
  if (started) return;
  started = true;
  const media = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : null;
  osDark.value = media?.matches ?? false;
  media?.addEventListener('change', (event) => (osDark.value = event.matches));
  watchEffect(() => {
    document.documentElement.dataset['theme'] = colorScheme.value;
  });
}

/** Sets the user's theme preference (from the settings, the header or the desktop menu). */
export function setThemePreference(next: ThemePreference): void {
  preference.value = next;
}
