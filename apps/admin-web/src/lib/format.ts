import { formatMoney, type Currency } from '@aquoris/core/admin-schemas';

export const formatDate = (iso: string | null): string => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '—');
/** To the second, for the audit log's entries (several a minute). */
export const formatTimestamp = (iso: string): string => new Date(iso).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
export const formatPrice = (amount: number, currency: string): string => formatMoney(amount, currency as Currency);
/** An enum value as a person reads it: PAST_DUE → "Past due". */
export const humanize = (value: string): string => value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');
export const plural = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
