import type { Directive } from 'vue';

/**
 * One Tab stop per list (issue 17; WAI-ARIA Authoring Practices, "Managing focus within
 * components using a roving tabindex"): `v-roving="'button.result'"` on a list keeps exactly
 * one of its items (matching the selector) in the Tab order — the one last focused, or the
 * pressed one, or the first — and moves between them with the arrow keys, Home and End.
 */

/** Keys that move within the list, and where to. */
const MOVES: Readonly<Record<string, (index: number, last: number) => number>> = {
  ArrowDown: (index, last) => Math.min(index + 1, last),
  ArrowRight: (index, last) => Math.min(index + 1, last),
  ArrowUp: (index) => Math.max(index - 1, 0),
  ArrowLeft: (index) => Math.max(index - 1, 0),
  Home: () => 0,
  End: (_index, last) => last,
};

interface RovingState {
  selector: string;
  /** The item in the Tab order; null until the list has items. */
  active: HTMLElement | null;
  onKeydown: (event: KeyboardEvent) => void;
  onFocusin: (event: FocusEvent) => void;
}

const STATES = new WeakMap<HTMLElement, RovingState>();

function items(list: HTMLElement, selector: string): HTMLElement[] {
  return [...list.querySelectorAll<HTMLElement>(selector)];
}

/**
 * Gives the active item tabindex 0 and every other -1. When the active item left the list (a
 * new search), the pressed item (the chosen model) or else the first takes its place.
 */
function assignTabStops(list: HTMLElement, state: RovingState): void {
  const all = items(list, state.selector);
  if (!state.active || !all.includes(state.active)) {
    state.active =
      all.find((item) => item.getAttribute('aria-pressed') === 'true') ?? all[0] ?? null;
  }
  for (const item of all) item.tabIndex = item === state.active ? 0 : -1;
}

export const vRoving: Directive<HTMLElement, string> = {
  mounted(list, binding) {
    const state: RovingState = {
      selector: binding.value,
      active: null,
      onKeydown(event) {
        const move = MOVES[event.key];
        if (!move || !(event.target instanceof HTMLElement)) return;
        const all = items(list, state.selector);
        const index = all.indexOf(event.target);
        if (index < 0) return;
        event.preventDefault();
        state.active = all[move(index, all.length - 1)]!;
        assignTabStops(list, state);
        state.active.focus();
      },
      onFocusin(event) {
        if (!(event.target instanceof HTMLElement)) return;
        if (!items(list, state.selector).includes(event.target)) return;
        state.active = event.target;
        assignTabStops(list, state);
      },
    };
    STATES.set(list, state);
    list.addEventListener('keydown', state.onKeydown);
    list.addEventListener('focusin', state.onFocusin);
    assignTabStops(list, state);
  },
  updated(list) {
    const state = STATES.get(list);
    if (state) assignTabStops(list, state);
  },
  beforeUnmount(list) {
    const state = STATES.get(list);
    if (!state) return;
    list.removeEventListener('keydown', state.onKeydown);
    list.removeEventListener('focusin', state.onFocusin);
    STATES.delete(list);
  },
};
