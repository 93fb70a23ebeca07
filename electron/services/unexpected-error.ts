/**
 * What every face does with an error it did not expect (a defect, not bad input): one line that
 * says so and how to report it, exit code 3 on the command line, and no stack trace unless
 * HEADROOM_DEBUG=1 asks for one (issue 16, D3). Bad input stays a HeadroomError: exit 2, its
 * own message.
 */
import { HeadroomError, type Envelope, type SerializedError } from '../../core/errors';

/** Exit code of a defect (README "Exit codes"): 0 ok, 1 no fit, 2 bad input, 3 a Headroom bug. */
const EXIT_UNEXPECTED = 3;
/** Exit code of bad input (DESIGN.md "The faces' contracts"). */
export const EXIT_BAD_INPUT = 2;

/** The environment variable that turns stack traces back on. */
const DEBUG_ENV = 'HEADROOM_DEBUG';

/** Longest message repeated in the one line: a thrown 10 MB string is not echoed whole. */
const MAX_MESSAGE_CHARS = 300;

/** What to do about it, appended to every unexpected error. */
export const BUG_REPORT_HINT =
  'this is a bug in Headroom: please report it with the command you ran ' +
  `(${DEBUG_ENV}=1 prints the details)`;

/** Whether HEADROOM_DEBUG=1 asks for stack traces. */
function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[DEBUG_ENV] === '1';
}

/** A message on one line, clipped: newlines and runs of spaces become one space. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS)}…` : flat;
}

/**
 * The one line a face prints for an unexpected error.
 * @example unexpectedErrorLine(new RangeError('Invalid array length'))
 *   // "unexpected RangeError: Invalid array length — this is a bug in Headroom: …"
 */
export function unexpectedErrorLine(thrown: unknown): string {
  const name = thrown instanceof Error ? thrown.name : typeof thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return `unexpected ${name}: ${oneLine(message) || '(no message)'} — ${BUG_REPORT_HINT}`;
}

/** Whether something thrown is bad input (a HeadroomError) rather than a defect. */
function isBadInput(thrown: unknown): thrown is HeadroomError {
  return thrown instanceof HeadroomError;
}

/**
 * Writes what a command-line face prints for anything thrown and returns its exit code:
 * `prefix: message` and 2 for bad input; the unexpected line (and the stack with
 * HEADROOM_DEBUG=1) and 3 for everything else.
 */
export function reportThrown(
  prefix: string,
  thrown: unknown,
  write: (text: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (isBadInput(thrown)) {
    write(`${prefix}: ${thrown.message}\n`);
    return EXIT_BAD_INPUT;
  }
  write(`${prefix}: ${unexpectedErrorLine(thrown)}\n`);
  if (debugEnabled(env) && thrown instanceof Error && thrown.stack) write(`${thrown.stack}\n`);
  return EXIT_UNEXPECTED;
}

/** A bug's serialised form for the bridge: one line with the hint, never a stack. */
export function serializeUnexpected(thrown: unknown): SerializedError {
  if (thrown instanceof HeadroomError) return thrown.toJSON();
  return { name: 'BugError', code: 'BUG', message: unexpectedErrorLine(thrown) };
}

/**
 * A bridge answer with any BugError's message made the one line (with the hint) the page
 * shows; other answers unchanged.
 */
export function withBugHint<T>(envelope: Envelope<T>): Envelope<T> {
  if (envelope.ok || envelope.error.name !== 'BugError') return envelope;
  if (envelope.error.message.includes(BUG_REPORT_HINT)) return envelope;
  return {
    ok: false,
    error: {
      name: 'BugError',
      code: 'BUG',
      message: `${oneLine(envelope.error.message)} — ${BUG_REPORT_HINT}`,
    },
  };
}
