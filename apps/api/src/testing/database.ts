export { createFreshDatabase } from '@aquoris/db/testing';
