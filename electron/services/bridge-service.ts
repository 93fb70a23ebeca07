import { z } from 'zod';
import type {
  AnyPlanRequest,
  BridgeMethod,
  DetectionReport,
  Face,
  FormatSummary,
  HeadroomBridge,
  MeasuredComparison,
} from '../../core/bridge';
import { DEVICE_CATALOG } from '../../core/devices/catalog';
import { HeadroomError, serializeError, type Envelope } from '../../core/errors';
import { FORMATS } from '../../core/formats/catalog';
import { modelCatalog } from '../../core/models/catalog';
import type { ModelSpec } from '../../core/models/types';
import { resolvePlanTargets, type DeviceResolver } from '../../core/plan/lookups';
import { planFromRequest } from '../../core/plan/plan-request';
import { planTrainingRequest } from '../../core/plan/training-fit';
import type { Plan } from '../../core/plan/types';
import { applyCorrections, type MemoryCorrection } from '../../core/measure/corrections';
import { findModel, MODEL_IDS } from '../../core/models/catalog';
import { didYouMean } from '../../core/suggest';
import { planServing } from '../../core/serving/serving-plan';
import { servingRequestOf } from '../../core/serving/serving-request';
import { compareStored, deriveStored, importUploads } from '../measure/measure-bridge';
import { measureDir, readCorrections } from '../measure/store';
import { APP_VERSION } from './app-version';
import { ARGUMENT_SCHEMAS } from './bridge-schemas';
import type { DetectResult } from './detect';
import { createLocalDevices, localDeviceResolver, type LocalDevices } from './local-devices';
import { resolveModelArgument } from './model-files';
import { createScanRegistry } from './quantlab-bridge';
import { exportReport, launchSettingsFor, saveReportAs, type ReportContext } from './report-export';
import type { ReportFormat } from '../../core/report';
import { createBrowserSettings, type SettingsStore } from './settings';

export { MAX_PLANS_PER_BATCH } from './bridge-schemas';

interface BridgeServiceOptions {
  /** Where detected devices come from (this machine, or a recording); created on first use. */
  readonly localDevices?: LocalDevices;
  /** Where settings are kept; browser mode's config folder when absent (created on first use). */
  readonly settings?: SettingsStore;
  /** Refuses a path before it is opened (the desktop checks dropped and chosen paths). */
  readonly checkModelPath?: (path: string) => void;
  /** Desktop: native dialogs for saving a report and choosing a file to scan. */
  readonly dialogs?: BridgeDialogs;
  /** Desktop: prints report HTML with Electron; headless Chromium when absent. */
  readonly printPdf?: (html: string, footer: string) => Promise<Uint8Array>;
  /** Refuses a scan path before it is opened (the desktop accepts only its dialog's). */
  readonly checkScanPath?: (path: string) => void;
  /** Where measured runs and corrections are kept; the CLI's folder (measureDir) when absent. */
  readonly measureDir?: string;
}

/** The desktop's native dialogs; browser mode has none (it downloads, and types paths). */
interface BridgeDialogs {
  chooseReportPath(suggestedName: string, format: ReportFormat): Promise<string | null>;
  chooseScanPath(): Promise<string | null>;
}

function desktopOnly(what: string): never {
  throw new HeadroomError(
    'NOT_AVAILABLE',
    `${what} needs the desktop app; in a browser the file is downloaded or its path typed.`,
  );
}

/** Models opened from files that plan requests may name; the oldest go first past this many. */
const MAX_OPENED_MODELS = 32;

/** The report a renderer sees: detection's result without the Node-side capture details. */
function detectionReport(result: DetectResult): DetectionReport {
  return {
    devices: result.devices,
    probes: result.probes,
    gpuVerdict: result.gpuVerdict,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ...(result.replayedFrom ? { replayedFrom: result.replayedFrom } : {}),
  };
}

/** A plan request whose model may already be resolved (a model opened from a file). */
type ResolvedAnyRequest = AnyPlanRequest & { readonly model?: ModelSpec };

function planAny(request: ResolvedAnyRequest, resolve: DeviceResolver | undefined): Plan {
  return request.mode === 'training'
    ? planTrainingRequest(request, resolve)
    : planFromRequest(request, resolve);
}

