import { createId } from '@paralleldrive/cuid2';

/** The id of every row this service mints (schema.prisma's `@default(cuid(2))`): cuid2, 24 lowercase characters. */
export const newId = (): string => createId();
