import { formatMoney, type Currency } from '@aquoris/core/admin-schemas';

export const formatDate = (iso: string | null): string => (iso ? new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '—');
export const formatPrice = (amount: number, currency: string): string => formatMoney(amount, currency as Currency);
