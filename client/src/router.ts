import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";

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
    meta: { title: "New experiment" },
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
    meta: { title: "New A/B test" },
  },
  {
    path: "/ab-tests/:id",
    name: "ab-test",
    component: () => import("./pages/AbTestDetailPage.vue"),
    props: true,
    meta: { title: "A/B test" },
  },
  { path: "/generate", name: "generate", component: () => import("./pages/GeneratePage.vue"), meta: { title: "Generate" } },
  { path: "/jobs", name: "jobs", component: () => import("./pages/GenerationJobsPage.vue"), meta: { title: "Jobs" } },
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
  { path: "/:unknown(.*)*", name: "not-found", component: () => import("./pages/NotFoundPage.vue"), meta: { title: "Not found" } },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.afterEach((to) => {
    document.title = typeof to.meta.title === "string" ? `${to.meta.title} · LoRA Studio` : "LoRA Studio";
  });
  return router;
}
