import { trpc } from './trpc.ts';

/** The subscriber shell: who you are, where you came from, and the way back. The full billing pages build on this. */
export function App() {
  const overview = trpc.billing.overview.useQuery();
  if (overview.isPending) return <main aria-busy="true"><p>Loading your billing…</p></main>;
  if (overview.error) {
    return (
      <main>
        <h1>Your billing session has ended</h1>
        <p>Billing sessions last two hours. Go back to the app you came from and open billing again.</p>
      </main>
    );
  }
  const { app, returnUrl, customer } = overview.data;
  return (
    <main>
      <header>
        <p>{app.name}</p>
        <a href={returnUrl}>Back to {app.name}</a>
      </header>
      <h1>Billing</h1>
      <p>Signed in as {customer.email ?? customer.name ?? 'you'}.</p>
    </main>
  );
}
