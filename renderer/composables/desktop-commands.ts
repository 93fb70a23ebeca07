import { onBeforeUnmount, onMounted } from 'vue';
import type { AppCommand } from '../../core/bridge';
import { desktopShell } from '../bridge/desktop';
import { useExportStore } from '../stores/export-store';
import { useMeasurementsStore } from '../stores/measurements-store';
import { useModelStore } from '../stores/model-store';
import { useNavigationStore } from '../stores/navigation-store';
import { useSettingsStore } from '../stores/settings-store';

/**
 * Carries out the desktop menu's commands (File → Open Model…, File → Export Report…, File →
 * Import Measured Run…, View → Theme) while the component lives. In a browser there is no menu, and this does nothing.
 */
export function useDesktopCommands(): void {
  const model = useModelStore();
  const settings = useSettingsStore();
  const exporter = useExportStore();
  const navigation = useNavigationStore();
  const measurements = useMeasurementsStore();
  let stop: (() => void) | undefined;
  const run = (command: AppCommand): void => {
    switch (command.kind) {
      case 'open-model-path':
        void model.openPath(command.path);
        return;
      case 'set-theme':
        settings.setTheme(command.theme);
        return;
      case 'export-report':
        navigation.open('compare');
        exporter.show();
        return;
      case 'import-measured-files':
        navigation.open('measurements');
        void measurements.importFiles(command.files, { deviceId: '', modelRef: '' });
        return;
    }
  };
  onMounted(() => {
    stop = desktopShell()?.onCommand(run);
  });
  onBeforeUnmount(() => stop?.());
}
