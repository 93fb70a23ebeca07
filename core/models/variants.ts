/**
 * Repo ids that name a variant of a catalog model: the same architecture under another name.
 * Hugging Face publishes post-trained and re-packaged checkpoints beside each base model
 * (`-Instruct`, `-it`, `-chat`, `-Thinking`, `-Base`, `-pt`, `-hf`, `-FP8`, release dates such as
 * `-2507`), and people type those ids; they resolve to the catalog entry whose stem they share.
 */

/** Name words that mark a variant, not an architecture. */
const VARIANT_WORDS = new Set(['instruct', 'it', 'chat', 'thinking', 'base', 'pt', 'hf', 'fp8']);
/** A release date word (`2501`, `0905`, `2507`): YYMM or MMDD, never a size. */
const DATE_WORD = /^\d{4}$/;
/** Meta's older repo names repeat the org: `Meta-Llama-3.1-70B-Instruct` is `Llama-3.1-70B`. */
const META_PREFIX = 'meta-';

/**
 * The architecture stem of a repo id: lowercased, with variant and date words removed from the
 * name and a leading `Meta-` dropped. Two ids with the same stem name one architecture.
 *
 * @param id "org/name"
 * @returns "org/stem", or undefined when the id is not of the form org/name
 * @example idStem('meta-llama/Meta-Llama-3.1-70B-Instruct') // 'meta-llama/llama-3.1-70b'
 * @example idStem('Qwen/Qwen3-30B-A3B-Instruct-2507') // 'qwen/qwen3-30b-a3b'
 */
export function idStem(id: string): string | undefined {
  const parts = id.trim().toLowerCase().split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  const [org, name] = parts as [string, string];
  const words = (name.startsWith(META_PREFIX) ? name.slice(META_PREFIX.length) : name).split(
    /[-_]/,
  );
  const kept = words.filter(
    (word, index) => index === 0 || !(VARIANT_WORDS.has(word) || DATE_WORD.test(word)),
  );
  return `${org}/${kept.join('-')}`;
}

/** Whether the variant id names an FP8 checkpoint (`-FP8`, `-fp8-dynamic` …). */
export function isFp8Variant(id: string): boolean {
  return /(^|[-_])fp8($|[-_])/i.test(id.slice(id.indexOf('/') + 1));
}

/**
 * The sentence a resolved variant's source carries, so every plan says which entry it used.
 * @example variantNote('Qwen/Qwen3-8B-FP8', 'Qwen/Qwen3-8B')
 *   // 'Qwen/Qwen3-8B-FP8 resolves to the catalog entry Qwen/Qwen3-8B (same architecture; weights fp8_e4m3)'
 */
export function variantNote(typedId: string, baseId: string): string {
  const weights = isFp8Variant(typedId) ? '; weights fp8_e4m3' : '';
  return `${typedId.trim()} resolves to the catalog entry ${baseId} (same architecture${weights})`;
}
