import type { BridgeMethod } from '../../../core/bridge';

/** The one list of IPC channel names: a bridge method each, nothing else is exposed. */
export const Channel = {
  appInfo: 'headroom:app-info',
  listModels: 'headroom:list-models',
  listDevices: 'headroom:list-devices',
  listFormats: 'headroom:list-formats',
  plan: 'headroom:plan',
  planBatch: 'headroom:plan-batch',
  planTraining: 'headroom:plan-training',
  detectDevices: 'headroom:detect-devices',
  refreshDevices: 'headroom:refresh-devices',
  getSettings: 'headroom:get-settings',
  saveSettings: 'headroom:save-settings',
  openModelPath: 'headroom:open-model-path',
  exportReport: 'headroom:export-report',
  saveReport: 'headroom:save-report',
  launchSettings: 'headroom:launch-settings',
  chooseScanPath: 'headroom:choose-scan-path',
  startScan: 'headroom:start-scan',
  scanStatus: 'headroom:scan-status',
  cancelScan: 'headroom:cancel-scan',
  importMeasuredRuns: 'headroom:import-measured-runs',
  compareMeasuredRuns: 'headroom:compare-measured-runs',
  deriveCorrections: 'headroom:derive-corrections',
  servePlan: 'headroom:serve-plan',
} as const satisfies { readonly [M in BridgeMethod]: `headroom:${string}` };

/** Channels the main process sends on (to the page), never invoked by it. */
export const EventChannel = {
  /** A menu command for the page (AppCommand in core/bridge.ts). */
  command: 'headroom:command',
} as const;
