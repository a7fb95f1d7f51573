import type { Currency, DashboardFilter } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { ActiveCard, ChurnCard, MrrCard, RevenueCard } from '../components/dashboard/Cards.tsx';
import { MrrChart, RevenueChart, SubscriptionFlowChart } from '../components/dashboard/Charts.tsx';
import { ExportButtons } from '../components/dashboard/Exports.tsx';
import { MovementsTable } from '../components/dashboard/Movements.tsx';
import { Page } from '../components/ui.tsx';
import { trpc } from '../trpc.ts';
import './dashboard.css';

/** This month in UTC, "YYYY-MM": what the figures mean with no month chosen. */
const currentMonth = () => new Date().toISOString().slice(0, 7);

/**
 * Admin > Dashboard: four cards and three charts for an app (or all) and a month. Every card and chart is its
 * own query (and its own HTTP request, see main.tsx), so one that is slow or fails shows "--" alone.
 */
export function DashboardPage() {
  const apps = trpc.admin.apps.list.useQuery();
  const [appId, setAppId] = useState('');
  const [month, setMonth] = useState(currentMonth);
  const [currency, setCurrency] = useState<Currency>('thb');
  const filter: DashboardFilter = { ...(appId ? { appId } : {}), month };
  const appSlug = apps.data?.find((a) => a.id === appId)?.slug;
  return (
    <Page title="Dashboard">
      <div className="dashboard-filters">
        <div className="field">
          <label htmlFor="dashboard-app">App</label>
          <select id="dashboard-app" value={appId} onChange={(e) => setAppId(e.target.value)} disabled={apps.isPending}>
            <option value="">All apps</option>
            {apps.data?.map((app) => (
              <option key={app.id} value={app.id}>
                {app.name} ({app.slug})
              </option>
            ))}
          </select>
          {apps.error && <span className="field-error">Could not load the apps: showing all apps.</span>}
        </div>
        <div className="field">
          <label htmlFor="dashboard-month">Month</label>
          <input id="dashboard-month" type="month" value={month} max={currentMonth()} required onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="dashboard-currency">Chart currency</label>
          <select id="dashboard-currency" value={currency} onChange={(e) => setCurrency(e.target.value as Currency)}>
            <option value="thb">THB</option>
            <option value="usd">USD</option>
          </select>
        </div>
      </div>
      <div className="stat-grid">
        <MrrCard filter={filter} />
        <ActiveCard filter={filter} />
        <ChurnCard filter={filter} />
        <RevenueCard filter={filter} />
      </div>
      <div className="chart-grid">
        <MrrChart filter={filter} currency={currency} />
        <SubscriptionFlowChart filter={filter} />
        <RevenueChart filter={filter} currency={currency} />
      </div>
      <MovementsTable filter={filter} />
      <ExportButtons appSlug={appSlug} month={month} />
    </Page>
  );
}
