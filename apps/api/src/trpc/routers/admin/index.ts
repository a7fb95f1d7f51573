import { router } from '../../init.ts';
import { adminAdminsRouter } from './admins.ts';
import { adminAppsRouter } from './apps.ts';
import { adminAuthRouter } from './auth.ts';
import { adminPlansRouter } from './plans.ts';

/**
 * The admin console's procedures, one router per domain (each file uses adminProcedure for reads and
 * adminMutation for changes, from ./procedures.ts). Mounted as `admin` beside `billing`.
 */
export const adminRouter = router({
  auth: adminAuthRouter,
  admins: adminAdminsRouter,
  apps: adminAppsRouter,
  plans: adminPlansRouter,
});
