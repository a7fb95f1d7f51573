import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

/**
 * A cursor-paged list as TanStack Query's useInfiniteQuery: page after page by each page's nextCursor.
 * Not tRPC's own useInfiniteQuery: that one adds a `direction` field to the input, which the
 * server's strict input schemas refuse. Pass the key from tRPC's getQueryKey(…, 'infinite') so its
 * invalidate() reaches this list too.
 */
export function useCursorPages<P extends { nextCursor: string | null }>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<P>) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
