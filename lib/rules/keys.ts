/** storage.local key of the manager's rule set (its own module: the content script imports it without zod). */
export const RULES_KEY = 'treatmentRules';
