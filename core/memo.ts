/**
 * Answers remembered per object (weakly: a dropped model or architecture takes its answers with
 * it) and per string key, at most `limit` keys an object before they start over. For costly
 * pure computations that searches and sweeps ask again with the same inputs.
 */
export function memoPerObject<O extends object, V>(
  limit: number,
): (owner: O, key: string, compute: () => V) => V {
  const cache = new WeakMap<O, Map<string, V>>();
  return (owner, key, compute) => {
    let perKey = cache.get(owner);
    if (!perKey) {
      perKey = new Map();
      cache.set(owner, perKey);
    }
    const known = perKey.get(key);
    if (known !== undefined) return known;
    if (perKey.size >= limit) perKey.clear();
    const value = compute();
    perKey.set(key, value);
    return value;
  };
}
