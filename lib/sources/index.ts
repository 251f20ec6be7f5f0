/**
 * Remote score sources: lookup services (one customer at a time) and shared score files, with their
 * configuration, requests, answers, cache, and which source the sidebar shows. Pure TypeScript with
 * everything from outside injected (fetch, clock, sleep, random): the background wires it up.
 */
export * from './cache';
export * from './config';
export * from './errors';
export * from './fetch-policy';
export * from './precedence';
export * from './response';
export * from './score-file';
export * from './url';
export * from './view';
