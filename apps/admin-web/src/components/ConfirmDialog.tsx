import { useState, type ReactNode } from 'react';
import { messageOf } from '../lib/errors.ts';
import { Dialog } from './Dialog.tsx';
import { FormError } from './ui.tsx';

/**
 * A question and one button that does it: the dialog stays open with the server's message when the
 * action fails, and closes when it succeeds.
 */
export function ConfirmDialog({
  title,
  confirm,
  danger,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirm: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await onConfirm();
      onClose();
    } catch (error) {
      setMessage(messageOf(error));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <FormError message={message} />
      <div className="dialog-actions">
        <button type="button" className={danger ? 'danger' : undefined} disabled={busy} onClick={() => void run()}>
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
