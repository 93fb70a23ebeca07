/**
 * A small YAML writer for flat configuration files: maps of maps of scalars, comments on top.
 * Strings are quoted unless they are plain words that no YAML 1.1 or 1.2 reader would take for
 * anything else (PyYAML, which accelerate uses, reads `no`, `on`, `yes` as booleans).
 */

type YamlScalar = string | number | boolean;
export interface YamlMap {
  readonly [key: string]: YamlScalar | YamlMap;
}

/** YAML 1.1 booleans and nulls (yaml.org/type/bool.html, null.html), compared in lower case. */
const RESERVED_WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * One scalar: numbers and booleans bare, strings bare when safe, else double-quoted with JSON
 * escapes (a JSON string is a valid YAML double-quoted scalar).
 * @example yamlScalar('no') // "\"no\""
 */
export function yamlScalar(value: YamlScalar): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`YAML number must be finite: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return PLAIN_WORD.test(value) && !RESERVED_WORDS.has(value.toLowerCase())
    ? value
    : JSON.stringify(value);
}

function mapLines(map: YamlMap, indent: string): string[] {
  return Object.entries(map).flatMap(([key, value]) => {
    const name = yamlScalar(key);
    return typeof value === 'object'
      ? [`${indent}${name}:`, ...mapLines(value, `${indent}  `)]
      : [`${indent}${name}: ${yamlScalar(value)}`];
  });
}

/**
 * A YAML document: `# ` comment lines, then the map, ending with a newline.
 * @example yamlDocument({ a: { b: 1 } }, ['note']) // "# note\na:\n  b: 1\n"
 */
export function yamlDocument(map: YamlMap, comments: readonly string[] = []): string {
  return [
    ...comments.map((comment) => `# ${comment.replace(/[\r\n]+/g, ' ')}`),
    ...mapLines(map, ''),
    '',
  ].join('\n');
}
