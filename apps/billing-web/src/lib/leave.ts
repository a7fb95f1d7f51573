/** Leaves the billing app for another site (Stripe Checkout, the portal, back to the app). One place, so tests can watch it. */
export function leaveTo(url: string): void {
  window.location.assign(url);
}
