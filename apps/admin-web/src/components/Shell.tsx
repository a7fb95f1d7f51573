import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { isUnauthorized } from '../lib/errors.ts';
import { trpc } from '../trpc.ts';
import { ErrorState, Loading } from './ui.tsx';

const NAV = [
  ['Dashboard', '/'],
  ['Apps', '/apps'],
  ['Plans', '/plans'],
  ['Customers', '/customers'],
  ['Subscriptions', '/subscriptions'],
  ['Transactions', '/transactions'],
  ['Audit Log', '/audit-log'],
  ['Admins', '/admins'],
  ['API tokens', '/api-tokens'],
] as const;

/** The signed-in frame: nav, who is signed in, Sign out. A lost session sends the visitor to the login page and back. */
export function Shell() {
  const me = trpc.admin.auth.me.useQuery();
  const navigate = useNavigate();
  const location = useLocation();
  const utils = trpc.useUtils();
  const signOut = trpc.admin.auth.signOut.useMutation({
    onSettled: () => {
      utils.invalidate();
      navigate('/login', { replace: true });
    },
  });
  // Narrow screens show the links behind a Menu button; following one closes it.
  const [menuOpen, setMenuOpen] = useState(false);
  const [shownPath, setShownPath] = useState(location.pathname);
  if (shownPath !== location.pathname) {
    setShownPath(location.pathname);
    setMenuOpen(false);
  }
  const lost = isUnauthorized(me.error);
  useEffect(() => {
    if (lost) navigate(`/login?next=${encodeURIComponent(`/admin${location.pathname}${location.search}`)}`, { replace: true });
  }, [lost, navigate, location.pathname, location.search]);

  if (me.isPending || lost) return <Loading what="the console" />;
  if (me.error) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
  return (
    <div className="shell">
      <nav className={menuOpen ? 'nav open' : 'nav'} aria-label="Admin">
        <div className="nav-top">
          <span className="brand">Aquoris Billing</span>
          <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="nav-links" onClick={() => setMenuOpen(!menuOpen)}>
            Menu
          </button>
        </div>
        <div className="nav-links" id="nav-links">
          {NAV.map(([label, to]) => (
            <NavLink key={to} to={to} end={to === '/'}>
              {label}
            </NavLink>
          ))}
          <span className="who">
            {me.data.email}
            {me.data.role === 'VIEWER' && <span className="badge">read-only</span>}
          </span>
          <button type="button" className="link" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </button>
        </div>
      </nav>
      <main className="content">
        <Outlet context={me.data} />
      </main>
    </div>
  );
}
