import { expect } from 'vitest';

/**
 * Asserts that a site's `<HOST>_SELECTORS` constant is plain data (issue 17, "selectors as data"):
 * every value is a string or an array of strings (nested one level under `paths` and similar
 * groups), every selector parses, and every entry under `paths` is a regular expression's source.
 */
export function expectSelectorsAsData(selectors: Record<string, unknown>, doc: Document): void {
  const check = (key: string, value: unknown, group?: string): void => {
    if (typeof value === 'string') {
      if (group === 'paths') expect(() => new RegExp(value), `${group}.${key}`).not.toThrow();
      else expect(() => doc.querySelectorAll(value), `${key}: ${value}`).not.toThrow();
    } else if (Array.isArray(value)) {
      for (const item of value) {
        expect(typeof item, `${group ?? ''}.${key}`).toBe('string');
        if (group !== 'paths') check(key, item, group);
      }
    } else {
      expect(group, `${key} nests only one level`).toBeUndefined();
      expect(typeof value, key).toBe('object');
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) check(inner, innerValue, key);
    }
  };
  for (const [key, value] of Object.entries(selectors)) check(key, value);
}
