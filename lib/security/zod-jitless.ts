/**
 * Import FIRST in every entry point that validates with zod (background, extension pages, workers):
 * zod v4 otherwise compiles object parsers with `new Function` and probes for it, which the extension's
 * Content Security Policy forbids (lib/security/csp.ts). Must run before any schema is built, because
 * zod reads the setting when a schema is created.
 */
import { config } from 'zod/v4/core';

config({ jitless: true });
