/** The customer pyramid: configuration, assignment and explanations. */
export * from './config';
export * from './assign';
export * from './explain';
