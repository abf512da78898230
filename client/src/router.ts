import { watch } from "vue";
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from "vue-router";
import type { Scope } from "./api/access";
import type { Session } from "./composables/useSession";

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    /** what the page is for: a page for changes needs a key that may make them */
    scope?: Scope;
    /** shown alone, without the sidebar */
    bare?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: "/", redirect: { name: "dashboard" } },
  { path: "/dashboard", name: "dashboard", component: () => import("./pages/DashboardPage.vue"), meta: { title: "Dashboard" } },
  { path: "/adapters", name: "adapters", component: () => import("./pages/AdaptersPage.vue"), meta: { title: "Adapters" } },
  {
    path: "/adapters/:id",
    name: "adapter",
    component: () => import("./pages/AdapterDetailPage.vue"),
    props: true,
    meta: { title: "Adapter" },
  },
  { path: "/experiments", name: "experiments", component: () => import("./pages/ExperimentsPage.vue"), meta: { title: "Experiments" } },
  {
    path: "/experiments/new",
    name: "experiment-new",
    component: () => import("./pages/ExperimentNewPage.vue"),
    meta: { title: "New experiment", scope: "write" },
  },
  {
    path: "/experiments/:id",
    name: "experiment",
    component: () => import("./pages/ExperimentDetailPage.vue"),
    props: true,
    meta: { title: "Experiment" },
  },
  { path: "/ab-tests", name: "ab-tests", component: () => import("./pages/AbTestsPage.vue"), meta: { title: "A/B tests" } },
  {
    path: "/ab-tests/new",
    name: "ab-test-new",
    component: () => import("./pages/AbTestNewPage.vue"),
    meta: { title: "New A/B test", scope: "write" },
  },
  {
    path: "/ab-tests/:id",
    name: "ab-test",
    component: () => import("./pages/AbTestDetailPage.vue"),
    props: true,
    meta: { title: "A/B test" },
  },
  { path: "/generate", name: "generate", component: () => import("./pages/GeneratePage.vue"), meta: { title: "Generate" } },
  { path: "/grids", name: "generation-grids", component: () => import("./pages/GenerationGridsPage.vue"), meta: { title: "Grids" } },
  {
    path: "/grids/new",
    name: "generation-grid-new",
    component: () => import("./pages/GenerationGridNewPage.vue"),
    meta: { title: "New grid", scope: "write" },
  },
  {
    path: "/grids/:id",
    name: "generation-grid",
    component: () => import("./pages/GenerationGridPage.vue"),
    props: true,
    meta: { title: "Grid" },
  },
  { path: "/jobs", name: "jobs", component: () => import("./pages/GenerationJobsPage.vue"), meta: { title: "Jobs" } },
  {
    path: "/jobs/:id",
    name: "generation-job",
    component: () => import("./pages/GenerationJobPage.vue"),
    props: true,
    meta: { title: "Generation job" },
  },
  { path: "/deliveries", name: "deliveries", component: () => import("./pages/DeliveriesPage.vue"), meta: { title: "Deliveries" } },
  {
    path: "/deliveries/:id",
    name: "delivery",
    component: () => import("./pages/DeliveryDetailPage.vue"),
    props: true,
    meta: { title: "Delivery" },
  },
  { path: "/datasets", name: "datasets", component: () => import("./pages/DatasetsPage.vue"), meta: { title: "Datasets" } },
  { path: "/settings", name: "settings", component: () => import("./pages/SettingsPage.vue"), meta: { title: "Settings" } },
  {
    path: "/settings/api-keys",
    name: "api-keys",
    component: () => import("./pages/ApiKeysPage.vue"),
    meta: { title: "API keys", scope: "admin" },
  },
  { path: "/sign-in", name: "sign-in", component: () => import("./pages/SignInPage.vue"), meta: { title: "Sign in", bare: true } },
  { path: "/:unknown(.*)*", name: "not-found", component: () => import("./pages/NotFoundPage.vue"), meta: { title: "Not found" } },
];

/** Where sign-in returns to: the page that asked for it, never another site. */
export function afterSignIn(signInRoute: Pick<RouteLocationNormalized, "query">): string {
  const target = signInRoute.query.redirect;
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

/** The pages, behind sign-in when the API asks for a key; a key refused while a page is open returns to sign-in. */
export function createAppRouter(session: Session) {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    await session.ensureViewer();
    const signingIn = to.name === "sign-in";
    if (session.signInNeeded.value && !signingIn) return { name: "sign-in", query: { redirect: to.fullPath } };
    if (!session.signInNeeded.value && signingIn) return afterSignIn(to);
    return true;
  });
  router.afterEach((to) => {
    document.title = typeof to.meta.title === "string" ? `${to.meta.title} · LoRA Studio` : "LoRA Studio";
  });
  watch(session.signInNeeded, (needed) => {
    const current = router.currentRoute.value;
    if (needed && current.name !== "sign-in") void router.push({ name: "sign-in", query: { redirect: current.fullPath } });
  });
  return router;
}
