import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';
import { desktopShell } from '../bridge/desktop';
import { useModelStore } from '../stores/model-store';

/** Said when a browser page is given a file: it cannot know where the file lives. */
const BROWSER_DROP_MESSAGE =
  'A browser cannot tell Headroom where a dropped file lives: type its path on the server instead.';

/**
 * Opens a model file or folder dropped anywhere on the window (desktop: its path comes from
 * the preload). Returns whether files are being dragged over the window, for a drop hint.
 */
export function useModelDrop(): Ref<boolean> {
  const model = useModelStore();
  const dragging = ref(false);
  /** dragenter/dragleave fire for every child element; a counter tells when the window is left. */
  let depth = 0;

  const carriesFiles = (event: DragEvent): boolean =>
    event.dataTransfer?.types.includes('Files') ?? false;

  const onEnter = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    depth++;
    dragging.value = true;
  };
  const onLeave = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) dragging.value = false;
  };
  const onOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    // Without this the page would navigate to the file (the main process refuses that anyway).
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    dragging.value = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    const shell = desktopShell();
    if (!shell) {
      model.openError = BROWSER_DROP_MESSAGE;
      return;
    }
    if (files.length !== 1) {
      model.openError = `Drop one model file or folder (${files.length} were dropped): a folder holds its shards.`;
      return;
    }
    void model.openPath(shell.pathForFile(files[0]!));
  };

  onMounted(() => {
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('dragenter', onEnter);
    window.removeEventListener('dragleave', onLeave);
    window.removeEventListener('dragover', onOver);
    window.removeEventListener('drop', onDrop);
  });
  return dragging;
}
