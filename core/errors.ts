/**
 * Errors that cross every face intact: the CLI prints `message`, the bridge serialises
 * `{ name, code, message }`, the UI shows `message` where the action happened.
 */

/** What went wrong with the user's input; each code names a class of problem a person can act on. */
type HeadroomErrorCode =
  | 'BAD_ARGUMENT'
  | 'UNKNOWN_MODEL'
  | 'UNKNOWN_DEVICE'
  | 'UNKNOWN_FORMAT'
  | 'UNKNOWN_METHOD'
  | 'BAD_FILE'
  | 'FILE_NOT_FOUND'
  | 'FILE_EXISTS'
  | 'DETECTION_FAILED'
  | 'NOT_AVAILABLE';

/** The plain-data shape of an error, as it travels over IPC or HTTP. */
export interface SerializedError {
  readonly name: 'HeadroomError' | 'BugError';
  readonly code: HeadroomErrorCode | 'BUG';
  readonly message: string;
}

/** Invalid input or an unavailable resource: the message says what to do about it. */
export class HeadroomError extends Error {
  override readonly name = 'HeadroomError';
  constructor(
    readonly code: HeadroomErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** A state the code believes impossible: a defect in Headroom, never the user's fault. */
export class BugError extends Error {
  override readonly name = 'BugError';
  readonly code = 'BUG' as const;

  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Turns anything thrown into the serialisable shape; unknown throwables become bugs. */
export function serializeError(thrown: unknown): SerializedError {
  if (thrown instanceof HeadroomError || thrown instanceof BugError) return thrown.toJSON();
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { name: 'BugError', code: 'BUG', message };
}

/** Rebuilds the error object on the receiving side of a bridge. */
export function deserializeError(error: SerializedError): HeadroomError | BugError {
  if (error.name === 'HeadroomError' && error.code !== 'BUG') {
    return new HeadroomError(error.code, error.message);
  }
  return new BugError(error.message);
}

/** The envelope every bridge call returns (Podman Desktop / Mattermost pattern). */
export type Envelope<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SerializedError };
