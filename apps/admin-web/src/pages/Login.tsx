import { zodResolver } from '@hookform/resolvers/zod';
import { AdminLoginInput } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useSearchParams } from 'react-router';
import { Field, FormError } from '../components/ui.tsx';
import { messageOf, retryAfterOf } from '../lib/errors.ts';
import { trpc } from '../trpc.ts';

type LoginForm = { email: string; password: string };

/** Only a console path may be returned to (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/admin/') && !next.startsWith('/admin/login') ? next.slice('/admin'.length) : '/';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<LoginForm>({ resolver: zodResolver(AdminLoginInput), defaultValues: { email: '', password: '' } });
  const login = trpc.admin.auth.login.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await login.mutateAsync(values);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (error) {
      const wait = retryAfterOf(error);
      setMessage(wait === undefined ? messageOf(error) : `Too many sign-in attempts. Try again in ${wait} seconds.`);
    }
  });
  const { errors } = form.formState;
  return (
    <main className="login">
      <form onSubmit={onSubmit} noValidate className="card">
        <h1>Aquoris Billing · Admin</h1>
        <Field label="Email" id="email" error={errors.email}>
          <input id="email" type="email" autoComplete="username" {...form.register('email')} />
        </Field>
        <Field label="Password" id="password" error={errors.password}>
          <input id="password" type="password" autoComplete="current-password" {...form.register('password')} />
        </Field>
        <FormError message={message} />
        <button type="submit" disabled={form.formState.isSubmitting}>
          Sign in
        </button>
      </form>
    </main>
  );
}
