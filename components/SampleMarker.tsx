/**
 * "Sample data": shown wherever the data on screen is the bundled sample (the store's `sampleLoaded`
 * flag, lib/sample/install.ts; cleared when the person's own data replaces it, or by erasing).
 */
export function SampleMarker({ compact = false }: { compact?: boolean }) {
  return (
    <p class="sample-marker" role="note" data-testid="sample-marker">
      <strong>Sample data</strong>
      {compact ? ': demo customers, not yours.' : ': the bundled CDNOW 1/10 sample with demo names, not your customers. Import your own in Options → Data.'}
    </p>
  );
}
