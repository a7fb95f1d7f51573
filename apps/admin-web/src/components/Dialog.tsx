import type { ReactNode } from 'react';

/** A modal panel with a heading; Escape and the Close button call onClose. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  return (
    <div className="backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="link" onClick={onClose}>
            Close
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

/** The full API key with a Copy button (shown after create, reveal or regenerate). */
export function KeyBox({ apiKey }: { apiKey: string }) {
  return (
    <div className="keybox">
      <code data-testid="api-key">{apiKey}</code>
      <button type="button" onClick={() => void navigator.clipboard.writeText(apiKey)}>
        Copy
      </button>
    </div>
  );
}
