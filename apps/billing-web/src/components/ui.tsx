import type { ButtonHTMLAttributes, ReactNode } from 'react';
import type { Tone } from '../lib/status.ts';

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  /** Disables the button and shows `pendingLabel` with a spinner. */
  pending?: boolean;
  pendingLabel?: string;
};

/** A button that cannot be pressed twice: disabled and busy while its action runs. */
export function Button({ variant = 'secondary', pending = false, pendingLabel, disabled, children, className, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      {...rest}
    >
      {pending && <span className="spinner" aria-hidden="true" />}
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A placeholder block of a fixed size, so content arriving later does not move the page. */
export function Skeleton({ width = '100%', height = '1rem', className }: { width?: string; height?: string; className?: string }) {
  return <span className={`skeleton${className ? ` ${className}` : ''}`} style={{ width, height }} aria-hidden="true" />;
}

/** An error inside a section, with a way to try again. */
export function ErrorBox({ title, message, onRetry, retrying }: { title: string; message: string; onRetry?: () => void; retrying?: boolean }) {
  return (
    <div className="alert alert-danger" role="alert">
      <p className="alert-title">{title}</p>
      <p>{message}</p>
      {onRetry && (
        <Button onClick={onRetry} pending={retrying ?? false} pendingLabel="Trying again…">
          Try again
        </Button>
      )}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner-row" role="status">
      <span className="spinner spinner-lg" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}
