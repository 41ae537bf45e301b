// The console's pages (TanStack Router, routes in code so every link and parameter is type-checked).
import { createRootRouteWithContext, createRoute, createRouter } from '@tanstack/react-router';
import type { Session } from '../auth/session';
import { AssignmentPage } from '../pages/assignment';
import { AssignmentsPage } from '../pages/assignments';
import { AuditPage } from '../pages/audit';
import { EnvironmentPage } from '../pages/environment';
import { EnvironmentFeaturePage } from '../pages/environment-feature';
import { EnvironmentsPage } from '../pages/environments';
import { FeaturePage } from '../pages/feature';
import { FeaturesPage } from '../pages/features';
import { HomePage } from '../pages/home';
import { LabelsPage } from '../pages/labels';
import { NewAssignmentPage } from '../pages/new-assignment';
import { ReconcilerPage } from '../pages/reconciler';
import { TemplateTesterPage } from '../pages/template-tester';
import { Layout } from './layout';

export interface RouterContext {
  session: Session;
}

const root = createRootRouteWithContext<RouterContext>()({
  component: function Root() {
    const { session } = root.useRouteContext();
    return <Layout session={session} />;
  },
});

const home = createRoute({ getParentRoute: () => root, path: '/', component: HomePage });
const features = createRoute({ getParentRoute: () => root, path: '/features', component: FeaturesPage });
const feature = createRoute({
  getParentRoute: () => root,
  path: '/features/$feature',
  component: function Feature() {
    const { feature } = feature_.useParams();
    return <FeaturePage key={feature} feature={feature} />;
  },
});
const feature_ = feature;
const assignments = createRoute({ getParentRoute: () => root, path: '/assignments', component: () => <AssignmentsPage /> });
const newAssignment = createRoute({ getParentRoute: () => root, path: '/assignments/new', component: NewAssignmentPage });
const assignment = createRoute({
  getParentRoute: () => root,
  path: '/assignments/$id',
  component: function Assignment() {
    const { id } = assignment.useParams();
    return <AssignmentPage key={id} id={id} />;
  },
});
const environments = createRoute({ getParentRoute: () => root, path: '/environments', component: EnvironmentsPage });
const environment = createRoute({
  getParentRoute: () => root,
  path: '/tenants/$tenant/environments/$env',
  component: function Environment() {
    const { tenant, env } = environment.useParams();
    return <EnvironmentPage key={`${tenant}/${env}`} tenant={tenant} env={env} />;
  },
});
const environmentFeature = createRoute({
  getParentRoute: () => root,
  path: '/tenants/$tenant/environments/$env/features/$feature',
  component: function EnvironmentFeature() {
    const { tenant, env, feature } = environmentFeature.useParams();
    return <EnvironmentFeaturePage key={`${tenant}/${env}/${feature}`} tenant={tenant} env={env} feature={feature} />;
  },
});
const audit = createRoute({ getParentRoute: () => root, path: '/audit', component: () => <AuditPage /> });
const templateTester = createRoute({ getParentRoute: () => root, path: '/template-tester', component: TemplateTesterPage });
const labels = createRoute({ getParentRoute: () => root, path: '/labels', component: LabelsPage });
const reconciler = createRoute({ getParentRoute: () => root, path: '/reconciler', component: ReconcilerPage });

const routeTree = root.addChildren([
  home,
  features,
  feature,
  assignments,
  newAssignment,
  assignment,
  environments,
  environment,
  environmentFeature,
  audit,
  templateTester,
  labels,
  reconciler,
]);

export function createAppRouter(session: Session) {
  return createRouter({ routeTree, context: { session }, defaultPreload: 'intent' });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
