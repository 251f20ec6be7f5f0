/**
 * The options page's Sources section: remote score sources (the team's own lookup service, shared
 * score files), which one wins when several know a customer, and a test against a customer.
 *
 * Every change is saved at once (saveSources, which validates); the section re-reads the configuration
 * when it changes elsewhere (another options tab), and the score files' last sync when the background
 * writes it. Secrets (header values) are held only in the stored configuration: the list and the
 * editors show the public view (publicView), and a saved secret is kept unless a new one is typed.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { UndoToast } from '../form';
import { loadSources, onSourcesChanged, requestSourcePermission, saveSources } from '~/lib/settings/sources';
import { DEFAULT_SOURCES_CONFIG, LOCAL_SOURCE_ID, MAX_SOURCES, effectivePrecedence, type Source, type SourcesConfig } from '~/lib/sources/config';
import { newFileDraft, newLookupDraft, newSourceId, sourceToDraft, type SourceDraft } from '~/lib/pages/sources-draft';
import { addSource, movePrecedence, removeSource, replaceSource, restoreSource, type Removed } from '~/lib/pages/sources-order';
import { LOCAL_NAME, PrecedenceList } from './PrecedenceList';
import { addressOf, hostOf, onPermissionsChanged, onSyncStatusChanged, readSyncStatus, sourcesWithoutPermission, type SyncStatus } from '~/lib/pages/sources-remote';
import { SourceEditor } from './SourceEditor';
import { SourceList } from './SourceList';

export interface SourcesSectionProps {
  /** How long Undo is offered after a remove, in ms (paused while it has focus or the pointer). */
  undoMs?: number;
}

/** Where focus goes after a change: a control of a source's list item, of its precedence entry, or of the section. */
type FocusRequest = { sourceId?: string; testId: string };
type Editing = { key: number; draft: SourceDraft; snapshot: Source | undefined; returnTo: FocusRequest };

