import { ref, watch, type Ref } from 'vue';
import type { MemoryBreakdown, VerdictStatus } from '../../core/plan/types';
import { colorScheme } from '../composables/color-scheme';

/** Colours a canvas needs, read from the CSS variables of renderer/styles.css (light or dark). */
export interface ChartTheme {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly capacity: string;
  /** The panel behind the charts: the halo that keeps a label readable over lines. */
  readonly surface: string;
  readonly verdict: Readonly<Record<VerdictStatus, string>>;
  /** Line colours for series (formats), in order. */
  readonly series: readonly string[];
}

/** The CSS variable of each memory category's colour (renderer/styles.css, light and dark). */
export const MEMORY_COLOR_VARIABLES: Readonly<Record<keyof MemoryBreakdown, string>> = {
  weights: '--mem-weights',
  kvCache: '--mem-kv',
  activations: '--mem-activations',
  gradients: '--mem-gradients',
  optimizerStates: '--mem-optimizer',
  masterWeights: '--mem-master',
  overhead: '--mem-overhead',
};

/** Used where the CSS variables cannot be read (unit tests without a stylesheet). */
const FALLBACK = '#888888';

function cssVariable(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim() || FALLBACK;
}

/** Reads the theme's colours from the document's computed style. */
function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string): string => cssVariable(style, name);
  return {
    text: v('--text'),
    muted: v('--muted'),
    grid: v('--border'),
    capacity: v('--capacity'),
    surface: v('--panel'),
    verdict: {
      fits: v('--fits'),
      tight: v('--tight'),
      'needs-offload': v('--offload'),
      'does-not-fit': v('--nofit'),
      'no-device': v('--muted'),
    },
    series: [1, 2, 3, 4, 5, 6].map((i) => v(`--series-${i}`)),
  };
}

/**
 * The chart theme, read again whenever the page switches between light and dark (the OS, or
 * the user's theme preference). The watch stops with the component that made it.
 */
export function useChartTheme(): Ref<ChartTheme> {
  const theme = ref<ChartTheme>(readChartTheme());
  // After the DOM update: <html data-theme> has changed, so the CSS variables read anew.
  watch(colorScheme, () => (theme.value = readChartTheme()), { flush: 'post' });
  return theme;
}
