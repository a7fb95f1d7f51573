import { AdjustWalletFormInput, type WalletEntryView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { appCodeOf, messageOf } from '../../lib/errors.ts';
import { newFormKey, useDialogForm } from '../../lib/dialog-form.ts';
import { formatDate, formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { DataTable } from '../DataTable.tsx';
import { Dialog } from '../Dialog.tsx';
import { Empty, ErrorState, Field, FormError, Loading } from '../ui.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';

const col = createColumnHelper<WalletEntryView>();
const KIND: Record<WalletEntryView['kind'], string> = { DEPOSIT: 'Deposit', DEBIT: 'Debit', REFUND: 'Refund', ADJUSTMENT: 'Adjustment' };

/** After a wallet change: the wallet, the page (its audit entries) and the lists load again. */
function useRefreshWallet() {
  const utils = trpc.useUtils();
  const refresh = useRefreshAfterChange();
  return async () => {
    await Promise.all([utils.admin.wallets.invalidate(), refresh()]);
  };
}

/** The customer's wallets: balance per currency, the ledger newest first, "Adjust wallet" and "Refund deposit". */
export function WalletPanel({ customerId, canEdit, onDone }: { customerId: string; canEdit: boolean; onDone: (n: NoticeText) => void }) {
  const wallet = trpc.admin.wallets.get.useQuery({ customerId });
  const [adjusting, setAdjusting] = useState(false);
  const [refunding, setRefunding] = useState<WalletEntryView | null>(null);
  const columns = [
    col.accessor('createdAt', { header: 'Date', cell: (c) => formatDate(c.getValue()) }),
    col.accessor('kind', { header: 'Kind', cell: (c) => KIND[c.getValue()] + (c.row.original.refunded ? ' (refunded)' : '') }),
    col.accessor((e) => e.description ?? '—', { id: 'description', header: 'Description' }),
    col.accessor('amountCents', { header: 'Amount', cell: (c) => formatPrice(c.getValue(), c.row.original.currency) }),
    col.accessor('balanceAfterCents', { header: 'Balance after', cell: (c) => formatPrice(c.getValue(), c.row.original.currency) }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row: { original: e } }) =>
        canEdit &&
        e.kind === 'DEPOSIT' &&
        !e.refunded && (
          <button type="button" className="link" onClick={() => setRefunding(e)}>
            Refund deposit
          </button>
        ),
    }),
  ];
  return (
    <section className="panel" aria-labelledby="wallet">
      <h2 id="wallet">Wallet</h2>
      {canEdit && (
        <p>
          <button type="button" onClick={() => setAdjusting(true)}>
            Adjust wallet
          </button>
        </p>
      )}
      {wallet.isPending ? (
        <Loading what="the wallet" />
      ) : wallet.error ? (
        <ErrorState error={wallet.error} retry={() => void wallet.refetch()} />
      ) : (
        <>
          <dl className="profile" aria-label="Wallet balances">
            {wallet.data.balances.length === 0 ? (
              <div>
                <dt>Balance</dt>
                <dd>No wallet yet</dd>
              </div>
            ) : (
              wallet.data.balances.map((b) => (
                <div key={b.currency}>
                  <dt>Balance ({b.currency.toUpperCase()})</dt>
                  <dd>{formatPrice(b.balanceCents, b.currency)}</dd>
                </div>
              ))
            )}
          </dl>
          {wallet.data.history.length === 0 ? (
            <Empty>No wallet activity yet.</Empty>
          ) : (
            <div className="table-wrap wide">
              <DataTable rows={wallet.data.history} columns={columns} label="Wallet history" />
            </div>
          )}
        </>
      )}
      {adjusting && <AdjustWalletDialog customerId={customerId} onClose={() => setAdjusting(false)} onDone={onDone} />}
      {refunding && <RefundDepositDialog deposit={refunding} onClose={() => setRefunding(null)} onDone={onDone} />}
    </section>
  );
}

type AdjustForm = { customerId: string; idempotencyKey: string; amount: string; currency: 'thb' | 'usd'; reason: string };
const FIELDS = ['amount', 'currency', 'reason'] as const;

/** "Adjust wallet": a signed amount ("-10.00" takes out), its currency and a required reason; one key per opened form. */
export function AdjustWalletDialog({ customerId, onClose, onDone }: { customerId: string; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const [idempotencyKey] = useState(newFormKey);
  const refresh = useRefreshWallet();
  const adjust = trpc.admin.wallets.adjust.useMutation();
  const { form, onSubmit, message, errors, submitting } = useDialogForm<AdjustForm>({
    schema: AdjustWalletFormInput,
    defaults: { customerId, idempotencyKey, amount: '', currency: 'usd', reason: '' },
    fields: FIELDS,
    submit: async (values) => {
      const done = await adjust.mutateAsync(values);
      await refresh();
      onDone({
        kind: 'done',
        text: `Wallet adjusted by ${formatPrice(done.entry.amountCents, done.entry.currency)}; the balance is ${formatPrice(done.balanceCents, done.entry.currency)}.`,
      });
      onClose();
    },
  });
  return (
    <Dialog title="Adjust wallet" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <div className="field-row">
          <Field label="Amount (+/-)" id="adjust-amount" error={errors.amount}>
            <input id="adjust-amount" inputMode="decimal" placeholder="25.00 or -10.00" autoComplete="off" {...form.register('amount')} />
          </Field>
          <Field label="Currency" id="adjust-currency" error={errors.currency}>
            <select id="adjust-currency" {...form.register('currency')}>
              <option value="usd">USD</option>
              <option value="thb">THB</option>
            </select>
          </Field>
        </div>
        <Field label="Reason" id="adjust-reason" error={errors.reason}>
          <input id="adjust-reason" autoComplete="off" {...form.register('reason')} />
        </Field>
        <FormError message={message} />
        <div className="dialog-actions">
          <button type="submit" disabled={submitting}>
            Adjust wallet
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * "Refund deposit": gives the deposit back to the card through Stripe and takes it out of the wallet. When the
 * funds were spent, the server refuses; the operator may then confirm leaving the wallet below zero.
 */
function RefundDepositDialog({ deposit, onClose, onDone }: { deposit: WalletEntryView; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const refresh = useRefreshWallet();
  const refund = trpc.admin.wallets.refundDeposit.useMutation();
  const [spent, setSpent] = useState<string | null>(null);
  const [confirmNegative, setConfirmNegative] = useState(false);
  const amount = formatPrice(deposit.amountCents, deposit.currency);
  return (
    <ConfirmDialog
      title="Refund deposit"
      confirm="Refund deposit"
      danger
      onClose={onClose}
      onConfirm={async () => {
        try {
          const done = await refund.mutateAsync({ entryId: deposit.id, confirmNegativeBalance: confirmNegative });
          await refresh();
          onDone({ kind: 'done', text: `Deposit of ${amount} refunded; the wallet balance is ${formatPrice(done.balanceCents, deposit.currency)}.` });
        } catch (error) {
          if (appCodeOf(error) === 'INSUFFICIENT_FUNDS') setSpent(messageOf(error));
          throw error;
        }
      }}
    >
      <p>
        Refund the deposit of {amount} from {formatDate(deposit.createdAt)} to the card, and take it out of the wallet.
      </p>
      {spent && (
        <label className="checkbox">
          <input type="checkbox" checked={confirmNegative} onChange={(e) => setConfirmNegative(e.target.checked)} /> The funds were spent: refund anyway and
          leave the wallet below zero
        </label>
      )}
    </ConfirmDialog>
  );
}
