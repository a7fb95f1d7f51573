import { Page } from '../components/ui.tsx';

/** An /admin address that is no page of the console. */
export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p className="muted">There is no such page in the console.</p>
    </Page>
  );
}
