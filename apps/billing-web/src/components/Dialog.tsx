import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes back to the first (and Shift+Tab the other way): focus never leaves the dialog. */
function trapTab(dialog: HTMLDialogElement, event: KeyboardEvent<HTMLDialogElement>) {
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !dialog.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

interface DialogProps {
  open: boolean;
  title: string;
  /** Called on Escape, the close button or a click on the backdrop (not while `busy`). */
  onClose(): void;
  /** While an action runs the dialog stays open (Escape does nothing). */
  busy?: boolean;
  children: ReactNode;
  footer: ReactNode;
}

/**
 * A modal built on the native <dialog>: showModal() makes the rest of the page
 * inert, Tab cycles inside it, and Escape closes it. Focus starts on the
 * element marked `data-autofocus` (the safe choice) and returns to the control
 * that opened the dialog.
 */
export function Dialog({ open, title, onClose, busy = false, children, footer }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const busyRef = useRef(busy);
  useLayoutEffect(() => {
    busyRef.current = busy;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onCancel = (event: Event) => {
      event.preventDefault();
      if (!busyRef.current) onClose();
    };
    const onClosed = () => {
      const target = opener.current;
      opener.current = null;
      // The opener may be gone (a "Cancel plan" button becomes "Resume plan"): fall back to the page.
      if (target instanceof HTMLElement && target.isConnected) target.focus();
      else document.getElementById('main')?.focus();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClosed);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClosed);
    };
  }, [onClose]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key === 'Tab' && ref.current) trapTab(ref.current, event);
      }}
      onClick={(event) => {
        if (event.target === ref.current && !busy) onClose();
      }}
    >
      {open && (
        <div className="dialog-body">
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={onClose} disabled={busy}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
          <div className="dialog-content">{children}</div>
          <div className="dialog-foot">{footer}</div>
        </div>
      )}
    </dialog>
  );
}
