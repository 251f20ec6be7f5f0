import { useSignal } from '@preact/signals';
import type { TreatmentView } from '~/lib/messages/schema';

const PRIORITY_LABEL: Record<NonNullable<TreatmentView['priority']>, string> = {
  urgent: 'Urgent',
  high: 'High priority',
  normal: 'Normal priority',
  low: 'Low priority',
};

/** Links come from the background already checked; the sidebar checks again (never a javascript: URL). */
const SAFE_HREF = /^(https?:|mailto:)/i;

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The recommended treatment: what to do, how fast, ready-made actions, and (on demand) why. */
export function TreatmentCard({ treatment }: { treatment: TreatmentView }) {
  const showWhy = useSignal(false);
  const copied = useSignal('');
  const copyText = async (label: string, text: string) => {
    copied.value = (await copy(text)) ? `Copied: ${label}` : `Could not copy ${label}; select the text instead.`;
  };
  const links = treatment.links.filter((l) => SAFE_HREF.test(l.href));
  return (
    <section class="treatment" data-testid="treatment" aria-label="Recommended treatment" style={{ borderLeftColor: treatment.color }}>
      <p class="treatment-title" data-testid="treatment-title">
        {treatment.title}
      </p>
      {(treatment.priority || treatment.responseTarget) && (
        <p class="treatment-meta" data-testid="treatment-meta">
          {[treatment.priority && PRIORITY_LABEL[treatment.priority], treatment.responseTarget && `reply ${treatment.responseTarget}`].filter(Boolean).join(' · ')}
        </p>
      )}
      {treatment.guidance && <p class="treatment-guidance">{treatment.guidance}</p>}
      {links.length > 0 && (
        <ul class="treatment-actions" aria-label="Suggested links">
          {links.map((l) => (
            <li key={l.href}>
              <a href={l.href} target="_blank" rel="noopener noreferrer" data-testid="treatment-link">
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      )}
      {treatment.snippets.length > 0 && (
        <ul class="treatment-actions" aria-label="Reply snippets">
          {treatment.snippets.map((s) => (
            <li key={s.label} class="snippet">
              <button type="button" class="text-button" data-testid="treatment-snippet" title={s.text} onClick={() => void copyText(s.label, s.text)}>
                Copy reply: {s.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {treatment.tags.length > 0 && (
        <p class="treatment-tags">
          <span class="muted">Tags: </span>
          {treatment.tags.map((tag) => (
            <button key={tag} type="button" class="tag" data-testid="treatment-tag" aria-label={`Copy tag ${tag}`} onClick={() => void copyText(tag, tag)}>
              {tag}
            </button>
          ))}
        </p>
      )}
      <p class="copy-status" role="status" aria-live="polite">
        {copied.value}
      </p>
      {treatment.ruleName && (
        <button type="button" class="text-button" aria-expanded={showWhy.value} data-testid="treatment-why-toggle" onClick={() => (showWhy.value = !showWhy.value)}>
          {showWhy.value ? 'Hide why' : 'Why this?'}
        </button>
      )}
      {showWhy.value && (
        <div class="treatment-why" data-testid="treatment-why">
          <p>
            Rule: <strong data-testid="treatment-rule">{treatment.ruleName}</strong>
          </p>
          {treatment.reason && <p class="muted">{treatment.reason}</p>}
          <ul class="why-lines">
            {treatment.why.map((line, i) => (
              <li key={i} class={line.matched ? 'why-yes' : 'why-no'} style={{ paddingLeft: `${line.depth * 12}px` }}>
                <span aria-hidden="true">{line.matched ? '✓ ' : '✗ '}</span>
                {line.text}
              </li>
            ))}
          </ul>
          {treatment.otherMatches.length > 0 && (
            <>
              <p>Also matching:</p>
              <ul class="why-lines" data-testid="treatment-others">
                {treatment.otherMatches.map((m) => (
                  <li key={m.name}>
                    {m.name} — {m.title}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
