import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { Dashboard } from '~/components/options/dashboard/Dashboard';
import { DataSection } from '~/components/options/DataSection';
import { ImportWizard } from '~/components/options/ImportWizard';
import { ScoringSection } from '~/components/options/ScoringSection';
import { SitesSection } from '~/components/options/SitesSection';
import { SourcesSection } from '~/components/options/sources/SourcesSection';
import { TreatmentsSection } from '~/components/options/treatments/TreatmentsSection';
import { CentricDb } from '~/lib/db/db';
import { ask } from '~/lib/messages/client';
import { readBundledSample } from '~/lib/sample/bundled';
import { loadSampleData } from '~/lib/sample/install';
import ImportWorker from './import-worker.ts?worker';
import ScoreWorker from './score-worker.ts?worker';

/** Extension pages share the background's origin, so the options page opens the same database. */
const db = new CentricDb();

const createImportWorker = () => new ImportWorker();
const createScoreWorker = () => new ScoreWorker();

async function loadBundledSample(): Promise<void> {
  await loadSampleData(db, await readBundledSample());
}

export function OptionsApp() {
  // The background answers once its first-run work (loading the bundled sample) is done.
  const ready = useSignal<'waiting' | 'ready' | string>('waiting');
  /** Bumped after every change to the store, so the sections re-read it. */
  const storeVersion = useSignal(0);
  /** Bumped when new data arrives (an import, the sample): scoring starts by itself. */
  const dataVersion = useSignal(0);
  useEffect(() => {
    ask({ type: 'status' })
      .then(() => (ready.value = 'ready'))
      .catch((error: unknown) => (ready.value = `Centric's background did not answer: ${String(error)}`));
  }, []);
  const changed = () => storeVersion.value++;
  const dataArrived = () => {
    changed();
    dataVersion.value++;
  };

  return (
    <>
      <header class="page-header">
        <h1 class="brand">Centric</h1>
        <span class="muted">customer value where you work</span>
        <nav class="page-nav" aria-label="Sections">
          <a href="#dashboard">Value</a>
          <a href="/report.html" target="_blank" rel="noopener" data-testid="report-link">Report</a>
          <a href="#scoring">Scoring</a>
          <a href="#treatments">Treatments</a>
          <a href="#sources">Sources</a>
          <a href="#import">Import</a>
          <a href="#data">Data</a>
          <a href="#sites">Sites</a>
        </nav>
      </header>
      <main class="options" data-testid="options-page">
        {ready.value === 'ready' ? (
          <>
            <div id="dashboard">
              <Dashboard key={storeVersion.value} db={db} />
            </div>
            <div id="scoring">
              <ScoringSection db={db} createWorker={createScoreWorker} dataVersion={dataVersion.value} onScored={changed} />
            </div>
            <div id="treatments">
              <TreatmentsSection db={db} />
            </div>
            <div id="sources">
              <SourcesSection />
            </div>
            <div id="import">
              <ImportWizard
                db={db}
                createWorker={createImportWorker}
                onImported={dataArrived}
                onLoadSample={async () => {
                  await loadBundledSample();
                  dataArrived();
                }}
              />
            </div>
            <div id="data">
              <DataSection key={storeVersion.value} db={db} onChanged={changed} />
            </div>
          </>
        ) : (
          <p class="card" role={ready.value === 'waiting' ? 'status' : 'alert'}>
            {ready.value === 'waiting' ? 'Preparing your data…' : ready.value}
          </p>
        )}
        <SitesSection />
      </main>
    </>
  );
}
