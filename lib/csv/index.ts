/**
 * Tabular file reading shared by the command line and the browser import wizard: pure TypeScript,
 * no Node or browser APIs (callers read files and pass text or chunks).
 */
export * from './columns';
export * from './dates';
export * from './dialect';
export * from './errors';
export * from './numbers';
export * from './scan';
export * from './table';
export * from './transactions';
