import { useId, type ReactNode } from 'react';
import { appCodeOf } from '../../lib/errors.ts';

/** What a card needs of its query: react-query's fields, one query per card. */
export interface CardQuery<T> {
  data?: T | undefined;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

/** "(i)" beside a title: the definition, shown on hover and on keyboard focus, read by screen readers as the title's description. */
export function Definition({ text, label }: { text: string; label: string }) {
  const id = useId();
  return (
    <span className="definition">
      <button type="button" className="definition-icon" aria-label={`How ${label} is defined`} aria-describedby={id}>
        i
      </button>
      <span role="tooltip" id={id} className="definition-text">
        {text}
      </span>
    </span>
  );
}

/**
 * One Dashboard card: its title with the definition, then its figure. While loading it says so; when its
 * query failed or timed out it shows "--" with a Retry button (the other cards are separate queries and stand).
 */
export function StatCard<T>({
  title,
  definition,
  query,
  children,
}: {
  title: string;
  definition: string;
  query: CardQuery<T>;
  children: (data: T) => ReactNode;
}) {
  const headingId = useId();
  let body: ReactNode;
  if (query.data !== undefined && !query.error) body = children(query.data);
  else if (query.error)
    body = (
      <>
        <p className="stat-value" data-testid="stat-value">
          --
        </p>
        <p className="stat-note" role="status">
          {appCodeOf(query.error) === 'METRIC_TIMEOUT' ? 'Took too long to compute.' : 'Could not load this figure.'}{' '}
          <button type="button" className="link" onClick={() => void query.refetch()} disabled={query.isFetching}>
            Retry
          </button>
        </p>
      </>
    );
  else
    body = (
      <p className="stat-value loading" role="status" data-testid="stat-value">
        …<span className="visually-hidden">Loading {title}</span>
      </p>
    );
  return (
    <section className="stat-card" aria-labelledby={headingId} aria-busy={query.isFetching}>
      <h2>
        <span id={headingId}>{title}</span> <Definition text={definition} label={title} />
      </h2>
      {body}
    </section>
  );
}
