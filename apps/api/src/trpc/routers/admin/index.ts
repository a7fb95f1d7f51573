import { router } from '../../init.ts';
import { adminAdminsRouter } from './admins.ts';
import { adminAppsRouter } from './apps.ts';
import { adminAuditRouter } from './audit.ts';
import { adminAuthRouter } from './auth.ts';
import { adminCustomersRouter } from './customers.ts';
import { adminDashboardRouter } from './dashboard.ts';
import { adminPlansRouter } from './plans.ts';
import { adminStripeConfigRouter } from './stripe-config.ts';
import { adminSubscriptionsRouter } from './subscriptions.ts';
import { adminTokensRouter } from './tokens.ts';
import { adminTransactionsRouter } from './transactions.ts';
import { adminWalletsRouter } from './wallets.ts';

/**
 * The admin console's procedures, one router per domain (each file uses adminProcedure for reads and
 * adminMutation for changes, from ./procedures.ts). Mounted as `admin` beside `billing`.
 */
export const adminRouter = router({
  auth: adminAuthRouter,
  admins: adminAdminsRouter,
  customers: adminCustomersRouter,
  subscriptions: adminSubscriptionsRouter,
  audit: adminAuditRouter,
  apps: adminAppsRouter,
  plans: adminPlansRouter,
  dashboard: adminDashboardRouter,
  tokens: adminTokensRouter,
  transactions: adminTransactionsRouter,
  wallets: adminWalletsRouter,
  stripeConfig: adminStripeConfigRouter,
});
