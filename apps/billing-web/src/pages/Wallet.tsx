import { parseMajorUnits, type Currency } from '@aquoris/core/money';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStartDeposit, useVerifyDeposit, useWallet } from '../api.ts';
import { Badge, Button, ErrorBox, Skeleton } from '../components/ui.tsx';
import { describeError } from '../lib/errors.ts';
import { formatMoney, formatShortDate } from '../lib/format.ts';
import { navigate } from '../lib/router.tsx';
import { useNotice } from '../lib/notice.tsx';
import type { WalletEntryView } from '../lib/types.ts';

/** The integration guide's deposit limits ($5.00 to $500.00), in minor units; the server checks them too. */
const MIN_DEPOSIT = 500;
const MAX_DEPOSIT = 50_000;
const CURRENCIES: Currency[] = ['usd', 'thb'];

const KIND: Record<WalletEntryView['kind'], string> = { DEPOSIT: 'Deposit', DEBIT: 'Charge', REFUND: 'Refund', ADJUSTMENT: 'Adjustment' };

/** /billing/wallet: the prepaid balance, "Add funds" through Checkout, and the wallet history. */
export function WalletPage({ sessionId }: { sessionId: string | null }) {
  useVerifyOnReturn(sessionId);
  return (
    <>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          Wallet
        </h1>
        <p className="lede">Your prepaid balance. Add funds with a card; usage is paid from it.</p>
      </div>
      <Balances />
      <AddFunds />
      <History />
    </>
  );
}

/** Back from Checkout with ?session_id: credit the deposit at once (the webhook may be late) and say so. */
function useVerifyOnReturn(sessionId: string | null) {
  const verify = useVerifyDeposit();
  const notices = useNotice();
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (!sessionId || started.current === sessionId) return;
    started.current = sessionId;
    verify.mutate(
      { sessionId },
      {
        onSuccess: (result) => {
          navigate('/wallet', { replace: true });
          notices.show({
            path: '/wallet',
            tone: result.deposited ? 'success' : 'info',
            text: result.deposited
              ? `Added ${formatMoney(result.amountCents, result.currency)} to your wallet.`
              : 'Your payment is not confirmed yet. The funds appear here as soon as it is.',
          });
        },
        onError: (error) => {
          navigate('/wallet', { replace: true });
          notices.show({ path: '/wallet', tone: 'info', text: describeError(error) });
        },
      },
    );
  }, [sessionId, verify, notices]);
}

function Balances() {
  const query = useWallet();
  return (
    <section className="card" aria-labelledby="balance-heading" aria-busy={query.isPending}>
      <h2 id="balance-heading" className="card-title">
        Balance
      </h2>
      {query.isPending ? (
        <Skeleton width="8rem" height="2rem" />
      ) : query.error ? (
        <ErrorBox title="We couldn't load your wallet" message={describeError(query.error)} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : query.data.balances.length === 0 ? (
        <p className="wallet-balance" data-testid="wallet-balance">
          {formatMoney(0, 'usd')}
        </p>
      ) : (
        <ul className="wallet-balances" aria-label="Balances">
          {query.data.balances.map((b) => (
            <li key={b.currency} className="wallet-balance" data-testid="wallet-balance">
              {formatMoney(b.balanceCents, b.currency)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AddFunds() {
  const deposit = useStartDeposit();
  const [amount, setAmount] = useState('25.00');
  const [currency, setCurrency] = useState<Currency>('usd');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const limits = `${formatMoney(MIN_DEPOSIT, currency)} to ${formatMoney(MAX_DEPOSIT, currency)}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseMajorUnits(amount, currency);
    if (!parsed.ok) return setFieldError(parsed.message);
    if (parsed.minor < MIN_DEPOSIT || parsed.minor > MAX_DEPOSIT)
      return setFieldError(`Add between ${formatMoney(MIN_DEPOSIT, currency)} and ${formatMoney(MAX_DEPOSIT, currency)}.`);
    setFieldError(null);
    deposit.mutate({ amountCents: parsed.minor, currency }, { onSuccess: (result) => window.location.assign(result.url) });
  }

  return (
    <section className="card" aria-labelledby="add-funds-heading">
      <h2 id="add-funds-heading" className="card-title">
        Add funds
      </h2>
      <form className="wallet-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="deposit-amount">Amount</label>
          <input
            id="deposit-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            aria-invalid={fieldError !== null}
            aria-describedby="deposit-amount-hint deposit-amount-error"
          />
          <p id="deposit-amount-hint" className="hint">
            {limits}
          </p>
          {fieldError && (
            <p id="deposit-amount-error" className="field-error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="deposit-currency">Currency</label>
          <select id="deposit-currency" value={currency} onChange={(e) => setCurrency(e.target.value as Currency)}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" pending={deposit.isPending || deposit.isSuccess} pendingLabel="Opening checkout…">
          Add funds
        </Button>
      </form>
      {deposit.error && <ErrorBox title="We couldn't start the payment" message={describeError(deposit.error)} />}
    </section>
  );
}

function History() {
  const query = useWallet();
  return (
    <section className="card" aria-labelledby="wallet-history-heading" aria-busy={query.isPending}>
      <h2 id="wallet-history-heading" className="card-title">
        Wallet history
      </h2>
      {query.isPending ? (
        <div aria-label="Loading wallet history">
          <Skeleton height="1.25rem" />
          <Skeleton height="1.25rem" />
        </div>
      ) : query.error ? (
        <ErrorBox
          title="We couldn't load your wallet history"
          message={describeError(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : query.data.history.length === 0 ? (
        <p className="empty">No wallet activity yet. Deposits and charges appear here.</p>
      ) : (
        <table className="invoices" aria-label="Wallet history">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Balance
              </th>
            </tr>
          </thead>
          <tbody>
            {query.data.history.map((entry) => (
              <tr key={entry.id}>
                <td>{formatShortDate(entry.createdAt)}</td>
                <td>
                  {entry.description ?? KIND[entry.kind]} <Badge tone={entry.amountCents >= 0 ? 'success' : 'neutral'}>{KIND[entry.kind]}</Badge>
                  {entry.refunded && <Badge tone="info">Refunded</Badge>}
                </td>
                <td className="num">{formatMoney(entry.amountCents, entry.currency)}</td>
                <td className="num">{formatMoney(entry.balanceAfterCents, entry.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
