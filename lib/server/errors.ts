/**
 * A refusal with a stable code (issue 19): the service's error handler (lib/server/app.ts) turns it into
 * its JSON answer `{ "error": { "code", "message", …details } }`. In a module of its own so that the
 * service's parts (imports, scores) can refuse with words without importing the app.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
