import '@mantine/core/styles.css';
import { Alert, Center, localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/client';
import { createAppRouter } from './app/router';
import { theme } from './app/theme';
import { startSession, type Session } from './auth/session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A problem answer (404, 403, a bad request) will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
const colorSchemeManager = localStorageColorSchemeManager({ key: 'fasit-color-scheme' });

function render(session: Session | { kind: 'failed'; message: string }) {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
        {session.kind === 'failed' || session.kind === 'unconfigured' ? (
          <Center h="100vh">
            <Alert color="red" title="The console cannot sign you in" maw={560}>
              {session.kind === 'failed'
                ? session.message
                : 'The API runs with FASIT_AUTH_MODE=oidc, but no sign-in provider is configured for the console: set FASIT_WEB_OIDC_AUTHORITY and FASIT_WEB_OIDC_CLIENT_ID.'}
            </Alert>
          </Center>
        ) : (
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={createAppRouter(session)} />
          </QueryClientProvider>
        )}
      </MantineProvider>
    </StrictMode>,
  );
}

startSession().then(render, (e: unknown) => render({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
