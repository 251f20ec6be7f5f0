#!/usr/bin/env node
// The `centric` command. The engine is TypeScript: tsx's ESM loader compiles it on the fly.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../lib/cli/node.ts');
process.exitCode = await run(process.argv.slice(2));
