import type { ReactNode } from 'react';
import type { FieldError as RhfFieldError } from 'react-hook-form';
import { messageOf } from '../lib/errors.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state empty">{children}</p>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <p>Could not load this: {messageOf(error)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A list's three states, then its content. */
export function ListState<T>({
  query,
  what,
  empty,
  children,
}: {
  query: { data?: T[] | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  what: string;
  empty: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (!query.data || query.data.length === 0) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}

/** A labelled input with its error beside it (client rule or server answer alike). */
export function Field({ label, id, error, children }: { label: string; id: string; error?: RhfFieldError | undefined; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error?.message && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {label} {error.message}
        </span>
      )}
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-header">
        <h1>{title}</h1>
        {actions}
      </header>
      {children}
    </section>
  );
}
