import { Page } from '../components/ui.tsx';

export function DashboardPage() {
  return (
    <Page title="Dashboard">
      <p className="muted">Figures and charts for this page are not available yet.</p>
    </Page>
  );
}
