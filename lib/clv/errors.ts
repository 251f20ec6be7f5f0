/**
 * Typed errors of the value engine. Every failure a caller can meet is one of these, with a message a
 * person understands: no NaN or Infinity ever leaves lib/clv as a number.
 */
export type ClvErrorCode =
  | 'invalid-input' // data that cannot be modelled (negative counts, t_x > T, empty data, …)
  | 'invalid-params' // parameters outside the model's domain (non-positive, q <= 1 for Gamma-Gamma, …)
  | 'numeric' // a special function or likelihood could not be evaluated to a finite value
  | 'not-converged' // the optimizer gave up (the result is still returned with converged: false where possible)
  | 'unsupported'; // a quantity the model does not define

export class ClvError extends Error {
  readonly code: ClvErrorCode;
  /** Where: a field, a row, a parameter name. */
  readonly detail?: Record<string, unknown>;
  constructor(code: ClvErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'ClvError';
    this.code = code;
    this.detail = detail;
  }
}

/** Throws a ClvError('numeric') when a computed value is not finite; returns it otherwise. */
export function finiteOrThrow(value: number, what: string, detail?: Record<string, unknown>): number {
  if (!Number.isFinite(value)) {
    throw new ClvError('numeric', `Could not compute ${what}: the result was not a finite number.`, {
      ...detail,
      value: String(value),
    });
  }
  return value;
}
