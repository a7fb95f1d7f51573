/** The selected month's first and last day, as the invoices export's range. */
function monthRange(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

const href = (file: string, params: Record<string, string | undefined>) => {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const qs = query.toString();
  return `/admin/exports/${file}${qs ? `?${qs}` : ''}`;
};

/** CSV downloads for the current filter: streamed by the server (GET /admin/exports/*.csv), each one audited. */
export function ExportButtons({ appSlug, month }: { appSlug: string | undefined; month: string }) {
  const range = monthRange(month);
  return (
    <div className="exports" role="group" aria-label="Export CSV">
      <a className="button" href={href('subscriptions.csv', { appSlug })} download>
        Export subscriptions
      </a>
      <a className="button" href={href('invoices.csv', { appSlug, ...range })} download>
        Export invoices ({month})
      </a>
      <a className="button" href={href('mrr-movements.csv', { appSlug, month })} download>
        Export MRR movements (12 months)
      </a>
    </div>
  );
}
