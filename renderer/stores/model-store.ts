import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SavedModel } from '../../core/bridge';
import type { ModelSpec } from '../../core/models/types';
import { useBridge } from '../bridge/current';
import { useCatalogStore } from './catalog-store';
import { errorMessage } from './error-message';

/** The model the first screen plans (issue 8: Llama 3.1 8B on one RTX 4090). */
export const DEFAULT_MODEL_ID = 'meta-llama/Llama-3.1-8B';

/** Search results shown at once; the list scrolls past that. */
const MODEL_SEARCH_LIMIT = 50;

/**
 * A catalog model, a bare parameter count (plans then follow rules of thumb and say so), or a
 * model opened from a file or folder (or the Hub), planned by its spec's id.
 */
export type ModelChoice =
  | { readonly kind: 'catalog'; readonly id: string }
  | { readonly kind: 'params'; readonly params: number }
  | { readonly kind: 'file'; readonly path: string; readonly spec: ModelSpec };

/** How the settings remember a choice. */
export function savedModelOf(choice: ModelChoice): SavedModel {
  switch (choice.kind) {
    case 'catalog':
      return { kind: 'catalog', id: choice.id };
    case 'params':
      return { kind: 'params', params: choice.params };
    case 'file':
      return { kind: 'file', path: choice.path };
  }
}

/** Which model is planned, the catalog search that picks it, and opening one from a file. */
export const useModelStore = defineStore('model', () => {
  const catalog = useCatalogStore();
  const choice = ref<ModelChoice>({ kind: 'catalog', id: DEFAULT_MODEL_ID });
  const query = ref('');
  /** A file or folder is being read. */
  const opening = ref(false);
  /** Why the last file could not be opened (shown where it was opened). */
  const openError = ref<string | null>(null);

  /** The chosen spec: the catalog's, or the one read from a file; null for a bare count. */
  const spec = computed<ModelSpec | null>(() => {
    const current = choice.value;
    if (current.kind === 'file') return current.spec;
    return current.kind === 'catalog' ? (catalog.model(current.id) ?? null) : null;
  });

  const matches = computed<readonly ModelSpec[]>(() => {
    const words = query.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const found = catalog.models.filter((model) => {
      const haystack = `${model.id} ${model.displayName}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
    return found.slice(0, MODEL_SEARCH_LIMIT);
  });

  function chooseCatalog(id: string): void {
    choice.value = { kind: 'catalog', id };
  }

  /** A bare parameter count; ignored unless it is a positive finite number. */
  function chooseParams(params: number): void {
    if (Number.isFinite(params) && params > 0) choice.value = { kind: 'params', params };
  }

  /**
   * Reads a model from a path (a file, a folder, or a Hub id) through the bridge and plans it;
   * a catalog id found this way is chosen as a catalog model. Resolves to whether it worked.
   */
  async function openPath(path: string): Promise<boolean> {
    opening.value = true;
    try {
      const opened = await useBridge().openModelPath(path);
      choice.value =
        opened.source.kind === 'catalog'
          ? { kind: 'catalog', id: opened.id }
          : { kind: 'file', path, spec: opened };
      openError.value = null;
      return true;
    } catch (thrown) {
      openError.value = errorMessage(thrown);
      return false;
    } finally {
      opening.value = false;
    }
  }

  /** Chooses a model the settings remember (a file is read again). */
  async function chooseSaved(saved: SavedModel): Promise<boolean> {
    switch (saved.kind) {
      case 'catalog':
        if (!catalog.model(saved.id)) return false;
        chooseCatalog(saved.id);
        return true;
      case 'params':
        chooseParams(saved.params);
        return true;
      case 'file':
        return openPath(saved.path);
    }
  }

  return {
    choice,
    query,
    opening,
    openError,
    spec,
    matches,
    chooseCatalog,
    chooseParams,
    openPath,
    chooseSaved,
  };
});