export function SourcesSection({ undoMs = 10_000 }: SourcesSectionProps) {
  const state = useSignal<'loading' | 'ready' | 'failed'>('loading');
  const config = useSignal<SourcesConfig>(DEFAULT_SOURCES_CONFIG);
  const problems = useSignal<string[]>([]);
  const syncStatus = useSignal<Record<string, SyncStatus>>({});
  const editing = useSignal<Editing | null>(null);
  const removed = useSignal<Removed | null>(null);
  const status = useSignal('');
  const failure = useSignal<string | null>(null);
  /** Sources whose site Centric may not contact yet. */
  const noAccess = useSignal<ReadonlySet<string>>(new Set());

  const root = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Saves not finished yet: the storage events they cause are our own and are not re-read. */
  const inFlight = useRef(0);
  /** Bumped by every local change, so a slower re-read started before it does not undo it. */
  const version = useRef(0);
  const pendingFocus = useRef<FocusRequest | null>(null);
  const editorKey = useRef(0);
  const accessCheck = useRef(0);

  const load = async () => {
    const started = version.current;
    try {
      const result = await loadSources();
      if (started !== version.current) return;
      config.value = result.config;
      problems.value = result.problems;
      state.value = 'ready';
    } catch (error) {
      if (state.value === 'loading') state.value = 'failed';
      failure.value = `The sources could not be read: ${(error as Error).message}`;
    }
  };
  const loadStatus = async () => {
    try {
      syncStatus.value = await readSyncStatus();
    } catch {
      // The last sync is a nicety: without it, the list says "Never synced."
    }
  };

  const checkAccess = async () => {
    const mine = ++accessCheck.current;
    const missing = await sourcesWithoutPermission(config.value.sources);
    if (mine === accessCheck.current) noAccess.value = missing;
  };

  useEffect(() => {
    void load();
    void loadStatus();
    const stopSources = onSourcesChanged(() => {
      if (inFlight.current === 0) void load();
    });
    const stopStatus = onSyncStatusChanged(() => void loadStatus());
    const stopPermissions = onPermissionsChanged(() => void checkAccess());
    return () => {
      stopSources();
      stopStatus();
      stopPermissions();
    };
  }, []);

  // Which sources' sites may not be contacted, whenever the sources change.
  useEffect(() => {
    void checkAccess();
  }, [config.value]);

  // Focus requests (after a save, a remove, an undo, a cancel) are met once the section has re-rendered.
  useEffect(() => {
    const request = pendingFocus.current;
    if (!request || !root.current) return;
    pendingFocus.current = null;
    const scope = request.sourceId
      ? [...root.current.querySelectorAll<HTMLElement>('[data-testid="source-item"]')].find((el) => el.dataset.sourceId === request.sourceId)
      : root.current;
    const target = scope?.querySelector<HTMLElement>(`[data-testid="${request.testId}"]`);
    (target && !(target as HTMLButtonElement).disabled ? target : heading.current)?.focus();
  });

  /** Shows and saves a new configuration; resolves to why it was not saved, or null (and says `message`). */
  const commit = async (next: SourcesConfig, message: string): Promise<string | null> => {
    version.current++;
    config.value = next;
    failure.value = null;
    inFlight.current++;
    try {
      await saveSources(next);
      // The saved configuration these problems were about has just been replaced.
      problems.value = [];
      status.value = message;
      return null;
    } catch (error) {
      const problem = `The change was not saved: ${(error as Error).message}`;
      failure.value = `${problem} The sources shown are the saved ones.`;
      await load();
      return problem;
    } finally {
      inFlight.current--;
    }
  };

  const nameOf = (id: string) => {
    const source = config.value.sources.find((s) => s.id === id);
    return id === LOCAL_SOURCE_ID ? LOCAL_NAME : (source?.name ?? id);
  };

  const toggle = (id: string, enabled: boolean) => {
    const source = config.value.sources.find((s) => s.id === id);
    if (!source) return;
    void commit(replaceSource(config.value, { ...source, enabled }), `“${source.name}” is ${enabled ? 'on' : 'off'}.`);
  };

  /** Asks for the site of a source Centric may not contact yet (in the click, as browsers require). */
  const allow = (id: string) => {
    const source = config.value.sources.find((s) => s.id === id);
    if (!source) return;
    const host = hostOf(addressOf(source));
    void requestSourcePermission(addressOf(source))
      .then((ok) => {
        if (ok) {
          failure.value = null;
          status.value = `Centric may now contact ${host} for “${source.name}”.`;
        } else {
          failure.value = `Centric was not allowed to contact ${host}, so “${source.name}” stays unused.`;
        }
      })
      .catch((error: unknown) => (failure.value = `Centric could not ask for access to ${host}: ${(error as Error).message}`))
      .finally(() => {
        pendingFocus.current = { sourceId: id, testId: 'source-edit' };
        void checkAccess();
      });
  };

  const move = (id: string, direction: -1 | 1) => {
    const next = movePrecedence(config.value, id, direction);
    if (!next) return;
    const order = effectivePrecedence(next);
    void commit(next, `“${nameOf(id)}” moved to position ${order.indexOf(id) + 1} of ${order.length}.`);
  };

  const undoExpired = (hadFocus: boolean) => {
    if (hadFocus) pendingFocus.current = { testId: 'sources-title' };
    removed.value = null;
  };

  const remove = (id: string) => {
    const result = removeSource(config.value, id);
    if (!result) return;
    const e = editing.value;
    if (e?.snapshot?.id === id) editing.value = null;
    removed.value = result.removed;
    pendingFocus.current = { testId: 'source-undo' };
    void commit(result.config, `Removed “${result.removed.source.name}”.`);
  };

  const undo = () => {
    const r = removed.value;
    removed.value = null;
    if (!r) return;
    const next = restoreSource(config.value, r);
    if (!next) {
      status.value = `“${r.source.name}” is already back.`;
      return;
    }
    pendingFocus.current = { sourceId: r.source.id, testId: 'source-remove' };
    void commit(next, `Restored “${r.source.name}”.`);
  };

  const openEditor = (draft: SourceDraft, snapshot: Source | undefined, returnTo: FocusRequest) => {
    editing.value = { key: ++editorKey.current, draft, snapshot, returnTo };
  };
  const edit = (id: string) => {
    const source = config.value.sources.find((s) => s.id === id);
    if (source) openEditor(sourceToDraft(source), source, { sourceId: id, testId: 'source-edit' });
  };

  const closeEditor = (focus?: FocusRequest) => {
    const e = editing.value;
    editing.value = null;
    pendingFocus.current = focus ?? e?.returnTo ?? null;
  };

  const idFor = (draft: SourceDraft): string => {
    const snapshot = editing.value?.snapshot;
    if (snapshot) return snapshot.id;
    return newSourceId(draft.name, draft.kind, config.value.sources.map((s) => s.id));
  };

  const saveEdited = async (source: Source): Promise<string | null> => {
    const e = editing.value;
    if (!e) return null;
    const current = config.value;
    let next: SourcesConfig;
    let saved = source;
    if (e.snapshot) {
      next = replaceSource(current, source);
    } else {
      if (current.sources.length >= MAX_SOURCES) return `Not saved: Centric takes at most ${MAX_SOURCES} sources; remove one first.`;
      // Another tab may have taken the id meanwhile.
      if (current.sources.some((s) => s.id === source.id)) saved = { ...source, id: newSourceId(source.name, source.kind, current.sources.map((s) => s.id)) };
      next = addSource(current, saved);
    }
    const problem = await commit(next, e.snapshot ? `Saved “${saved.name}”.` : `Added “${saved.name}”. It comes last under Precedence; move it up to prefer it.`);
    if (problem) return problem;
    if (editing.value === e) closeEditor({ sourceId: saved.id, testId: 'source-edit' });
    return null;
  };

  const e = editing.value;
  const r = removed.value;
  const c = config.value;
  const full = c.sources.length >= MAX_SOURCES;
  const addingNew = e !== null && e.snapshot === undefined;
  const liveStored = e?.snapshot ? (c.sources.find((s) => s.id === e.snapshot?.id) ?? e.snapshot) : undefined;

  return (
    <section class="card sources" ref={root} aria-labelledby="sources-title" data-testid="sources" data-state={state.value}>
      <h2 id="sources-title" ref={heading} tabIndex={-1} data-testid="sources-title">
        Sources
      </h2>
      <p class="muted">
        Sources bring in scores computed elsewhere — your team’s own lookup service, asked about one customer at a time, or a shared scores
        file, synced on a schedule — and Centric shows them wherever they know the customer; when several do, Precedence below decides which
        one wins. API keys stay in the extension’s storage and are never sent to the pages you visit.
      </p>
      <p class="visually-hidden" role="status" data-testid="sources-status">
        {status.value}
      </p>
      {failure.value && (
        <p class="notice error" role="alert" data-testid="sources-failure">
          {failure.value}
        </p>
      )}
      {state.value === 'loading' && <p class="muted">Reading the sources…</p>}
      {state.value === 'ready' && (
        <>
          {problems.value.length > 0 && (
            <div class="notice sources-problems" data-testid="sources-problems">
              <p>
                <strong>The saved sources could not be read</strong>, so none is in use. Fix them in another copy of the settings, or set them up
                again here (the first change replaces what was saved):
              </p>
              <ul>
                {problems.value.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          <SourceList sources={c.sources} syncStatus={syncStatus.value} noAccess={noAccess.value} onToggle={toggle} onEdit={edit} onRemove={remove} onAllow={allow} />
          {r && (
            <UndoToast
              key={r.source.id}
              message={`Removed “${r.source.name}”.`}
              ms={undoMs}
              onUndo={undo}
              onExpire={undoExpired}
              testId="source-undo-toast"
              undoTestId="source-undo"
            />
          )}
          <div class="actions">
            <button
              type="button"
              class="button"
              disabled={full || addingNew}
              data-testid="add-lookup-service"
              onClick={() => openEditor(newLookupDraft(), undefined, { testId: 'add-lookup-service' })}
            >
              Add lookup service
            </button>
            <button
              type="button"
              class="button secondary"
              disabled={full || addingNew}
              data-testid="add-score-file"
              onClick={() => openEditor(newFileDraft(), undefined, { testId: 'add-score-file' })}
            >
              Add score file
            </button>
          </div>
          {full && <p class="muted">Centric takes at most {MAX_SOURCES} sources: remove one to add another.</p>}
          {e && <SourceEditor key={e.key} initial={e.draft} stored={liveStored} idFor={idFor} onSave={saveEdited} onCancel={() => closeEditor()} />}
          <h3 id="sources-precedence-title">Precedence</h3>
          <p class="muted">
            When several sources know a customer, the first one in this list wins. Sources that are off are left out.
          </p>
          <PrecedenceList config={c} onMove={move} />
        </>
      )}
    </section>
  );
}
