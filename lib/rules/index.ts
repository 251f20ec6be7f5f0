/** Treatment rules: schema, engine, templates, defaults, import/export and the team policy. */
export * from './schema';
export * from './subject';
export * from './template';
export * from './engine';
export * from './defaults';
export * from './transfer';
export * from './policy';
export * from './stored';
