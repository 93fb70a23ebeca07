import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HeadroomError } from '../../../../core/errors';
import { parseMeasuredFile } from '../../../../core/measure/import';

// Fixtures are short excerpts transcribed from logs people published in the engines' issues; the
// source of each is in the comment beside it (and in tests/fixtures/measure/SOURCES.md).
export const fixture = (name: string): string =>
  readFileSync(resolve('tests/fixtures/measure', name), 'utf8');
export const parse = (name: string) => parseMeasuredFile(fixture(name), name);

/** The error a parse throws, for its message. */
export function failure(name: string): HeadroomError {
  try {
    parse(name);
  } catch (thrown) {
    if (thrown instanceof HeadroomError) return thrown;
    throw thrown;
  }
  throw new Error(`${name} parsed`);
}
