import type { CatalogEntry } from './catalog/builders';
import { CLASSIC_MODELS } from './catalog/classic';
import { LLAMA_MODELS } from './catalog/llama';
import { MISTRAL_QWEN_MODELS } from './catalog/mistral-qwen';
import { OTHER_MODELS } from './catalog/others';
import { RECENT_DENSE_MODELS } from './catalog/recent-dense';
import { RECENT_MOE_MODELS } from './catalog/recent-moe';
import { countParameters } from './count';
import type { ModelSpec } from './types';
import { idStem, isFp8Variant, variantNote } from './variants';

export { paramsOnlyModel, parseParamCount } from './params';

/**
 * The built-in models' entries, keyed by Hugging Face repo id. Architectures are transcribed
 * from each model's config.json (see catalog/*.ts for the citation of every entry); params and
 * activeParams are counted from them, never typed in — on first use, one model at a time
 * (STYLE.md 15: a plan for one model does not count the parameters of the whole catalog).
 */
const ENTRIES: readonly CatalogEntry[] = [
  ...LLAMA_MODELS,
  ...MISTRAL_QWEN_MODELS,
  ...OTHER_MODELS,
  ...RECENT_DENSE_MODELS,
  ...RECENT_MOE_MODELS,
  ...CLASSIC_MODELS,
];

/** The catalog's model ids, in catalog order (for listings and "did you mean"). */
export const MODEL_IDS: readonly string[] = ENTRIES.map((entry) => entry.id);

const BY_LOWERCASE_ID: ReadonlyMap<string, CatalogEntry> = new Map(
  ENTRIES.map((entry) => [entry.id.toLowerCase(), entry]),
);

/** Entries by architecture stem, so `-Instruct`, `-it`, `-FP8` … ids find their base entry. */
const BY_STEM: ReadonlyMap<string, CatalogEntry> = new Map(
  ENTRIES.map((entry) => [idStem(entry.id) ?? entry.id.toLowerCase(), entry]),
);

const SPECS = new Map<CatalogEntry, ModelSpec>();
let allSpecs: readonly ModelSpec[] | undefined;

function specOf(entry: CatalogEntry): ModelSpec {
  let spec = SPECS.get(entry);
  if (spec === undefined) {
    spec = toModelSpec(entry);
    SPECS.set(entry, spec);
  }
  return spec;
}

/**
 * The built-in models with their counted parameters, in catalog order (built on first call;
 * the same objects every call).
 */
export function modelCatalog(): readonly ModelSpec[] {
  allSpecs ??= ENTRIES.map(specOf);
  return allSpecs;
}

/**
 * Looks a model up by its Hugging Face repo id, ignoring case. A variant id (`-Instruct`, `-it`,
 * `-chat`, `-Thinking`, `-Base`, `-FP8`, a release date …) resolves to its base entry: the spec
 * keeps the base id and its source says which id was asked for (core/models/variants.ts).
 *
 * @param id e.g. "meta-llama/Llama-2-7b-hf", "META-LLAMA/llama-2-7B-HF" or "Qwen/Qwen3-8B-FP8"
 * @returns the catalog entry, or undefined when neither the id nor its stem is in the catalog
 * @example findModel('mistralai/mistral-7b-v0.1')?.params // 7241732096
 * @example findModel('meta-llama/Llama-3.1-70B-Instruct')?.id // 'meta-llama/Llama-3.1-70B'
 */
export function findModel(id: string): ModelSpec | undefined {
  const entry = BY_LOWERCASE_ID.get(id.trim().toLowerCase());
  if (entry !== undefined) return specOf(entry);
  const stem = idStem(id);
  const base = stem === undefined ? undefined : BY_STEM.get(stem);
  return base === undefined ? undefined : variantSpec(id, specOf(base));
}

/** A base entry's spec as a variant id resolves to it: the same numbers, the source saying so. */
function variantSpec(typedId: string, base: ModelSpec): ModelSpec {
  const config = base.source.kind === 'catalog' ? base.source.config : base.id;
  return {
    ...base,
    source: { kind: 'catalog', config: `${config} (${variantNote(typedId, base.id)})` },
    publishedFormat: isFp8Variant(typedId) ? 'fp8_e4m3' : base.publishedFormat,
  };
}

function toModelSpec(entry: CatalogEntry): ModelSpec {
  const { params, activeParams } = countParameters(entry.architecture);
  return {
    id: entry.id,
    displayName: entry.displayName,
    source: { kind: 'catalog', config: entry.config },
    params,
    activeParams,
    architecture: entry.architecture,
    publishedFormat: entry.publishedFormat,
  };
}
