import type { StripeConfigView, StripeMode } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { ErrorState, Field, FormError, Loading, Page } from '../components/ui.tsx';
import { messageOf } from '../lib/errors.ts';
import { formatDate } from '../lib/format.ts';
import { useCanEdit } from '../lib/me.ts';
import { trpc } from '../trpc.ts';

type KeysForm = { mode: StripeMode; testMode: boolean; secretKey: string; publishableKey: string; webhookSigningSecret: string };
const MODES: readonly StripeMode[] = ['test', 'live'];

function KeysTable({ config, slug, canEdit }: { config: StripeConfigView; slug: string; canEdit: boolean }) {
  const validate = trpc.admin.stripeConfig.validate.useMutation();
  const [checked, setChecked] = useState<Record<string, string>>({});
  const check = async (mode: StripeMode) => {
    try {
      const result = await validate.mutateAsync({ slug, check: { mode } });
      setChecked((c) => ({ ...c, [mode]: `Valid: account ${result.accountId} (${result.mode} mode)` }));
    } catch (error) {
      setChecked((c) => ({ ...c, [mode]: messageOf(error) }));
    }
  };
  return (
    <table aria-label="Keys per mode">
      <thead>
        <tr>
          <th>Mode</th>
          <th>Secret key</th>
          <th>Publishable key</th>
          <th>Webhook signing secret</th>
          <th>Set</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {MODES.map((mode) => {
          const keys = config[mode];
          return (
            <tr key={mode}>
              <td>{mode === 'test' ? 'Test' : 'Live'}</td>
              {keys ? (
                <>
                  <td>
                    <code>…{keys.secretKeyLast4}</code>
                  </td>
                  <td>
                    <code className="wrap">{keys.publishableKey}</code>
                  </td>
                  <td>
                    <code>…{keys.webhookSigningSecretLast4}</code>
                  </td>
                  <td>{formatDate(keys.setAt)}</td>
                  <td>
                    {canEdit && (
                      <button type="button" className="link" disabled={validate.isPending} onClick={() => void check(mode)}>
                        Validate {mode} key
                      </button>
                    )}
                    {checked[mode] && (
                      <div role="status" className="wrap">
                        {checked[mode]}
                      </div>
                    )}
                  </td>
                </>
              ) : (
                <td colSpan={5}>Not set</td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function KeysFormSection({ slug, config }: { slug: string; config: StripeConfigView }) {
  const utils = trpc.useUtils();
  const set = trpc.admin.stripeConfig.set.useMutation();
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<KeysForm>({
    defaultValues: { mode: config.testMode ? 'test' : 'live', testMode: config.testMode, secretKey: '', publishableKey: '', webhookSigningSecret: '' },
  });
  const onSubmit = form.handleSubmit(async ({ mode, testMode, ...keys }) => {
    setMessage(null);
    setSaved(false);
    try {
      await set.mutateAsync({ slug, config: { testMode, [mode]: keys } });
      form.reset({ mode, testMode, secretKey: '', publishableKey: '', webhookSigningSecret: '' });
      setSaved(true);
      await utils.admin.stripeConfig.get.invalidate({ slug });
    } catch (error) {
      setMessage(messageOf(error));
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Set keys">
      <h2>Set keys</h2>
      <p>Keys are stored encrypted and never shown again: only their last 4 characters.</p>
      <Field label="Mode" id="stripe-mode">
        <select id="stripe-mode" {...form.register('mode')}>
          <option value="test">Test</option>
          <option value="live">Live</option>
        </select>
      </Field>
      <Field label="Secret key" id="stripe-secret-key">
        <input id="stripe-secret-key" type="password" autoComplete="off" placeholder="sk_test_… or rk_test_…" {...form.register('secretKey')} />
      </Field>
      <Field label="Publishable key" id="stripe-publishable-key">
        <input id="stripe-publishable-key" autoComplete="off" placeholder="pk_test_…" {...form.register('publishableKey')} />
      </Field>
      <Field label="Webhook signing secret" id="stripe-webhook-secret">
        <input id="stripe-webhook-secret" type="password" autoComplete="off" placeholder="whsec_…" {...form.register('webhookSigningSecret')} />
      </Field>
      <div className="check">
        <input id="stripe-test-mode" type="checkbox" {...form.register('testMode')} />
        <label htmlFor="stripe-test-mode">Test mode (the app never uses live keys)</label>
      </div>
      <FormError message={message} />
      {saved && <p role="status">Saved.</p>}
      <button type="submit" disabled={form.formState.isSubmitting}>
        Save keys
      </button>
    </form>
  );
}

export function StripeSettingsPage() {
  const { slug = '' } = useParams();
  const canEdit = useCanEdit();
  const settings = trpc.admin.stripeConfig.get.useQuery({ slug });
  const utils = trpc.useUtils();
  const deactivate = trpc.admin.stripeConfig.deactivate.useMutation({ onSuccess: () => utils.admin.stripeConfig.get.invalidate({ slug }) });
  const title = `Stripe settings of ${slug}`;
  if (settings.isPending)
    return (
      <Page title={title}>
        <Loading what="Stripe settings" />
      </Page>
    );
  if (settings.error)
    return (
      <Page title={title}>
        <ErrorState error={settings.error} retry={() => void settings.refetch()} />
      </Page>
    );
  const { config, webhookUrls } = settings.data;
  return (
    <Page title={title} actions={<Link to="/apps">Back to Apps</Link>}>
      <p role="status" aria-label="Stripe account">
        {config.account === 'platform'
          ? "Uses the platform's Stripe account (the default)."
          : `Uses its own Stripe account, in ${config.testMode ? 'test' : 'live'} mode.`}
      </p>
      <h2>Webhook URLs</h2>
      <p>Add this endpoint in the app&apos;s Stripe account, for each mode, and paste its signing secret below.</p>
      <dl>
        {MODES.map((mode) => (
          <div key={mode}>
            <dt>{mode === 'test' ? 'Test mode' : 'Live mode'}</dt>
            <dd>
              <code className="wrap">{webhookUrls[mode]}</code>
            </dd>
          </div>
        ))}
      </dl>
      <h2>Keys</h2>
      <KeysTable config={config} slug={slug} canEdit={canEdit} />
      {canEdit && <KeysFormSection key={`${config.testMode}`} slug={slug} config={config} />}
      {canEdit && config.account === 'own' && (
        <section>
          <h2>Use the platform account</h2>
          <p className="warning">The app goes back to the platform&apos;s Stripe account, in test mode. Its keys are kept in the history, deactivated.</p>
          <FormError message={deactivate.error ? messageOf(deactivate.error) : null} />
          <button type="button" className="danger" disabled={deactivate.isPending} onClick={() => deactivate.mutate({ slug })}>
            Deactivate own keys
          </button>
        </section>
      )}
    </Page>
  );
}
