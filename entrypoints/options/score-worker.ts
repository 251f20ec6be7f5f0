/**
 * The scoring worker: fits the model and scores every customer in the `centric` database off the
 * page's main thread (lib/scoring/store.ts). Wiring only.
 */
import '~/lib/security/zod-jitless'; // first: zod must not compile with new Function (extension CSP)
import { CentricDb } from '~/lib/db/db';
import type { FromScoreWorker, ToScoreWorker } from '~/lib/scoring/protocol';
import { scoreStore } from '~/lib/scoring/store';

const post = (message: FromScoreWorker) => postMessage(message);

onmessage = async (event: MessageEvent<ToScoreWorker>) => {
  const started = performance.now();
  const db = new CentricDb();
  try {
    const result = await scoreStore(db, event.data.settings, {
      onProgress: (stage, fraction) => post({ type: 'progress', stage, fraction }),
    });
    post({ type: 'done', result, milliseconds: performance.now() - started });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    db.close();
  }
};
