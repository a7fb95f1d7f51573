import { useOutletContext } from 'react-router';

export interface Me {
  id: string;
  email: string;
  name: string;
  role: 'ADMIN' | 'VIEWER';
}

/** The signed-in admin, as the Shell loaded it. */
export const useMe = () => useOutletContext<Me>();
/** VIEWER admins read only: the pages hide the change buttons (the server refuses them anyway). */
export const useCanEdit = () => useMe().role === 'ADMIN';
