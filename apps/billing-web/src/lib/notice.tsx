import { createContext, useContext } from 'react';

/** A short confirmation shown at the top of a page after an action ("Your plan will end on …"). */
export interface Notice {
  text: string;
  tone: 'success' | 'info';
  /** The page it belongs to; it disappears when the subscriber goes elsewhere. */
  path: string;
}

export interface NoticeApi {
  notice: Notice | null;
  show(notice: Notice): void;
  dismiss(): void;
}

export const NoticeContext = createContext<NoticeApi>({ notice: null, show: () => {}, dismiss: () => {} });

export const useNotice = () => useContext(NoticeContext);
