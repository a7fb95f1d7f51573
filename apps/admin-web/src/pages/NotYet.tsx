import { Page } from '../components/ui.tsx';

/** A page of the guide's navigation whose content is not built yet: says so plainly. */
export function NotYetPage({ title, missing }: { title: string; missing?: boolean }) {
  return (
    <Page title={title}>
      <p className="muted">
        {missing ? 'There is no such page in the console.' : 'This page is not available yet. Use the operator CLI (pnpm aqb help) meanwhile.'}
      </p>
    </Page>
  );
}
