import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** The operator console shell; operators use the CLI (`pnpm aqb help`) until the admin pages land. */
function App() {
  return (
    <main>
      <h1>Aquoris Billing · Admin</h1>
      <p>
        The admin console is not available yet. Use the operator CLI: <code>pnpm aqb help</code>.
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
