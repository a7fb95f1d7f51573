import { METRIC_DEFINITIONS, type DashboardFilter } from '@aquoris/core/admin-schemas';
import { formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Empty, ErrorState, Loading } from '../ui.tsx';
import { FIGURE_QUERY } from './Cards.tsx';
import { Definition } from './StatCard.tsx';

const COLUMNS = [
  ['starting', 'Starting'],
  ['new', 'New'],
  ['expansion', 'Expansion'],
  ['contraction', 'Contraction'],
  ['churned', 'Churned'],
  ['reactivation', 'Reactivation'],
  ['ending', 'Ending'],
] as const;

/** The selected month's MRR movements per currency: starting + new + expansion − contraction − churned + reactivation = ending. */
export function MovementsTable({ filter }: { filter: DashboardFilter }) {
  const query = trpc.admin.dashboard.movements.useQuery(filter, FIGURE_QUERY);
  let body;
  if (query.error) body = <ErrorState error={query.error} retry={() => void query.refetch()} />;
  else if (!query.data) body = <Loading what="MRR movements" />;
  else if (query.data.movements.length === 0) body = <Empty>No MRR in this month.</Empty>;
  else
    body = (
      <div className="table-wrap">
        <table aria-label="MRR movements">
          <thead>
            <tr>
              <th>Currency</th>
              {COLUMNS.map(([key, label]) => (
                <th key={key}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {query.data.movements.map((m) => (
              <tr key={m.currency}>
                <td>{m.currency.toUpperCase()}</td>
                {COLUMNS.map(([key]) => (
                  <td key={key}>{formatPrice(m[key], m.currency)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <section className="movements" aria-labelledby="movements-title">
      <h2 id="movements-title">
        MRR movements <Definition text={METRIC_DEFINITIONS.movements} label="MRR movements" />
      </h2>
      {body}
    </section>
  );
}
