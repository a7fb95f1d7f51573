import { invalidRequest } from '../core/errors.ts';

/** Delivery faults a test can switch on to prove its webhook handler is robust. */
export interface WebhookFaults {
  /** Deliver every event `count` times; with `concurrent`, all copies at once. */
  duplicate?: { count: number; concurrent: boolean };
  /** Hold events until `batchSize` are buffered (or `windowMs` passes, or a flush), then deliver them shuffled. */
  reorder?: { batchSize: number; windowMs: number };
  /** Wait this long before every delivery attempt. */
  delayMs?: number;
  /** Record deliveries as dropped instead of sending them, until POST /__emulator/webhooks/replay. */
  drop?: boolean;
  /** Sign with a wrong secret; `remaining` null means every delivery, a number counts down. */
  badSignature?: { remaining: number | null };
}

export const FAULT_MODES = ['duplicate', 'reorder', 'delay', 'drop_then_replay', 'bad_signature', 'none'] as const;

/** Parses a control API body such as {"mode":"duplicate","count":3,"concurrent":true} into the fault set. */
export function applyFaultRequest(faults: WebhookFaults, body: Record<string, unknown>): WebhookFaults {
  const mode = body.mode;
  const num = (key: string, fallback: number) => {
    const value = body[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidRequest(`${key} must be a non-negative number`, key);
    return value;
  };
  switch (mode) {
    case 'duplicate':
      return { ...faults, duplicate: { count: Math.max(2, num('count', 2)), concurrent: body.concurrent === true } };
    case 'reorder':
      return { ...faults, reorder: { batchSize: Math.max(2, num('batchSize', 10)), windowMs: num('windowMs', 250) } };
    case 'delay':
      return { ...faults, delayMs: num('ms', 500) };
    case 'drop_then_replay':
      return { ...faults, drop: true };
    case 'bad_signature':
      return { ...faults, badSignature: { remaining: body.times === undefined ? null : num('times', 1) } };
    case 'none':
      return {};
    default:
      throw invalidRequest(`mode must be one of ${FAULT_MODES.join(', ')}`, 'mode');
  }
}

/** Fisher-Yates, but never the identity for 2+ items: a "reordered" batch must actually be out of order. */
export function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  if (out.length > 1 && out.every((item, i) => item === items[i])) out.push(out.shift() as T);
  return out;
}
