import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { Dashboard } from '~/components/options/dashboard/Dashboard';
import { DataSection } from '~/components/options/DataSection';
import { ImportWizard } from '~/components/options/ImportWizard';
import { ScoringSection } from '~/components/options/ScoringSection';
import { SitesSection } from '~/components/options/SitesSection';
import { SourcesSection } from '~/components/options/sources/SourcesSection';
import { TeamSection } from '~/components/options/team/TeamSection';
import { TreatmentsSection } from '~/components/options/treatments/TreatmentsSection';
import { CentricDb } from '~/lib/db/db';
import { ask } from '~/lib/messages/client';
import { readBundledSample } from '~/lib/extension/bundled-sample';
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

/** Scrolls to the section with this id and moves the keyboard focus there. */
function showSection(id: string): void {
  const section = id ? document.getElementById(id) : null;
  if (!section) return;
  if (!section.hasAttribute('tabindex')) section.setAttribute('tabindex', '-1');
  section.scrollIntoView({ block: 'start' });
  section.focus({ preventScroll: true });
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
  /** Bumped when the settings were replaced (erase everything, restore a backup): those sections read them again. */
  const settingsVersion = useSignal(0);
  // options.html#sites (the popup, the welcome page) and the navigation: the sections above load
  // after the background is ready, so the section is shown and focused once they are there.
  useEffect(() => {
    if (ready.value !== 'ready') return;
    const show = () => showSection(location.hash.slice(1));
    requestAnimationFrame(show);
    window.addEventListener('hashchange', show);
    return () => window.removeEventListener('hashchange', show);
  }, [ready.value]);
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
          <a href="#sites" data-testid="nav-sites">Where Centric works</a>
          <a href="#dashboard">Value</a>
          <a href="#scoring">Scoring</a>
          <a href="#treatments">Treatments</a>
          <a href="#sources">Sources</a>
          <a href="#team" data-testid="nav-team">Team</a>
          <a href="#import">Import</a>
          <a href="#data">Data</a>
          <a href="/report.html" target="_blank" rel="noopener" data-testid="report-link">Report</a>
        </nav>
      </header>
      <main class="options" data-testid="options-page">
        {ready.value === 'ready' ? (
          <>
            <div id="dashboard">
              <Dashboard key={storeVersion.value} db={db} />
            </div>
            <div id="scoring">
              <ScoringSection key={settingsVersion.value} db={db} createWorker={createScoreWorker} dataVersion={dataVersion.value} onScored={changed} />
            </div>
            <div id="treatments">
              <TreatmentsSection key={settingsVersion.value} db={db} />
            </div>
            <div id="sources">
              <SourcesSection key={settingsVersion.value} />
            </div>
            <div id="team">
              <TeamSection key={settingsVersion.value} />
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
              <DataSection version={storeVersion.value} db={db} onChanged={changed} onSettingsChanged={() => settingsVersion.value++} />
            </div>
          </>
        ) : (
          <p class="card" role={ready.value === 'waiting' ? 'status' : 'alert'}>
            {ready.value === 'waiting' ? 'Preparing your data…' : ready.value}
          </p>
        )}
        <SitesSection key={settingsVersion.value} />
      </main>
    </>
  );
}
