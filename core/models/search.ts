import { nearestNames } from '../suggest';
import { idStem } from './variants';

/**
 * Finding catalog models by what people type: partial, case- and punctuation-insensitive names
 * ("llama3.1 70", "qwen3 30b", "gpt oss"), or a full variant id ("Llama-3.1-70B-Instruct").
 */

/** What search reads of a model: its id and display name. */
interface Searchable {
  readonly id: string;
  readonly displayName: string;
}

/** Lowercase letters, digits and dots only: "Llama-3.1-70B" → "llama3.170b". */
function compact(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]/g, '');
}

/** The query's words, compacted, with variant words (instruct, it, fp8, 2507 …) left out. */
function queryWords(query: string): string[] {
  // idStem drops variant words from a name; reuse it on the query as if it were one (or on the
  // query itself when it is a whole org/name id).
  const dashed = query.trim().replace(/\s+/g, '-');
  const stem = (dashed.includes('/') ? idStem(dashed) : idStem(`q/${dashed}`)?.slice(2)) ?? query;
  return stem
    .split(/[\s/_-]+/)
    .map(compact)
    .filter((word) => word.length > 0);
}

/** The words of an id or name: "meta-llama/Llama-3.1-70B" → ["meta", "llama", "llama", "3.1", "70b"]. */
function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .filter((token) => token.length > 0);
}

/**
 * Whether a query word occurs from the start of some token, possibly running on into the next
 * ones ("llama3.1" over "llama", "3.1"), and a number does not stop inside a longer one ("4"
 * does not match "405b", "70" matches "70b").
 */
function wordMatches(word: string, haystack: readonly string[]): boolean {
  const endsInDigit = /\d$/.test(word);
  for (let start = 0; start < haystack.length; start++) {
    let joined = '';
    for (let end = start; end < haystack.length && joined.length < word.length; end++) {
      joined += haystack[end];
    }
    if (!joined.startsWith(word)) continue;
    const next = joined[word.length];
    if (!endsInDigit || next === undefined || !/\d/.test(next) || atTokenEnd(word, start, haystack))
      return true;
  }
  return false;
}

/** Whether `word`, matched from token `start`, ends exactly where a token ends. */
function atTokenEnd(word: string, start: number, haystack: readonly string[]): boolean {
  let length = 0;
  for (let index = start; index < haystack.length && length < word.length; index++) {
    length += haystack[index]!.length;
  }
  return length === word.length;
}

/**
 * How well a model matches: 0 best. Every query word must occur in the id or name (undefined
 * otherwise); the whole query spelled as the model's name ranks first, then a name that starts
 * with it, then one that holds it in one piece, then scattered words.
 */
function rank(model: Searchable, words: readonly string[]): number | undefined {
  const name = model.id.slice(model.id.indexOf('/') + 1);
  const stemName = idStem(model.id)?.split('/')[1] ?? name.toLowerCase();
  const haystack = [...tokens(model.id), ...tokens(model.displayName)];
  if (!words.every((word) => wordMatches(word, haystack))) return undefined;
  const joined = words.join('');
  const target = compact(stemName);
  if (target === joined) return 0;
  if (target.startsWith(joined)) return 1;
  if (`${compact(model.id)} ${compact(model.displayName)}`.includes(joined)) return 2;
  return 3;
}

/**
 * The models matching a query, best first, then in catalog order.
 *
 * @param query what was typed: "llama3.1 70", "Qwen3 30B", "gpt oss", "Llama-3.1-70B-Instruct"
 * @param models the catalog (or any list of id + display name)
 * @returns the matching models; all of them for an empty query
 * @example searchModels('llama3.1 70', catalog).map((m) => m.id) // ['meta-llama/Llama-3.1-70B']
 */
export function searchModels<T extends Searchable>(query: string, models: readonly T[]): T[] {
  const words = queryWords(query);
  if (words.length === 0) return [...models];
  const ranked: { model: T; score: number; index: number }[] = [];
  models.forEach((model, index) => {
    const score = rank(model, words);
    if (score !== undefined) ranked.push({ model, score, index });
  });
  ranked.sort((a, b) => a.score - b.score || a.index - b.index);
  return ranked.map((entry) => entry.model);
}

/**
 * The catalog ids closest to an id that is not in the catalog: search matches first, then the
 * nearest by edit distance (core/suggest.ts nearestNames), `limit` in all.
 *
 * @example closestModelIds('meta-llama/Llama-3.1-70B-Instruct-AWQ', ids)
 *   // ['meta-llama/Llama-3.1-70B', …]
 */
export function closestModelIds(typed: string, models: readonly Searchable[], limit = 3): string[] {
  const name = typed.slice(typed.indexOf('/') + 1);
  const found = searchModels(name, models).map((model) => model.id);
  const ids = models.map((model) => model.id);
  const nearest = nearestNames(typed, ids, limit + found.length);
  return [...new Set([...found, ...nearest])].slice(0, limit);
}
