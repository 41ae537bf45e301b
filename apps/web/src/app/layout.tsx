import { ActionIcon, AppShell, Burger, Group, NavLink, type NavLinkProps, Text, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { createLink, Outlet, useRouterState } from '@tanstack/react-router';
import type { ComponentPropsWithRef } from 'react';
import { useWhoami } from '../auth/access';
import type { Session } from '../auth/session';

function MantineNavLink(props: NavLinkProps & ComponentPropsWithRef<'a'>) {
  return <NavLink {...props} />;
}
const NavItem = createLink(MantineNavLink);

const NAV = [
  { to: '/', label: 'Home' },
  { to: '/features', label: 'Features' },
  { to: '/assignments', label: 'Assignments' },
  { to: '/environments', label: 'Environments' },
  { to: '/audit', label: 'Audit log' },
  { to: '/template-tester', label: 'Template tester' },
  { to: '/labels', label: 'Labels' },
  { to: '/reconciler', label: 'Reconciler' },
] as const;

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to the ${next} theme`}>
      <ActionIcon variant="default" size="lg" aria-label={`Switch to the ${next} theme`} onClick={() => setColorScheme(next)}>
        <span aria-hidden>{scheme === 'dark' ? '☀' : '☾'}</span>
      </ActionIcon>
    </Tooltip>
  );
}

function Who({ session }: { session: Session }) {
  const { data } = useWhoami();
  if (!data) return null;
  const roles = data.grants.map((g) => `${g.role}${g.tenant ? ` on ${g.tenant}` : ''}`).join(', ') || 'no role';
  return (
    <Group gap="xs">
      <Text size="sm" data-testid="whoami">
        {data.name}{' '}
        <Text span c="dimmed" size="sm">
          ({roles})
        </Text>
      </Text>
      {session.kind === 'signed-in' ? (
        <Text
          size="sm"
          component="button"
          onClick={() => void session.signOut()}
          style={{ background: 'none', border: 0, cursor: 'pointer', textDecoration: 'underline' }}
        >
          Sign out
        </Text>
      ) : null}
    </Group>
  );
}

export function Layout({ session }: { session: Session }) {
  const [opened, { toggle }] = useDisclosure();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const active = (to: string) =>
    to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`) || (to === '/environments' && path.startsWith('/tenants/'));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} size="lg">
              Fasit
            </Text>
            {session.kind === 'dev' ? (
              <Text size="xs" c="orange" fw={600} title="FASIT_AUTH_MODE=dev: no authentication, loopback only">
                DEVELOPMENT MODE
              </Text>
            ) : null}
          </Group>
          <Group>
            <Who session={session} />
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {NAV.map((n) => (
          <NavItem key={n.to} to={n.to} label={n.label} active={active(n.to)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
