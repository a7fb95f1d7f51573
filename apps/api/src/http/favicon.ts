import { Router } from 'express';

/**
 * The Aquoris icon (a white "A" on the brand indigo, 32×32), served at /favicon.ico for every page
 * on this origin: the billing and admin apps, /docs/api and the message pages. Browsers ask the
 * origin's root for it, so one route covers them all. An ICO holding one PNG; kept inline so the
 * bundled server needs no asset directory.
 */
export const FAVICON_ICO = Buffer.from(
  'AAABAAEAICAAAAEAIACgAQAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAWdJREFUeNpjcLY4xYCE5YG4H4jPA/F/KuPzULPlke1EtjweiN/TwGJ0/B5qF4oD4ulgMTqOhzlAnk4+xxYS8gzQePk/QLifgdwElxZ7+f/tm1/BGMQmN2EykOv6589+/IcBEJtcc8hyQFHm9f/oACRGNwccOfAOwwEgMbo4ICrgwn9cACRHcwcsnP0EpwNAcjR3wOdPv3E6ACRHUwd0Nt1FsfDC2Y9gjAxAamjmAGyWYXMUTRwAKmxwBTd6tJBSMBHtgB1bXuNMcOgJE6SWqg7wczmL4UvkLIeeNUFqQXqo5oCp/Q9RLAAVvSBfI2PkohkEQHqo5gB0w4kBxNYPDOSU+8QCYuoHBlLLfRAfPfhhGJtaihxAauIilFhJdgA52QtfdiXZAeQUMPgKLJIcUFt2i+wiFr3IBplFsQNIqWTQ6wdCDsDZKF2z/Dk4P4NoUqtZIvWeHxTN8gHvmAx412xQdE4HrHsOACwoD9dAVixAAAAAAElFTkSuQmCC',
  'base64',
);

export function createFaviconRouter(): Router {
  const router = Router();
  router.get('/favicon.ico', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').type('image/x-icon').send(FAVICON_ICO);
  });
  return router;
}
