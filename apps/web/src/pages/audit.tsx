// The audit log, newest first, with search (every word must appear in the description, actor, action or object)
// and paging through the API's Link header.
import { Button, Code, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { Loading, PageHeader, RelativeTime } from '../components/common';

const PAGE = 100;

export function AuditPage({ initial = '' }: { initial?: string }) {
  const [q, setQ] = useState(initial);
  const [search, setSearch] = useState(initial);
  const entries = useInfiniteQuery({
    queryKey: ['audit', search],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/audit', { params: { query: { limit: String(PAGE), ...(search ? { q: search } : {}), ...(pageParam ? { before: pageParam } : {}) } } }),
      ),
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1]?.id : undefined),
  });
  const rows = entries.data?.pages.flat();
  return (
    <Stack>
      <PageHeader title="Audit log" subtitle="Who changed what, newest first. Secrets never appear here." />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
        }}
      >
        <Group align="flex-end">
          <TextInput label="Search" placeholder="words in the description" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={420} />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      <Loading query={{ data: rows, error: entries.error, isPending: entries.isPending }}>
        {(list) => (
          <>
            <Table aria-label="Audit entries" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Description</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <RelativeTime at={e.createdAt} />
                    </Table.Td>
                    <Table.Td>{e.actor}</Table.Td>
                    <Table.Td>
                      <Code>{e.action}</Code>{' '}
                      <Text span size="xs" c="dimmed">
                        {e.objectType}
                      </Text>
                    </Table.Td>
                    <Table.Td>{e.description}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {list.length === 0 ? <Text c="dimmed">No entry matches.</Text> : null}
            {entries.hasNextPage ? (
              <Button variant="default" onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
                Older entries
              </Button>
            ) : null}
          </>
        )}
      </Loading>
    </Stack>
  );
}
