/**
 * Checks for the fields of a host API's JSON answer, by hand (content scripts carry no zod): only
 * the shapes an identity needs, everything else ignored. Shared by the host API modules.
 */
export type Fields = Record<string, unknown>;

export const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A record id as hosts' APIs give it: a positive safe integer. */
export const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Text of at most `max` characters (whitespace collapsed); undefined when absent, empty or not text. */
export const textOf = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() ? value.replace(/\s+/g, ' ').trim().slice(0, max) : undefined;

const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;

/** A single email address (lower case), or undefined when the value is not one. */
export const emailOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length <= 320 && EMAIL.test(value.trim()) ? value.trim().toLowerCase() : undefined;