/**
 * The Node-side implementation of the bridge, shared by the IPC handlers (desktop) and the
 * HTTP server (browser mode), so both faces answer the same calls the same way. Plans go
 * through the same core functions as the CLI's; `local:N` ids resolve to detected devices.
 */
export function createBridgeService(
  face: Face,
  options: BridgeServiceOptions = {},
): HeadroomBridge {
  const formats: readonly FormatSummary[] = FORMATS.map((format) => ({
    id: format.id,
    label: format.label,
    family: format.family,
    bitsPerWeight: format.bitsPerWeight,
    kvCapable: format.kvCapable,
    qualityRank: format.qualityRank,
    engines: format.engines,
  }));
  let local = options.localDevices;
  const localDevices = (): LocalDevices => (local ??= createLocalDevices());
  let latest: DetectResult | undefined;
  let settings = options.settings;
  const settingsStore = (): SettingsStore => (settings ??= createBrowserSettings());
  /** Models opened with openModelPath, by spec id (insertion order: oldest first). */
  const opened = new Map<string, ModelSpec>();

  /** Plans one request: an opened model by its id, anything else as the CLI does. */
  const planOne = (request: AnyPlanRequest, resolve: DeviceResolver | undefined): Plan => {
    const model = request.modelId === undefined ? undefined : opened.get(request.modelId);
    // An opened model is named by its id; the planner takes the imported spec itself.
    return planAny(model ? { ...request, modelId: undefined, model } : request, resolve);
  };

  /** Detection runs only once a request names a `local:N` device (or the UI asks for it). */
  const resolverFor = async (
    requests: readonly AnyPlanRequest[],
  ): Promise<DeviceResolver | undefined> => {
    if (
      !requests.some((request) =>
        request.deviceIds.some((deviceId) => deviceId.startsWith('local:')),
      )
    )
      return undefined;
    latest ??= await localDevices().detect();
    return localDeviceResolver(latest);
  };

  const modelOf = (request: AnyPlanRequest): ModelSpec => {
    const model = request.modelId === undefined ? undefined : opened.get(request.modelId);
    if (model) return model;
    const { modelId, params } = request;
    return resolvePlanTargets({
      ...(modelId !== undefined ? { modelId } : {}),
      ...(params !== undefined ? { params } : {}),
      deviceIds: [],
    }).model;
  };
  const measurements = options.measureDir ?? measureDir();
  /** The stored runs re-planned, corrected when the settings turn corrections on. */
  const compareNow = async (): Promise<MeasuredComparison> =>
    compareStored(measurements, (await settingsStore().read()).applyCorrections);
  const reports: ReportContext = {
    plan: planOne,
    modelOf,
    devicesOf: (request, resolve) =>
      resolvePlanTargets(
        {
          model: modelOf(request),
          deviceIds: request.deviceIds,
          ...(request.customDevices ? { customDevices: request.customDevices } : {}),
        },
        resolve,
      ).devices,
    detection: async () => {
      latest ??= await localDevices().detect();
      return { result: latest, resolve: localDeviceResolver(latest) };
    },
    ...(options.printPdf ? { printPdf: options.printPdf } : {}),
    // The runs as the Measurements view shows them (corrected when the settings say so).
    measured: async () => {
      const compared = await compareNow();
      return { corrected: compared.corrected, runs: compared.runs };
    },
  };
  /**
   * The corrections plans apply: none unless the settings turn them on. Read once, then kept
   * until this service derives new ones or the setting changes.
   */
  let activeCorrections: Promise<readonly MemoryCorrection[]> | undefined;
  const correctionsNow = (): Promise<readonly MemoryCorrection[]> =>
    (activeCorrections ??= settingsStore()
      .read()
      .then((current) => (current.applyCorrections ? readCorrections(measurements) : [])));
  const corrected = async (plans: () => Plan): Promise<Plan> => {
    const corrections = await correctionsNow();
    const plan = plans();
    return corrections.length > 0 ? applyCorrections(plan, corrections) : plan;
  };
  const scans = createScanRegistry(
    options.checkScanPath ? { checkPath: options.checkScanPath } : {},
  );

  return {
    appInfo: async () => ({
      name: 'Headroom',
      version: APP_VERSION,
      face,
      platform: process.platform,
    }),
    listModels: async () => modelCatalog(),
    listDevices: async () => DEVICE_CATALOG,
    listFormats: async () => formats,
    plan: async (request) => {
      const resolve = await resolverFor([request]);
      return corrected(() => planOne(request, resolve));
    },
    planTraining: async (request) => {
      const resolve = await resolverFor([request]);
      return corrected(() => planOne(request, resolve));
    },
    planBatch: async (requests) => {
      const resolve = await resolverFor(requests);
      const corrections = await correctionsNow();
      // One envelope per request: a failing request answers its error, the others their plans.
      return requests.map((request): Envelope<Plan> => {
        try {
          const plan = planOne(request, resolve);
          return {
            ok: true,
            value: corrections.length > 0 ? applyCorrections(plan, corrections) : plan,
          };
        } catch (thrown) {
          return { ok: false, error: serializeError(thrown) };
        }
      });
    },
    detectDevices: async () => detectionReport((latest = await localDevices().detect())),
    refreshDevices: async () => detectionReport((latest = await localDevices().refresh())),
    getSettings: () => settingsStore().read(),
    saveSettings: async (patch) => {
      const saved = await settingsStore().save(patch);
      if (patch.applyCorrections !== undefined) activeCorrections = undefined;
      return saved;
    },
    openModelPath: async (path) => {
      options.checkModelPath?.(path);
      const spec = await resolveModelArgument(path);
      if (spec.source.kind !== 'catalog') {
        opened.delete(spec.id);
        opened.set(spec.id, spec);
        if (opened.size > MAX_OPENED_MODELS) opened.delete(opened.keys().next().value!);
      }
      return spec;
    },
    exportReport: (request) => exportReport(request, reports),
    saveReport: async (request) =>
      options.dialogs
        ? saveReportAs(request, reports, options.dialogs.chooseReportPath)
        : desktopOnly('Saving through a dialog'),
    launchSettings: (request, engine) => launchSettingsFor(request, engine, reports),
    chooseScanPath: async () =>
      options.dialogs ? options.dialogs.chooseScanPath() : desktopOnly('A file dialog'),
    startScan: async (request) => scans.start(request),
    scanStatus: async (scanId) => scans.status(scanId),
    cancelScan: async (scanId) => scans.cancel(scanId),
    importMeasuredRuns: (request) => importUploads(request, measurements, new Date().toISOString()),
    compareMeasuredRuns: compareNow,
    deriveCorrections: async () => {
      const corrections = await deriveStored(measurements);
      activeCorrections = undefined;
      return corrections;
    },
    servePlan: async (request) => {
      const model = opened.get(request.modelId) ?? findModel(request.modelId);
      if (!model) {
        throw new HeadroomError(
          'UNKNOWN_MODEL',
          `No model "${request.modelId}" in the catalog or among the opened files. ${didYouMean(request.modelId, MODEL_IDS)}`.trim(),
        );
      }
      const prices = (await settingsStore().read()).servingPricesUsdPerHour;
      return planServing(servingRequestOf(request, model, prices, APP_VERSION));
    },
  };
}

function isBridgeMethod(name: string): name is BridgeMethod {
  return Object.hasOwn(ARGUMENT_SCHEMAS, name);
}

/**
 * Validates a call by name and arguments, runs it, and wraps the outcome in an envelope.
 * Never throws: errors travel as data and are rethrown on the renderer's side.
 */
export async function dispatchBridgeCall(
  service: HeadroomBridge,
  methodName: string,
  args: unknown,
): Promise<Envelope<unknown>> {
  try {
    if (!isBridgeMethod(methodName)) {
      throw new HeadroomError('UNKNOWN_METHOD', `"${methodName}" is not a Headroom bridge call.`);
    }
    const parsed = ARGUMENT_SCHEMAS[methodName].safeParse(args);
    if (!parsed.success) {
      throw new HeadroomError(
        'BAD_ARGUMENT',
        `Bad arguments for ${methodName}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`,
      );
    }
    const method = service[methodName] as (...a: unknown[]) => Promise<unknown>;
    const value = await method.apply(service, parsed.data as unknown[]);
    return { ok: true, value };
  } catch (thrown) {
    return { ok: false, error: serializeError(thrown) };
  }
}
