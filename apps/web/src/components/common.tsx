// Small pieces every page uses: relative times with the absolute time on hover, state badges, error and loading
// states, page headers.
import { Alert, Anchor, type AnchorProps, Badge, Center, Group, Loader, Stack, Text, Title, Tooltip } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { ComponentPropsWithRef, ReactNode } from 'react';
import { ApiError } from '../api/client';

function MantineAnchor(props: AnchorProps & ComponentPropsWithRef<'a'>) {
  return <Anchor {...props} />;
}
/** A router link that looks like a Mantine anchor. */
export const AnchorLink = createLink(MantineAnchor);

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/Oslo' });

export function relative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size] of units) if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
  return iso;
}

/** "3 minutes ago", with the absolute time (Europe/Oslo) on hover. */
export function RelativeTime({ at }: { at: string | null | undefined }) {
  if (!at)
    return (
      <Text span c="dimmed">
        never
      </Text>
    );
  return (
    <Tooltip label={`${absolute.format(new Date(at))} (Europe/Oslo)`} openDelay={200}>
      <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={at}>{relative(at)}</time>
      </Text>
    </Tooltip>
  );
}

const stateColor: Record<string, string> = {
  DEPLOYED: 'green',
  PENDING: 'blue',
  FAILED: 'red',
  DISABLED: 'gray',
  UNKNOWN: 'yellow',
  NO_TARGETS: 'gray',
  healthy: 'green',
  stale: 'yellow',
  dead: 'red',
  'never seen': 'gray',
};

export function StateBadge({ state, title }: { state: string; title?: string | undefined }) {
  const badge = (
    <Badge color={stateColor[state] ?? 'gray'} variant="light" data-state={state}>
      {state}
    </Badge>
  );
  return title ? (
    <Tooltip label={title} multiline maw={480}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  const e = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" title={e ? `${e.code} (${e.status})` : 'Something went wrong'} role="alert">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

/** Renders `children` with the data once it is there; a loader before, the problem if it failed. */
export function Loading<T>({ query, children }: { query: { data: T | undefined; error: unknown; isPending: boolean }; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorAlert error={query.error} />;
  if (query.isPending || query.data === undefined) {
    return (
      <Center p="xl">
        <Loader aria-label="loading" />
      </Center>
    );
  }
  return <>{children(query.data)}</>;
}

export function PageHeader({ title, children, subtitle }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
      <Stack gap={2}>
        <Title order={2}>{title}</Title>
        {subtitle ? (
          <Text c="dimmed" size="sm">
            {subtitle}
          </Text>
        ) : null}
      </Stack>
      {children ? <Group gap="xs">{children}</Group> : null}
    </Group>
  );
}

export function LabelBadges({ labels, hide = [] }: { labels: Record<string, string>; hide?: string[] }) {
  const entries = Object.entries(labels)
    .filter(([k]) => !hide.includes(k))
    .sort(([a], [b]) => a.localeCompare(b));
  return (
    <Group gap={4}>
      {entries.map(([k, v]) => (
        <Badge key={k} variant="outline" color="gray" tt="none" fw={500}>
          {k}={v}
        </Badge>
      ))}
    </Group>
  );
}
